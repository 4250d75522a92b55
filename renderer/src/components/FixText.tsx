import { Code } from '@radix-ui/themes'
import type { ReactNode } from 'react'
import { CopyButton } from './CopyButton'

/**
 * Error details from the host mark commands with backticks (“run `sudo systemctl start docker`”);
 * this shows them as code so they read, and copy, as commands.
 */
export function FixText({ text, copyable = false }: { text: string; copyable?: boolean }): ReactNode {
  const parts = text.split(/`([^`]+)`/)
  return parts.map((part, i) =>
    i % 2 === 1 ? (
      copyable ? (
        <span key={i} className="fix-command">
          <Code size="1" variant="soft" color="gray" className="fix-code">
            {part}
          </Code>
          <CopyButton text={part} label="Copy the command" />
        </span>
      ) : (
        <Code key={i} size="1" variant="soft" color="gray" className="fix-code">
          {part}
        </Code>
      )
    ) : (
      part
    ),
  )
}

/**
 * A fix of several steps, one a line (as the host writes them for a missing engine): the first line
 * says what is wrong, the others are the steps, each command with a copy button.
 */
export function FixSteps({ text, testId }: { text: string; testId?: string }): ReactNode {
  const [first = '', ...steps] = text.split('\n')
  if (steps.length === 0) return <FixText text={first} />
  return (
    <>
      <FixText text={first} />
      <ol className="fix-steps" data-testid={testId}>
        {steps.map((s) => (
          <li key={s}>
            <FixText text={s} copyable />
          </li>
        ))}
      </ol>
    </>
  )
}
