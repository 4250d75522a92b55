export type DotTone = 'ok' | 'error' | 'warning' | 'pending' | 'unknown'

/** A small coloured dot for a state; colour is never the only signal, so it is hidden from screen readers. */
export function StatusDot({ tone }: { tone: DotTone }) {
  return <span className="status-dot" data-tone={tone} aria-hidden="true" />
}
