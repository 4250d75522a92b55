// ANSI colours in build logs, through anser: the 16 basic colours become classes mapped to the
// theme's own tokens (so they read in light and dark), 256-colour and true-colour codes become
// inline colours.
import Anser from 'anser'

/** A run of text with one style. */
export interface AnsiSpan {
  text: string
  /** Classes for basic colours and decorations, e.g. `ansi-fg-red ansi-bold`. */
  className: string
  color: string | null
  background: string | null
}

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']

/** xterm's 256-colour palette entry (16–255) as an rgb() colour; the first 16 are basic classes. */
function paletteRgb(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10
    return `rgb(${v}, ${v}, ${v})`
  }
  const i = n - 16
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40)
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`
}

function colour(cls: string | null, truecolor: string | null, layer: 'fg' | 'bg'): { className: string; inline: string | null } {
  if (!cls) return { className: '', inline: null }
  if (cls === 'ansi-truecolor') return { className: '', inline: truecolor ? `rgb(${truecolor})` : null }
  const palette = /^ansi-palette-(\d+)$/.exec(cls)
  if (palette) {
    const n = Number(palette[1])
    if (n < 16) return { className: `ansi-${layer}-${n >= 8 ? 'bright-' : ''}${BASIC[n % 8]}`, inline: null }
    return { className: '', inline: paletteRgb(n) }
  }
  // ansi-red, ansi-bright-red → ansi-fg-red, ansi-fg-bright-red
  return { className: `ansi-${layer}-${cls.replace(/^ansi-/, '')}`, inline: null }
}

/** Splits a line with escape sequences into styled spans. Lines without any are one plain span. */
export function ansiSpans(line: string): AnsiSpan[] {
  if (!line.includes('\x1b')) return [{ text: line, className: '', color: null, background: null }]
  const out: AnsiSpan[] = []
  for (const e of Anser.ansiToJson(line, { use_classes: true, remove_empty: true })) {
    const fg = colour(e.fg, e.fg_truecolor, 'fg')
    const bg = colour(e.bg, e.bg_truecolor, 'bg')
    const deco = e.decorations.filter((d) => d === 'bold' || d === 'dim' || d === 'italic' || d === 'underline').map((d) => `ansi-${d}`)
    out.push({ text: e.content, className: [fg.className, bg.className, ...deco].filter(Boolean).join(' '), color: fg.inline, background: bg.inline })
  }
  return out
}
