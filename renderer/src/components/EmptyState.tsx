import { Flex, Heading, Text } from '@radix-ui/themes'
import type { ReactNode } from 'react'

interface EmptyStateProps {
  /** A small icon above the title; leave out when the page shows its own illustration. */
  icon?: ReactNode
  title: string
  children?: ReactNode
  /** Buttons or a badge under the text. */
  footer?: ReactNode
}

/** The centred icon, title and explanation a page shows while it has nothing to list. */
export function EmptyState({ icon, title, children, footer }: EmptyStateProps) {
  return (
    <Flex direction="column" align="center" gap="2" className="empty-state">
      {icon && (
        <div className="empty-state-icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <Heading as="h2" size="3" weight="medium" mt="1">
        {title}
      </Heading>
      {children && (
        <Text as="div" size="2" color="gray" align="center" className="empty-state-text">
          {children}
        </Text>
      )}
      {footer && <div className="empty-state-footer">{footer}</div>}
    </Flex>
  )
}
