import type { StateCreator } from 'zustand'
import type { BuiltinBaseId } from '../../../shared/dockerfile/bases'
import { toWireError, type WireError } from '../../../shared/errors'
import type { Settings } from '../../../shared/settings'
import type { ImageAvailability } from '../../../shared/types/images'
import { call } from '../api/client'
import { isDirty, rowsFrom, settingsPatch, type BaseRow } from '../features/settings/settings-model'
import type { AppState } from './app-state'

export interface SettingsSlice {
  settingsForm: {
    /** null until the stored settings are read. */
    rows: BaseRow[] | null
    builderImage: string
    /** What the form was filled from (or last saved): the form is dirty when it differs. */
    stored: Pick<Settings, 'customBases' | 'builderImage'> | null
    loading: boolean
    saving: boolean
    error: WireError | null
    /** Epoch ms of the last successful save, for a quiet "Saved" note. */
    savedAt: number | null
    /** The next row key (keys only tell rows apart while editing). */
    nextKey: number
  }
  /** Fills the form from the stored settings, unless it has unsaved edits. */
  loadSettingsForm: (opts?: { force?: boolean }) => Promise<void>
  addBaseRow: () => void
  updateBaseRow: (key: number, patch: Partial<Pick<BaseRow, 'id' | 'basedOn' | 'image'>>) => void
  removeBaseRow: (key: number) => void
  setBuilderDraft: (text: string) => void
  /** Writes the form with settings.update; the recipe and base picker use the result at once. */
  saveSettingsForm: () => Promise<boolean>
  /** Saves the dev stack's Postgres image (null: postgres:16-alpine) on its own; the error when the host refused it. */
  savePostgresImage: (image: string | null) => Promise<WireError | null>
  /** What the registry said about images that are not on this machine, by reference (see images.check). */
  registryChecks: Record<string, { state: 'checking' } | { state: 'done'; at: number; result: ImageAvailability } | { state: 'failed'; at: number; error: WireError }>
  /** Asks whether `ref` can be pulled, unless it was asked within the last minute. */
  checkRegistry: (ref: string) => Promise<void>
}

/** How long a registry answer is taken as still true. */
const REGISTRY_CHECK_TTL_MS = 60_000

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => {
  const patch = (p: Partial<SettingsSlice['settingsForm']>) => set((s) => ({ settingsForm: { ...s.settingsForm, ...p } }))

  const fill = (settings: Settings, extra: Partial<SettingsSlice['settingsForm']> = {}) => {
    const key = get().settingsForm.nextKey
    const rows = rowsFrom(settings.customBases, key)
    patch({
      rows,
      builderImage: settings.builderImage ?? '',
      stored: { customBases: settings.customBases, builderImage: settings.builderImage },
      nextKey: key + rows.length,
      ...extra,
    })
  }

  return {
    settingsForm: { rows: null, builderImage: '', stored: null, loading: false, saving: false, error: null, savedAt: null, nextKey: 1 },
    registryChecks: {},

    checkRegistry: async (ref) => {
      const prev = get().registryChecks[ref]
      if (prev && (prev.state === 'checking' || Date.now() - prev.at < REGISTRY_CHECK_TTL_MS)) return
      const put = (v: SettingsSlice['registryChecks'][string]) => set((s) => ({ registryChecks: { ...s.registryChecks, [ref]: v } }))
      put({ state: 'checking' })
      try {
        put({ state: 'done', at: Date.now(), result: await call('images.check', ref) })
      } catch (e) {
        put({ state: 'failed', at: Date.now(), error: toWireError(e) })
      }
    },

    loadSettingsForm: async ({ force = false } = {}) => {
      const f = get().settingsForm
      if (f.loading) return
      if (!force && f.rows !== null && isDirty(f.rows, f.builderImage, f.stored)) return
      patch({ loading: true })
      try {
        const { settings } = await call('settings.get')
        fill(settings, { loading: false, error: null })
      } catch (e) {
        patch({ loading: false, error: toWireError(e) })
      }
    },

    addBaseRow: () =>
      set((s) => {
        const row: BaseRow = { key: s.settingsForm.nextKey, id: '', basedOn: 'distroless-static' satisfies BuiltinBaseId, image: '', extra: {} }
        return { settingsForm: { ...s.settingsForm, rows: [...(s.settingsForm.rows ?? []), row], nextKey: s.settingsForm.nextKey + 1, savedAt: null } }
      }),

    updateBaseRow: (key, p) =>
      set((s) => ({ settingsForm: { ...s.settingsForm, savedAt: null, rows: (s.settingsForm.rows ?? []).map((r) => (r.key === key ? { ...r, ...p } : r)) } })),

    removeBaseRow: (key) => set((s) => ({ settingsForm: { ...s.settingsForm, savedAt: null, rows: (s.settingsForm.rows ?? []).filter((r) => r.key !== key) } })),

    setBuilderDraft: (builderImage) => patch({ builderImage, savedAt: null }),

    savePostgresImage: async (postgresImage) => {
      try {
        const saved = await call('settings.update', { postgresImage })
        set((s) => ({ project: { ...s.project, settings: saved } }))
        return null
      } catch (e) {
        return toWireError(e)
      }
    },

    saveSettingsForm: async () => {
      const f = get().settingsForm
      if (f.saving || f.rows === null) return false
      patch({ saving: true, error: null })
      try {
        const saved = await call('settings.update', settingsPatch(f.rows, f.builderImage))
        // The project page reads the catalog from its copy of the settings: give it the new one.
        set((s) => ({ project: { ...s.project, settings: saved } }))
        // The rows stay as typed (rows with a problem were not sent and wait to be fixed); `stored` moves on.
        patch({ saving: false, savedAt: Date.now(), stored: { customBases: saved.customBases, builderImage: saved.builderImage } })
        return true
      } catch (e) {
        patch({ saving: false, error: toWireError(e) })
        return false
      }
    },
  }
}
