import { useId } from 'react'

/**
 * The Slipway mark: a shipping container sliding down a slipway, on the accent colour.
 * Decorative next to the wordmark, so hidden from screen readers.
 */
export function SlipwayMark({ size = 22 }: { size?: number }) {
  const clip = useId()
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="slipway-mark">
      <clipPath id={clip}>
        <rect width="32" height="32" rx="8" />
      </clipPath>
      <rect width="32" height="32" rx="8" fill="var(--accent-9)" />
      {/* the slipway, falling to the right */}
      <path d="M-2 15 L34 29 L34 34 L-2 34Z" fill="var(--accent-contrast)" fillOpacity="0.3" clipPath={`url(#${clip})`} />
      {/* the container resting on it, tilted with the slope (atan(14/36) ≈ 21.25°) */}
      <g transform="translate(13.2 20.3) rotate(21.25)">
        <rect x="-6.5" y="-9" width="13" height="9" rx="1.6" fill="var(--accent-contrast)" />
        <path d="M-3 -6.5 V-2.5 M0 -6.5 V-2.5 M3 -6.5 V-2.5" stroke="var(--accent-9)" strokeWidth="1.3" strokeLinecap="round" />
      </g>
    </svg>
  )
}
