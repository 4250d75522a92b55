// What a save would drop from a hand-written Dockerfile: instructions of a kind the new file has none
// of (a HEALTHCHECK, a VOLUME, an ONBUILD…), named in the save dialog rather than left to the diff.

/** One instruction of the file on disk that has no instruction of its kind in what would be written. */
export interface DroppedInstruction {
  keyword: string
  /** The instruction as written, continuation lines joined. */
  text: string
  /** 1-based line where it starts. */
  line: number
}

function instructions(dockerfile: string): DroppedInstruction[] {
  const out: DroppedInstruction[] = []
  const lines = dockerfile.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!.trim()
    if (first === '' || first.startsWith('#')) continue
    const start = i
    let text = first
    // A backslash at the end continues the instruction; comment lines inside it are skipped, as Docker does.
    while (text.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i]!.trim()
      if (next.startsWith('#')) continue
      text = `${text.slice(0, -1).trimEnd()} ${next}`
    }
    const keyword = /^([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase()
    if (keyword) out.push({ keyword, text, line: start + 1 })
  }
  return out
}

/** The instructions of `before` whose kind does not occur in `after` at all, in file order. */
export function droppedInstructions(before: string | null, after: string): DroppedInstruction[] {
  if (before === null) return []
  const kept = new Set(instructions(after).map((i) => i.keyword))
  return instructions(before).filter((i) => !kept.has(i.keyword))
}
