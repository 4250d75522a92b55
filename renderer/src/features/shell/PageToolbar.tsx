import { Flex, Heading, Text } from '@radix-ui/themes'
import type { ReactNode } from 'react'

interface PageToolbarProps {
  title: string
  /** A quiet line after the title: what the page is for, or a count. */
  subtitle?: ReactNode
  /** Buttons on the right. */
  actions?: ReactNode
}

/** The bar at the top of every page: its title on the left, its actions on the right. */
export function PageToolbar({ title, subtitle, actions }: PageToolbarProps) {
  return (
    <header className="toolbar">
      <Flex align="baseline" gap="3" minWidth="0">
        <Heading as="h1" size="3" weight="bold" className="toolbar-title">
          {title}
        </Heading>
        {subtitle && (
          <Text size="2" color="gray" truncate>
            {subtitle}
          </Text>
        )}
      </Flex>
      {actions && (
        <Flex align="center" gap="2" ml="auto" flexShrink="0">
          {actions}
        </Flex>
      )}
    </header>
  )
}
