// deb822 control data (Debian policy §5.1): stanzas of `Field: value` lines separated by blank
// lines, a value continued on lines that start with a space or tab. Release files, Packages
// indexes, apt's .sources files and a .deb's control file all use it.

/** One stanza: field names in lower case (deb822 names are case-insensitive) to their values. */
export type Stanza = Map<string, string>

/**
 * Parses deb822 text into stanzas. Continuation lines are kept joined by "\n" with their leading
 * space removed (a lone "." stands for an empty line, as in Description). `#` comment lines are
 * skipped (apt's sources allow them). A line that is neither a field nor a continuation is an error,
 * reported with its line number.
 */
export function parseDeb822(text: string): Stanza[] {
  const out: Stanza[] = []
  let current: Stanza | null = null
  let field = ''
  let lineNo = 0
  let start = 0
  const n = text.length
  while (start <= n) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = n
    let line = text.slice(start, end)
    start = end + 1
    lineNo++
    if (line.endsWith('\r')) line = line.slice(0, -1)
    if (line.trim() === '') {
      if (current) out.push(current)
      current = null
      field = ''
      if (end === n) break
      continue
    }
    const c0 = line.charCodeAt(0)
    if (c0 === 0x23) continue // '#'
    if (c0 === 0x20 || c0 === 0x09) {
      if (!current || !field) throw new Error(`deb822 line ${lineNo}: a continuation line with no field above it`)
      const v = line.trim()
      const prev = current.get(field) ?? ''
      current.set(field, prev === '' ? (v === '.' ? '' : v) : `${prev}\n${v === '.' ? '' : v}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) throw new Error(`deb822 line ${lineNo}: expected "Field: value", got ${JSON.stringify(line.slice(0, 80))}`)
    field = line.slice(0, colon).trim().toLowerCase()
    current ??= new Map()
    current.set(field, line.slice(colon + 1).trim())
    if (end === n) break
  }
  if (current) out.push(current)
  return out
}

/** Splits a whitespace-separated field (Suites, URIs, Components, Architectures). */
export function words(value: string | undefined): string[] {
  return value ? value.split(/\s+/).filter(Boolean) : []
}
