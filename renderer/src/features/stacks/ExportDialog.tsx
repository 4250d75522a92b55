import { Badge, Button, Callout, Dialog, Flex, Spinner, Text } from '@radix-ui/themes'
import { FileOutput, Info } from 'lucide-react'
import { useCallback, useEffect, useState } from 'react'
import { toWireError, type WireError } from '../../../../shared/errors'
import type { StackExport } from '../../../../shared/stack/types'
import { ErrorCallout } from '../../components/ErrorCallout'
import { call } from '../../api/client'
import { SaveDialog, type SaveRequest } from '../projects/SaveDialog'

/**
 * Export to project: the stack as compose.yaml and .env.example (no password, no path of this
 * computer), each written only after the person saw its diff and confirmed — through the same
 * confirmed write as the Dockerfile (SaveDialog → project.writeFile).
 */
export function ExportDialog({ dir, open, onOpenChange }: { dir: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [exp, setExp] = useState<StackExport | null>(null)
  const [error, setError] = useState<WireError | null>(null)
  const [save, setSave] = useState<SaveRequest | null>(null)

  const load = useCallback(async (): Promise<StackExport | null> => {
    try {
      const e = await call('stack.export', dir)
      setExp(e)
      setError(null)
      return e
    } catch (e) {
      setError(toWireError(e))
      return null
    }
  }, [dir])

  useEffect(() => {
    if (!open) return
    let live = true
    call('stack.export', dir).then(
      (e) => {
        if (!live) return
        setExp(e)
        setError(null)
      },
      (e) => live && setError(toWireError(e)),
    )
    return () => {
      live = false
    }
  }, [open, dir])

  const review = (name: string, e: StackExport | null) => {
    const f = e?.files.find((x) => x.name === name)
    setSave(f ? { name: f.name, dir, content: f.content, expected: f.current } : null)
  }

  return (
    <>
      <Dialog.Root open={open && save === null} onOpenChange={(o) => !o && onOpenChange(false)}>
        <Dialog.Content maxWidth="560px" data-testid="stack-export">
          <Dialog.Title size="4">Export the stack to the project</Dialog.Title>
          <Dialog.Description size="2" color="gray">
            Writes the stack into the project folder for people without Slipway: <code className="stack-mono">docker compose up</code> runs it there. The
            password is not in it: <code className="stack-mono">.env.example</code> names the variable to set. Each file is shown with its changes first.
          </Dialog.Description>
          <Flex direction="column" gap="2" mt="3">
            {!exp && !error && (
              <Flex gap="2" align="center">
                <Spinner /> <Text color="gray">Preparing the files…</Text>
              </Flex>
            )}
            {error && (
              <ErrorCallout error={error} />
            )}
            {exp?.files.map((f) => {
              const same = f.current === f.content
              return (
                <Flex key={f.name} align="center" gap="3" className="stack-export-row" data-testid="stack-export-file">
                  <FileOutput size={15} aria-hidden />
                  <Text size="2" className="stack-mono">
                    {f.name}
                  </Text>
                  <Badge size="1" color={same ? 'gray' : f.current === null ? 'green' : 'amber'}>
                    {same ? 'up to date' : f.current === null ? 'new' : 'changed'}
                  </Badge>
                  <Button size="1" variant="soft" ml="auto" disabled={same} onClick={() => review(f.name, exp)}>
                    Review and write…
                  </Button>
                </Flex>
              )
            })}
            {exp?.notices.map((n) => (
              <Callout.Root key={n} size="1" color="amber" variant="surface">
                <Callout.Icon>
                  <Info size={14} />
                </Callout.Icon>
                <Callout.Text>{n}</Callout.Text>
              </Callout.Root>
            ))}
          </Flex>
          <Flex justify="end" mt="4">
            <Dialog.Close>
              <Button variant="soft" color="gray">
                Close
              </Button>
            </Dialog.Close>
          </Flex>
        </Dialog.Content>
      </Dialog.Root>
      <SaveDialog
        request={save}
        onClose={() => {
          setSave(null)
          void load()
        }}
        onReread={async () => {
          const name = save?.name
          const e = await load()
          if (name) review(name, e)
        }}
      />
    </>
  )
}
