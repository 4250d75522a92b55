import { Boxes, FolderGit2, Layers, Settings, type LucideIcon } from 'lucide-react'
import type { Page } from '../../stores'

export interface NavItem {
  page: Page
  label: string
  icon: LucideIcon
  /** The digit of its Ctrl/Cmd shortcut. */
  key: string
}

/** The sidebar's pages, in order; the shortcut digits follow the order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { page: 'projects', label: 'Projects', icon: FolderGit2, key: '1' },
  { page: 'images', label: 'Images', icon: Layers, key: '2' },
  { page: 'stacks', label: 'Stacks', icon: Boxes, key: '3' },
  { page: 'settings', label: 'Settings', icon: Settings, key: '4' },
]
