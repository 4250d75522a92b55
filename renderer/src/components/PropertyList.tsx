import type { ReactNode } from 'react'

export interface Property {
  label: string
  value: ReactNode
  /** A unit shown after the value in a quieter colour (e.g. "GiB"). */
  unit?: string
  /** Long values (paths, addresses) may wrap and are selectable as text. */
  mono?: boolean
}

/**
 * Label on the left, value right-aligned with its unit, one row each: the layout inspector panels
 * use so numbers line up.
 */
export function PropertyList({ items, label }: { items: Property[]; label: string }) {
  return (
    <dl className="property-list" aria-label={label}>
      {items.map((p) => (
        <div className="property-row" key={p.label}>
          <dt>{p.label}</dt>
          <dd className={p.mono ? 'is-mono' : undefined}>
            {p.value}
            {p.unit && <span className="property-unit"> {p.unit}</span>}
          </dd>
        </div>
      ))}
    </dl>
  )
}
