import { Spinner } from '@radix-ui/themes'
import { Suspense, type ComponentType } from 'react'
import { ErrorBoundary } from '../../components/ErrorBoundary'
import { lazyPart, retryFailedParts } from '../../components/lazy-part'
import { ProjectsPage } from '../projects/ProjectsPage'
import { useApp, type Page } from '../../stores'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'
import { usePageShortcuts, useWindowDropGuard } from './use-shortcuts'

// The Projects page is what the app opens on; the others are chunks of their own (the Stacks page
// carries the compose writer and its YAML library, Settings the bases' views), requested right after
// start-up so they are loaded before anyone clicks, without weighing on the first paint.
const pages: Record<Page, ComponentType> = {
  projects: ProjectsPage,
  images: lazyPart(() => import('../images/ImagesPage'), (m) => m.ImagesPage, { preload: true }),
  stacks: lazyPart(() => import('../stacks/StacksPage'), (m) => m.StacksPage, { preload: true }),
  settings: lazyPart(() => import('../settings/SettingsPage'), (m) => m.SettingsPage, { preload: true }),
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
        <ErrorBoundary key={page} what="Loading this page failed" onRetry={retryFailedParts}>
          <Suspense fallback={<Spinner size="3" className="page-loading" aria-label="Loading" />}>
            <Current />
          </Suspense>
        </ErrorBoundary>
      </main>
      <StatusBar />
    </div>
  )
}
