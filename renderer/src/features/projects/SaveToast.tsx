import { Button, Text } from '@radix-ui/themes'
import { Check, Undo2 } from 'lucide-react'
import { Toast } from 'radix-ui'
import { useState } from 'react'
import type { WireError } from '../../../../shared/errors'
import { useApp } from '../../stores'

/**
 * Says that a save wrote the file, and where; offers to put the earlier file back while the file is
 * still what was written (the write is refused otherwise). A save that created the file says how to
 * undo it by hand: Slipway never deletes files in a project.
 */
export function SaveToast() {
  const last = useApp((s) => s.project.lastSave)
  const undo = useApp((s) => s.undoLastSave)
  const dismiss = useApp((s) => s.dismissLastSave)
  const [state, setState] = useState<{ at: number; busy: boolean; error: WireError | null } | null>(null)
  const mine = state && last && state.at === last.at ? state : null
  const run = async () => {
    if (!last) return
    setState({ at: last.at, busy: true, error: null })
    const r = await undo()
    setState(r.ok ? null : { at: last.at, busy: false, error: r.error })
  }
  return (
    <Toast.Provider swipeDirection="right" duration={12_000} label="Saved">
      {last && (
        <Toast.Root key={last.at} className="save-toast" onOpenChange={(open) => !open && dismiss()} data-testid="save-toast">
          <Check size={15} className="save-toast-icon" aria-hidden />
          <div className="save-toast-body">
            <Toast.Title asChild>
              <Text size="2" weight="medium">
                {last.previous === null ? 'Created' : 'Saved'} {last.name}
              </Text>
            </Toast.Title>
            <Toast.Description asChild>
              <Text as="p" size="1" color="gray" className="mono selectable save-toast-path" data-testid="save-toast-path">
                {last.path}
              </Text>
            </Toast.Description>
            {last.previous === null && (
              <Text as="p" size="1" color="gray">
                It is new: delete it to undo.
              </Text>
            )}
            {mine?.error && (
              <Text as="p" size="1" color="red" role="alert" data-testid="save-toast-error">
                {mine.error.message} {mine.error.detail}
              </Text>
            )}
          </div>
          {last.previous !== null && (
            <Toast.Action altText={`Undo: put the earlier ${last.name} back`} asChild>
              <Button size="1" variant="soft" onClick={(e) => (e.preventDefault(), void run())} loading={mine?.busy ?? false} data-testid="save-undo">
                <Undo2 size={13} aria-hidden />
                Undo
              </Button>
            </Toast.Action>
          )}
        </Toast.Root>
      )}
      <Toast.Viewport className="save-toast-viewport" />
    </Toast.Provider>
  )
}
