// How a recipe explains itself: its physical lines grouped into instructions, each with the one
// reason it is there. The CLI prints the reasons as comments; the project page shows them on hover.
import type { Evidence } from '../types/project'
import type { RecipeLine } from './generate'
import { displayText } from './safe-text'

/** One instruction of a recipe: the physical lines it spans (0-based, inclusive) and the explanation they share. */
export interface RecipeInstruction {
  first: number
  last: number
  why: string
  evidence: Evidence[]
}

/** A recipe's instructions, and for each physical line the index of its instruction (-1 for blank lines). */
export interface GroupedRecipe {
  instructions: RecipeInstruction[]
  lineToInstruction: number[]
}

/**
 * Groups a recipe's lines into instructions. Continuation lines (`RUN a \` / `    b`) and lines
 * generated together (`ARG VERSION` / `ARG COMMIT`) carry the same `why`, so consecutive non-blank
 * lines with the same `why` are one instruction; a blank line always ends one.
 */
export function groupRecipeLines(lines: readonly RecipeLine[]): GroupedRecipe {
  const instructions: RecipeInstruction[] = []
  const lineToInstruction: number[] = []
  let previous: RecipeLine | null = null
  lines.forEach((l, i) => {
    if (l.text === '') {
      lineToInstruction.push(-1)
      previous = null
      return
    }
    const current = instructions[instructions.length - 1]
    if (previous !== null && current && previous.why === l.why) {
      current.last = i
      for (const e of l.evidence ?? []) if (!current.evidence.some((x) => x.file === e.file && x.line === e.line)) current.evidence.push(e)
    } else {
      instructions.push({ first: i, last: i, why: l.why, evidence: [...(l.evidence ?? [])] })
    }
    lineToInstruction.push(instructions.length - 1)
    previous = l
  })
  return { instructions, lineToInstruction }
}

/**
 * The Dockerfile with each instruction preceded by `# why` comments (and the evidence as
 * file:line), so the output is still a valid Dockerfile.
 */
export function explainRecipe(lines: readonly RecipeLine[]): string {
  const { instructions, lineToInstruction } = groupRecipeLines(lines)
  const out: string[] = []
  lines.forEach((l, i) => {
    const ins = instructions[lineToInstruction[i] ?? -1]
    if (ins && ins.first === i && ins.why !== '') {
      const where = ins.evidence.map((e) => `${e.file}:${e.line}`).join(', ')
      // The reasons quote project text (file names, folder names): as comments they must stay one line each.
      out.push(...wrap(displayText(ins.why + (where ? ` [${where}]` : ''), 100_000), 96).map((w) => `# ${w}`))
    }
    out.push(l.text)
  })
  return `${out.join('\n')}\n`
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let cur = ''
  for (const word of text.split(/\s+/)) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur)
      cur = word
    } else cur = cur ? `${cur} ${word}` : word
  }
  if (cur) lines.push(cur)
  return lines
}
