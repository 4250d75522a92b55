import { Spinner } from '@radix-ui/themes'
import { lazy, Suspense, type ComponentType } from 'react'
import { ProjectsPage } from '../projects/ProjectsPage'
import { useApp, type Page } from '../../stores'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'
import { usePageShortcuts, useWindowDropGuard } from './use-shortcuts'

// The Projects page is what the app opens on; the others are chunks of their own (the Stacks page
// carries the compose writer and its YAML library, Settings the bases' views), requested right after
// start-up so they are loaded before anyone clicks, without weighing on the first paint.
const imagesPage = import('../images/ImagesPage')
const stacksPage = import('../stacks/StacksPage')
const settingsPage = import('../settings/SettingsPage')

const pages: Record<Page, ComponentType> = {
  projects: ProjectsPage,
  images: lazy(() => imagesPage.then((m) => ({ default: m.ImagesPage }))),
  stacks: lazy(() => stacksPage.then((m) => ({ default: m.StacksPage }))),
  settings: lazy(() => settingsPage.then((m) => ({ default: m.SettingsPage }))),
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
        <Suspense fallback={<Spinner size="3" className="page-loading" aria-label="Loading" />}>
          <Current />
        </Suspense>
      </main>
      <StatusBar />
    </div>
  )
}
