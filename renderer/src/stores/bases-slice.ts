import type { StateCreator, StoreApi, UseBoundStore } from 'zustand'
import { BUILTIN_BASE_IDS, type BuiltinBaseId } from '../../../shared/dockerfile/bases'
import type { MadeBaseId } from '../../../shared/debian/recipes'
import { pointAtImage, type StandInTarget } from '../../../shared/debian/stand-ins'
import type { BasesProgress, MadeBase } from '../../../shared/debian/types'
import { toWireError, type WireError } from '../../../shared/errors'
import type { Settings } from '../../../shared/settings'
import { call, on } from '../api/client'
import type { AppState } from './app-state'

/** A make job as the Settings page shows it. */
export interface BasesJob {
  jobId: string
  ids: MadeBaseId[]
  status: 'running' | 'done' | 'failed'
  progress: BasesProgress | null
  error: WireError | null
  cancelled: boolean
  notices: string[]
}

export interface BasesSlice {
  madeBases: {
    /** null until listed. */
    list: MadeBase[] | null
    error: WireError | null
    job: BasesJob | null
  }
  /** Lists the bases Slipway can make and whether the engine has them. */
  loadMadeBases: () => Promise<void>
  /** Starts making `ids`; progress arrives as events (subscribeBases). */
  makeBases: (ids: MadeBaseId[]) => Promise<void>
  cancelMakeBases: () => Promise<void>
  /** Cancels a make job by its id (one a view started through make-offers). */
  cancelMakeBasesJob: (jobId: string) => Promise<void>
  /** Points the catalog at a made base (its custom-base entry, or the builder image); the error when refused. */
  useMadeBase: (base: MadeBase) => Promise<WireError | null>
  /** Settings the host saved elsewhere (a make-it-locally offer): the project page's catalog and the Settings form follow. */
  adoptSettings: (settings: Settings) => void
}

export const createBasesSlice: StateCreator<AppState, [], [], BasesSlice> = (set, get) => {
  const patch = (p: Partial<BasesSlice['madeBases']>) => set((s) => ({ madeBases: { ...s.madeBases, ...p } }))
  return {
    madeBases: { list: null, error: null, job: null },
    loadMadeBases: async () => {
      try {
        patch({ list: await call('bases.list'), error: null })
      } catch (e) {
        patch({ error: toWireError(e) })
      }
    },
    makeBases: async (ids) => {
      const jobId = crypto.randomUUID()
      patch({ job: { jobId, ids, status: 'running', progress: null, error: null, cancelled: false, notices: [] } })
      try {
        await call('bases.make', jobId, ids)
      } catch (e) {
        patch({ job: { jobId, ids, status: 'failed', progress: null, error: toWireError(e), cancelled: false, notices: [] } })
      }
    },
    cancelMakeBasesJob: async (jobId) => {
      await call('bases.cancel', jobId).catch(() => false)
    },
    cancelMakeBases: async () => {
      const job = get().madeBases.job
      if (job?.status === 'running') await call('bases.cancel', job.jobId).catch(() => false)
    },
    adoptSettings: (settings) => {
      set((s) => ({ project: { ...s.project, settings } }))
      void get().loadSettingsForm({ force: true })
      if (get().madeBases.list) void get().loadMadeBases()
    },
    useMadeBase: async (base) => {
      try {
        const { settings } = await call('settings.get')
        const target: StandInTarget | null =
          base.standsFor === 'builder'
            ? { kind: 'builder' }
            : (BUILTIN_BASE_IDS as readonly string[]).includes(base.standsFor)
              ? { kind: 'base', id: base.standsFor, basedOn: base.standsFor as BuiltinBaseId }
              : null
        if (target) {
          // The same change the build's "make it locally" offer writes (shared/debian/stand-ins.ts).
          const saved = await call('settings.update', pointAtImage(settings.customBases, target, base.image))
          set((s) => ({ project: { ...s.project, settings: saved } }))
        }
        await get().loadSettingsForm({ force: true })
        return null
      } catch (e) {
        return toWireError(e)
      }
    },
  }
}

/** Follows make jobs: progress, and the list again when one ends. */
export function subscribeBases(store: UseBoundStore<StoreApi<AppState>>): (() => void)[] {
  const job = (jobId: string) => {
    const j = store.getState().madeBases.job
    return j?.jobId === jobId ? j : null
  }
  const setJob = (j: BasesJob) => store.setState((s) => ({ madeBases: { ...s.madeBases, job: j } }))
  return [
    on('bases.progress', (p) => {
      const j = job(p.jobId)
      if (j) setJob({ ...j, progress: p })
    }),
    on('bases.done', (d) => {
      const j = job(d.jobId)
      if (!j) return
      setJob({ ...j, status: 'done', notices: d.notices })
      void store.getState().loadMadeBases()
    }),
    on('bases.failed', (f) => {
      const j = job(f.jobId)
      if (!j) return
      setJob({ ...j, status: 'failed', error: f.error, cancelled: f.cancelled })
      void store.getState().loadMadeBases()
    }),
  ]
}
