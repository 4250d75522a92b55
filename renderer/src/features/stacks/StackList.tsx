import { Text } from '@radix-ui/themes'
import type { KeyboardEvent } from 'react'
import type { StackStatus } from '../../../../shared/stack/types'
import { StatusDot } from '../../components/StatusDot'
import { useApp } from '../../stores'
import { folderName, STACK_STATE_VIEW, stackState } from './stack-model'

/** Arrow keys move between the rows of the list, as in any desktop list. */
function onListKey(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
  const rows = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.stacks-row')]
  const i = rows.indexOf(document.activeElement as HTMLButtonElement)
  const next = rows[e.key === 'ArrowDown' ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1)]
  if (next) {
    e.preventDefault()
    next.focus()
  }
}

function Row({ dir, status, shown, note }: { dir: string; status: StackStatus | null; shown: boolean; note?: string }) {
  const select = useApp((s) => s.selectStack)
  const current = useApp((s) => s.project.analysis?.root ?? null)
  const starting = useApp((s) => s.stacks.jobs[dir]?.phase === 'starting')
  const view = STACK_STATE_VIEW[stackState(status, starting)]
  return (
    <button
      type="button"
      className="stacks-row"
      aria-current={shown ? 'true' : undefined}
      title={dir}
      data-testid="stack-row"
      onClick={() => select(dir === current ? null : dir)}
    >
      <StatusDot tone={view.dot} />
      <span className="stacks-row-text">
        <span className="stacks-row-name">{folderName(dir)}</span>
        <span className="stacks-row-sub">
          {view.label}
          {note ? ` · ${note}` : ''}
        </span>
      </span>
    </button>
  )
}

/** The rail: the open project's stack first, then every other Slipway stack on the engine (any folder). */
export function StackList({ current, shown }: { current: string | null; shown: string | null }) {
  const list = useApp((s) => s.stacks.list)
  const error = useApp((s) => s.stacks.listError)
  const currentStatus = useApp((s) => (current ? (s.stacks.status[current] ?? null) : null))
  const others = (list ?? []).filter((s) => s.dir !== current).sort((a, b) => Number(b.up) - Number(a.up) || folderName(a.dir).localeCompare(folderName(b.dir)))
  // A stack the person picked that is no longer listed (taken down and deleted elsewhere) stays reachable.
  const orphan = shown && shown !== current && !others.some((s) => s.dir === shown) ? shown : null

  return (
    <nav className="stacks-rail" aria-label="Stacks" onKeyDown={onListKey}>
      {current && (
        <>
          <Text as="div" size="1" color="gray" className="stacks-rail-head">
            This project
          </Text>
          <Row dir={current} status={currentStatus} shown={shown === current} />
        </>
      )}
      <Text as="div" size="1" color="gray" className="stacks-rail-head">
        On the engine
      </Text>
      {others.map((s) => (
        <Row key={s.project} dir={s.dir} status={s} shown={shown === s.dir} note={s.defined ? undefined : 'by hand'} />
      ))}
      {orphan && <Row dir={orphan} status={null} shown />}
      {list !== null && others.length === 0 && !orphan && (
        <Text as="div" size="1" color="gray" className="stacks-rail-empty">
          {current ? 'No other stacks.' : 'No stacks yet.'}
        </Text>
      )}
      {error && (
        <Text as="div" size="1" color="red" className="stacks-rail-empty" role="alert">
          {error.message}
        </Text>
      )}
    </nav>
  )
}
