import { DropdownMenu, IconButton } from '@radix-ui/themes'
import { Ellipsis } from 'lucide-react'
import type { ReactNode } from 'react'

/**
 * The ⋯ button of a toolbar that folds its less-used controls into a menu when narrow. The menu's
 * items are Radix `DropdownMenu` items given as children; when the button shows is the feature's
 * CSS (a container query on its panel hides the inline controls and shows `className`).
 */
export function OverflowMenu({ label, className, testId, children }: { label: string; className: string; testId?: string; children: ReactNode }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger>
        <IconButton size="1" variant="soft" color="gray" className={className} aria-label={label} data-testid={testId}>
          <Ellipsis size={14} aria-hidden />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content size="1" align="end">
        {children}
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  )
}
