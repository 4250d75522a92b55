// A real Dockerfile validator (dockerfile-utils, the engine behind VS Code's Dockerfile support)
// plus Slipway's own rules. dockerfile-utils is plain JavaScript; its parser calls `Buffer.from` once
// (a byte-order-mark check), so the renderer loads renderer/src/features/projects/buffer-shim.ts first.
import { validate, ValidationCode } from 'dockerfile-utils'
import { lintDockerfile, type LintFinding } from './lint'

/** Syntax and semantics as the validator sees them: unknown instructions, bad flags, invalid references, … */
export function validateDockerfile(text: string): LintFinding[] {
  return validate(text).map((d) => {
    const code = typeof d.code === 'number' ? ValidationCode[d.code] ?? String(d.code) : String(d.code ?? 'unknown')
    const message = typeof d.message === 'string' ? d.message : d.message.value
    return {
      rule: `dockerfile-utils/${code}`,
      // LSP severities: 1 error, 2 warning, 3 information, 4 hint.
      severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
      line: d.range.start.line + 1,
      message,
    }
  })
}

/** Everything Slipway knows to say about a Dockerfile: the validator's findings and its own rules, by line. */
export function checkDockerfile(text: string): LintFinding[] {
  return [...validateDockerfile(text), ...lintDockerfile(text)].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule))
}
