import './run.css'
import { Button } from '@radix-ui/themes'
import { Play } from 'lucide-react'
import { useState } from 'react'
import { RunDialog } from './RunDialog'
import { RunPanelDialog } from './RunPanel'

/**
 * "Run…": proposes ports and variables for `image` (read from `dir` when given, else from the
 * image's project label), starts it, and shows the running container. Place it anywhere an image
 * is at hand (the image view, a finished build).
 */
export function RunButton({ image, dir, size = '1', variant = 'soft' }: { image: string; dir?: string; size?: '1' | '2'; variant?: 'soft' | 'solid' | 'outline' }) {
  const [open, setOpen] = useState(false)
  const [panel, setPanel] = useState<string | null>(null)
  return (
    <>
      <Button size={size} variant={variant} onClick={() => setOpen(true)} data-testid="run-button">
        <Play size={13} aria-hidden /> Run…
      </Button>
      <RunDialog
        image={image}
        dir={dir}
        open={open}
        onOpenChange={setOpen}
        onStarted={(c) => {
          setOpen(false)
          setPanel(c.id)
        }}
      />
      <RunPanelDialog id={panel} onClose={() => setPanel(null)} />
    </>
  )
}
