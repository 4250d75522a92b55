import { Button, DropdownMenu, Text } from '@radix-ui/themes'
import { ChevronDown, Share } from 'lucide-react'
import { useEffect, useState, type RefObject } from 'react'
import { compareCsv, compareMarkdown } from '../../../../shared/build/compare'
import type { CompareResult } from '../../../../shared/types/build'
import { copyText } from '../../components/copy-text'
import { transportKind } from '../../api/client'
import { exportFileName } from './compare-model'
import { copyPng, downloadBlob, svgToPng } from './svg-export'

type Said = { text: string; tone: 'ok' | 'error' } | null

/**
 * Export the finished comparison: Markdown and CSV to the clipboard, CSV as a file, the chart as
 * PNG (the clipboard in the desktop app, a download in browser mode or where the clipboard refuses).
 */
export function CompareExport({ result, chart }: { result: Pick<CompareResult, 'project' | 'rows' | 'failures' | 'finishedAt'> | null; chart: RefObject<SVGSVGElement | null> }) {
  const [said, setSaid] = useState<Said>(null)
  useEffect(() => {
    if (!said) return
    const t = window.setTimeout(() => setSaid(null), 2500)
    return () => window.clearTimeout(t)
  }, [said])
  const desktop = transportKind() === 'ipc'

  const run = async (what: () => Promise<string>) => {
    try {
      setSaid({ text: await what(), tone: 'ok' })
    } catch (e) {
      setSaid({ text: e instanceof Error ? e.message : 'Export failed', tone: 'error' })
    }
  }
  const copy = (text: string, done: string) => async () => {
    if (!(await copyText(text))) throw new Error('The clipboard refused the text')
    return done
  }
  const png = async () => {
    const svg = chart.current
    if (!svg || !result) throw new Error('The chart is not on screen')
    const blob = await svgToPng(svg)
    // Electron may deny image writes to the clipboard: a file is the way out then.
    if (desktop && (await copyPng(blob))) return 'Chart copied as PNG'
    downloadBlob(blob, exportFileName(result.project, result.finishedAt, 'png'))
    return 'Chart saved as PNG'
  }

  return (
    <div className="cmp-export">
      <Text size="1" className="cmp-export-said" role="status" aria-live="polite" data-tone={said?.tone} data-testid="compare-export-said">
        {said?.text ?? ''}
      </Text>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger disabled={!result}>
          <Button size="1" variant="soft" color="gray" data-testid="compare-export">
            <Share size={13} aria-hidden />
            Export
            <ChevronDown size={12} aria-hidden />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Content size="1" align="end">
          {result && (
            <>
              <DropdownMenu.Item onSelect={() => void run(copy(compareMarkdown(result), 'Markdown copied'))} data-testid="export-markdown">
                Copy as Markdown
              </DropdownMenu.Item>
              <DropdownMenu.Item onSelect={() => void run(copy(compareCsv(result.rows), 'CSV copied'))} data-testid="export-csv-copy">
                Copy as CSV
              </DropdownMenu.Item>
              <DropdownMenu.Item
                onSelect={() =>
                  void run(async () => {
                    downloadBlob(new Blob([compareCsv(result.rows)], { type: 'text/csv' }), exportFileName(result.project, result.finishedAt, 'csv'))
                    return 'CSV saved'
                  })
                }
                data-testid="export-csv-download"
              >
                Download CSV
              </DropdownMenu.Item>
              <DropdownMenu.Separator />
              <DropdownMenu.Item onSelect={() => void run(png)} data-testid="export-png">
                {desktop ? 'Copy chart as PNG' : 'Download chart as PNG'}
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Root>
    </div>
  )
}
