import { IconButton, Tooltip } from '@radix-ui/themes'
import { Check, Copy } from 'lucide-react'
import { useEffect, useState } from 'react'
import { copyText } from './copy-text'

/**
 * An icon button that copies `text`; its icon turns into a check for a moment (same size: nothing moves).
 * `text` may be a function, for text that is costly to make (a whole build log) and only needed on click.
 */
export function CopyButton({ text, label, testId }: { text: string | (() => string); label: string; testId?: string }) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const t = window.setTimeout(() => setCopied(false), 1500)
    return () => window.clearTimeout(t)
  }, [copied])
  return (
    <Tooltip content={copied ? 'Copied' : label}>
      <IconButton
        size="1"
        variant="ghost"
        color={copied ? 'green' : 'gray'}
        aria-label={label}
        onClick={() => void copyText(typeof text === 'function' ? text() : text).then((ok) => setCopied(ok))}
        data-testid={testId}
      >
        {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      </IconButton>
    </Tooltip>
  )
}
