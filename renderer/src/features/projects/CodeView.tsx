import { useRef, type KeyboardEvent, type ReactNode } from 'react'
import type { Severity } from '../../../../shared/types/project'
import type { Token } from './dockerfile-tokens'

/** The highlighted text of one line. */
export function TokenLine({ tokens }: { tokens: readonly Token[] }): ReactNode {
  return tokens.map((t, i) =>
    t.kind === 'text' ? (
      t.text
    ) : (
      <span key={i} className={`tok-${t.kind}`}>
        {t.text}
      </span>
    ),
  )
}

/** A read-only listing with line numbers (the .dockerignore tab). */
export function PlainCode({ lines, tokens, label, testId }: { lines: readonly string[]; tokens: readonly Token[][]; label: string; testId?: string }) {
  return (
    <div className="code-view" role="region" aria-label={label} tabIndex={0} data-testid={testId}>
      <div className="code-lines">
        {lines.map((_, i) => (
          <div className="code-line" key={i}>
            <span className="code-gutter tabular" aria-hidden="true">
              {i + 1}
            </span>
            <span className="code-text">
              <TokenLine tokens={tokens[i] ?? []} />
            </span>
          </div>
        ))}
      </div>
    </div>
  )
}

export interface ExplainedCodeProps {
  lines: readonly string[]
  tokens: readonly Token[][]
  /** For each line, its instruction index, -1 for blank lines. */
  lineToInstruction: readonly number[]
  /** The first line of each instruction, for keyboard moves. */
  instructionStarts: readonly number[]
  selected: number | null
  hovered: number | null
  /** The worst lint finding on each 1-based line. */
  lintSeverity: ReadonlyMap<number, Severity>
  onHover: (instruction: number | null) => void
  onSelect: (instruction: number) => void
  label: string
  testId?: string
}

/**
 * The Dockerfile with every instruction selectable: hover previews its explanation, a click or the
 * keyboard (↑ ↓ Home End, one instruction at a time) selects it. One line at a time is in the tab
 * order (roving tabindex), so Tab leaves the listing at once.
 */
export function ExplainedCode(p: ExplainedCodeProps) {
  const refs = useRef<(HTMLDivElement | null)[]>([])
  const focusInstruction = (index: number) => {
    const line = p.instructionStarts[index]
    if (line === undefined) return
    p.onSelect(index)
    refs.current[line]?.focus()
    refs.current[line]?.scrollIntoView({ block: 'nearest' })
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const count = p.instructionStarts.length
    if (count === 0) return
    const at = p.selected ?? -1
    const next =
      e.key === 'ArrowDown' ? Math.min(count - 1, at + 1) : e.key === 'ArrowUp' ? Math.max(0, at - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? count - 1 : null
    if (next === null) return
    e.preventDefault()
    focusInstruction(next)
  }
  const tabStop = p.instructionStarts[p.selected ?? 0] ?? 0

  return (
    <div className="code-view is-explained" data-testid={p.testId} onMouseLeave={() => p.onHover(null)}>
      <div className="code-lines" role="listbox" aria-label={p.label} onKeyDown={onKeyDown}>
        {p.lines.map((_, i) => {
          const ins = p.lineToInstruction[i] ?? -1
          const lint = p.lintSeverity.get(i + 1)
          if (ins < 0)
            return (
              <div className="code-line is-blank" key={i} role="presentation">
                <span className="code-gutter tabular" aria-hidden="true">
                  {i + 1}
                </span>
                <span className="code-text" />
              </div>
            )
          return (
            <div
              key={i}
              ref={(el) => {
                refs.current[i] = el
              }}
              className="code-line"
              role="option"
              aria-selected={p.selected === ins}
              tabIndex={i === tabStop ? 0 : -1}
              data-selected={p.selected === ins || undefined}
              data-hovered={p.hovered === ins || undefined}
              data-lint={lint}
              data-line={i + 1}
              onMouseEnter={() => p.onHover(ins)}
              onFocus={() => p.onSelect(ins)}
            >
              <span className="code-gutter tabular" aria-hidden="true">
                {i + 1}
              </span>
              <span className="code-text">
                <TokenLine tokens={p.tokens[i] ?? []} />
              </span>
            </div>
          )
        })}
      </div>
    </div>
  )
}
