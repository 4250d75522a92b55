import type { StateCreator } from 'zustand'
import type { AppInfo } from '../../../shared/contract'
import type { AppState } from './app-state'

export type Page = 'projects' | 'images' | 'stacks' | 'settings'

/** Pages in sidebar order; Ctrl/Cmd+1… follow this order. */
export const PAGES: readonly Page[] = ['projects', 'images', 'stacks', 'settings']

export interface AppSlice {
  app: {
    /** `null` until `app.info` answers. */
    info: AppInfo | null
    page: Page
  }
  setAppInfo: (info: AppInfo) => void
  setPage: (page: Page) => void
}

export const createAppSlice: StateCreator<AppState, [], [], AppSlice> = (set) => ({
  app: { info: null, page: 'projects' },
  setAppInfo: (info) => set((s) => ({ app: { ...s.app, info } })),
  setPage: (page) => set((s) => (s.app.page === page ? s : { app: { ...s.app, page } })),
})
