// The run dialog's one-line arguments field, split into the array the container gets. Quotes group
// words the way a person expects from a shell, but nothing is ever run through a shell: `$(…)`,
// `;` and `*` stay literal text.

/** Splits `text` into arguments: whitespace separates, '…' and "…" group, \ escapes the next character. Null when a quote is left open. */
export function splitArgs(text: string): string[] | null {
  const out: string[] = []
  let cur = ''
  let has = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quote) {
      if (ch === quote) quote = null
      else if (ch === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) cur += text[++i]
      else cur += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      has = true
    } else if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i]
      has = true
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur)
      cur = ''
      has = false
    } else {
      cur += ch
      has = true
    }
  }
  if (quote) return null
  if (has) out.push(cur)
  return out
}

/** The inverse for display: quotes an argument only when it needs it. */
export function joinArgs(args: readonly string[]): string {
  return args.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'"'"'`)}'`)).join(' ')
}

/** Whether a command-line argument gives the flag `name` (`-name`, `--name`, `--name=value`), as Go's flag and pflag read it. */
export function flagNamed(arg: string, name: string): boolean {
  const m = /^--?([^=]+)/.exec(arg)
  return m !== null && m[1] === name
}
