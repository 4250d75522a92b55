import { Button, Callout, Flex, IconButton } from '@radix-ui/themes'
import { Lightbulb, X } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { formatBytes } from '../../../../shared/format'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { useApp } from '../../stores'
import { RunButton } from '../run/RunButton'
import { newestBuilt } from './example-built'

/**
 * On the bundled example (what a first start shows): says what it is and the two ways on — open
 * your own project, or build this one. Once the example has been built (in this session or in its
 * history) it says what comes next: compare the bases, run the image. Dismissed for the session.
 */
export function ExampleGuide({ analysis, onBuild }: { analysis: ProjectAnalysis; onBuild: () => void }) {
  const example = useApp((s) => s.app.info?.defaultProject ?? null)
  const askForPath = useApp((s) => s.askForPath)
  const setView = useApp((s) => s.setProjectView)
  const loadHistory = useApp((s) => s.loadBuildHistory)
  const onExample = example !== null && analysis.root === example
  const dir = analysis.root
  const jobs = useApp((s) => s.build.jobs)
  const history = useApp((s) => s.build.history[dir])
  const [dismissed, setDismissed] = useState(false)
  // A build that ends reloads a loaded history, so loading it once keeps "built" current.
  useEffect(() => {
    if (onExample && !history) void loadHistory(dir)
  }, [onExample, history, loadHistory, dir])
  const built = useMemo(() => (onExample ? newestBuilt(dir, Object.values(jobs), history?.records ?? null) : null), [onExample, dir, jobs, history])
  if (dismissed || !onExample) return null
  const dismiss = (
    <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss" onClick={() => setDismissed(true)}>
      <X size={14} aria-hidden />
    </IconButton>
  )
  const image = built ? (built.tags[0] ?? built.imageId ?? '') : ''
  return (
    <Callout.Root color="indigo" size="1" variant="surface" className="example-guide" data-testid="example-guide" data-state={built ? 'built' : 'new'}>
      <Callout.Icon>
        <Lightbulb size={15} />
      </Callout.Icon>
      {built ? (
        <Callout.Text>
          The example is built: <strong className="mono">{image}</strong>
          {built.sizeBytes !== null && `, ${formatBytes(built.sizeBytes)}`}. Next: compare it on every base side by side, or run it.
        </Callout.Text>
      ) : (
        <Callout.Text>
          This is <strong>{analysis.name}</strong>, the example that comes with Slipway. Open your own Go project to containerize it, or build this one to
          see how it works.
        </Callout.Text>
      )}
      <Flex gap="2" align="center" className="example-guide-actions">
        {built ? (
          <>
            <Button size="1" onClick={() => setView('compare')} data-testid="example-compare">
              Compare bases
            </Button>
            <RunButton image={image} dir={dir} />
            <Button size="1" variant="soft" onClick={() => askForPath(null)} data-testid="example-open">
              Open your project…
            </Button>
          </>
        ) : (
          <>
            <Button size="1" onClick={() => askForPath(null)} data-testid="example-open">
              Open your project…
            </Button>
            <Button size="1" variant="soft" onClick={onBuild}>
              Build the example
            </Button>
          </>
        )}
        {dismiss}
      </Flex>
    </Callout.Root>
  )
}
