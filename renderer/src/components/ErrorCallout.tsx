import { Callout } from '@radix-ui/themes'
import { CircleAlert } from 'lucide-react'
import type { ReactNode } from 'react'
import type { WireError } from '../../../shared/errors'
import { FixText } from './FixText'

/** An error from the host as a red callout: its message, then its detail with commands shown as code, then `children` (an action). */
export function ErrorCallout({ error, className, testId, children }: { error: WireError; className?: string; testId?: string; children?: ReactNode }) {
  return (
    <Callout.Root color="red" size="1" role="alert" {...(className ? { className } : {})} {...(testId ? { 'data-testid': testId } : {})}>
      <Callout.Icon>
        <CircleAlert size={14} />
      </Callout.Icon>
      <Callout.Text>
        {error.message} {error.detail && <FixText text={error.detail} />}
        {children}
      </Callout.Text>
    </Callout.Root>
  )
}
