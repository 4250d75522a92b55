import type { ComponentType } from 'react'
import { ImagesPage } from '../images/ImagesPage'
import { ProjectsPage } from '../projects/ProjectsPage'
import { SettingsPage } from '../settings/SettingsPage'
import { StacksPage } from '../stacks/StacksPage'
import { useApp, type Page } from '../../stores'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'
import { usePageShortcuts, useWindowDropGuard } from './use-shortcuts'

const pages: Record<Page, ComponentType> = {
  projects: ProjectsPage,
  images: ImagesPage,
  stacks: StacksPage,
  settings: SettingsPage,
}

/** The frame every screen lives in: sidebar, the current page, and the status bar. */
export function AppShell() {
  const page = useApp((s) => s.app.page)
  usePageShortcuts()
  useWindowDropGuard()
  const Current = pages[page]
  return (
    <div className="shell">
      <Sidebar />
      <main className="main" aria-label={page}>
        <Current />
      </main>
      <StatusBar />
    </div>
  )
}
