import { IconButton, Tooltip } from '@radix-ui/themes'
import { Check, Copy } from 'lucide-react'
import { useEffect, useState } from 'react'
import { copyText } from './copy-text'

/** An icon button that copies `text`; its icon turns into a check for a moment (same size: nothing moves). */
export function CopyButton({ text, label }: { text: string; label: string }) {
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
        onClick={() => void copyText(text).then((ok) => setCopied(ok))}
      >
        {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      </IconButton>
    </Tooltip>
  )
}
