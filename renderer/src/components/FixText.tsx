import { Code } from '@radix-ui/themes'
import type { ReactNode } from 'react'

/**
 * Error details from the host mark commands with backticks (“run `sudo systemctl start docker`”);
 * this shows them as code so they read, and copy, as commands.
 */
export function FixText({ text }: { text: string }): ReactNode {
  const parts = text.split(/`([^`]+)`/)
  return parts.map((part, i) =>
    i % 2 === 1 ? (
      <Code key={i} size="1" variant="soft" color="gray" className="fix-code">
        {part}
      </Code>
    ) : (
      part
    ),
  )
}
