import type { StateCreator } from 'zustand'
import type { ProjectFileName } from '../../../shared/contract'
import { ErrorName, toWireError } from '../../../shared/errors'
import { choicesFor, withChoices, type ProjectChoices, type Settings } from '../../../shared/settings'
import type { ProjectAnalysis } from '../../../shared/types/project'
import { call } from '../api/client'
import { joinPath } from '../features/projects/join-path'
import { readBackChoices } from '../features/projects/read-back'
import type { AppState } from './app-state'
import type { LastSave, ProjectError, RecipeSettings, SaveOutcome } from './project-types'

export interface ProjectSlice {
  project: {
    /** idle: intake not started; starting: reading settings and opening the first project; ready: the page can show what it has. */
    status: 'idle' | 'starting' | 'ready'
    analysis: ProjectAnalysis | null
    /** The folder being analysed right now, and why. */
    pending: { dir: string; kind: 'open' | 'reanalyse' | 'main' } | null
    error: ProjectError | null
    /** Chosen runtime base id; null: the one Slipway recommends. Reset when another project opens. */
    baseId: string | null
    recipe: RecipeSettings
    settings: Settings | null
    /** The settings file could not be read and was set aside: say so until dismissed. */
    settingsNotice: string | null
    /** Something to say at the path field (e.g. a folder dropped in browser mode has no path). */
    intakeNote: string | null
    /** Bumped to ask the path field to take the focus. */
    focusPathField: number
    /** The toolbar's Open popover (path field, picker, recent projects) is open. */
    intakeOpen: boolean
    /** The last save into this project, for the toast and its undo; cleared when another project opens. */
    lastSave: LastSave | null
  }
  /** Reads the settings and opens the last project (or, on a first start, the bundled example). Once. */
  initProjects: () => Promise<void>
  /** Analyses a folder and shows it; false (with `error` set) when it cannot be opened. The shown project stays until then. */
  openProject: (dir: string) => Promise<boolean>
  /** Analyses the shown project again (after a save, or files changed outside). */
  reanalyse: () => Promise<boolean>
  /** Analyses the shown project for another main package. */
  selectMain: (dir: string) => Promise<boolean>
  selectBase: (id: string | null) => void
  setRecipe: (patch: Partial<RecipeSettings>) => void
  /** Removes a folder from the recent projects. */
  forgetProject: (dir: string) => Promise<void>
  /** Asks the desktop folder picker; false when cancelled or not available. */
  pickProject: () => Promise<boolean>
  /** Writes Dockerfile or .dockerignore after the person confirmed, then analyses again so `existing` is fresh. */
  saveProjectFile: (name: ProjectFileName, content: string, expected: string | null) => Promise<SaveOutcome>
  /**
   * Puts back the file as it was before the last save, only while the file is still what that save
   * wrote (else FileChanged, and nothing is written). A save that created the file has nothing to restore.
   */
  undoLastSave: () => Promise<SaveOutcome>
  dismissLastSave: () => void
  dismissSettingsNotice: () => void
  clearProjectError: () => void
  /** Shows the path field (opening the Open popover when a project is shown), with an optional note, and focuses it. */
  askForPath: (note: string | null) => void
  setIntakeOpen: (open: boolean) => void
}

const DEFAULT_RECIPE: RecipeSettings = { buildkit: null, builderImage: '', version: '', commit: '' }
/** Typing in a field saves its choices once the typing pauses. */
const REMEMBER_AFTER_MS = 400

// Each analysis request gets a number; an answer that is not for the latest request is dropped,
// so a slow analysis of a big folder cannot replace a project opened after it.
let latest = 0

export const createProjectSlice: StateCreator<AppState, [], [], ProjectSlice> = (set, get) => {
  const patch = (p: Partial<ProjectSlice['project']>) => set((s) => ({ project: { ...s.project, ...p } }))

  /** A newly opened project's choices: remembered ones, else read back from a Dockerfile Slipway wrote, else the defaults. */
  const choicesOf = (analysis: ProjectAnalysis): { baseId: string | null; recipe: RecipeSettings } => {
    const s = get()
    const c = choicesFor(s.project.settings, analysis.root)
    if (c) return { baseId: c.baseId, recipe: { buildkit: c.buildkit, builderImage: c.builderImage, version: c.version, commit: c.commit } }
    const engineBuildkit = s.engine.state?.status === 'connected' ? s.engine.state.info.buildkit : null
    return readBackChoices({ analysis, settings: s.project.settings, engineBuildkit }) ?? { baseId: null, recipe: DEFAULT_RECIPE }
  }

  // Saves the shown project's choices into the settings (debounced); the local copy changes at once,
  // so reopening it in this session shows them too.
  let rememberTimer: ReturnType<typeof setTimeout> | undefined
  const remember = () => {
    const { analysis, baseId, recipe, settings } = get().project
    if (!analysis) return
    const choices: ProjectChoices = { main: analysis.mains.length > 1 ? analysis.selectedMain : null, baseId, ...recipe }
    if (settings) patch({ settings: { ...settings, projectChoices: withChoices(settings.projectChoices, analysis.root, choices, Date.now()) } })
    clearTimeout(rememberTimer)
    rememberTimer = setTimeout(() => {
      // A choice the settings cannot hold (a half-typed build arg) is not remembered; the page still uses it.
      call('project.remember', analysis.root, choices).catch(() => undefined)
    }, REMEMBER_AFTER_MS)
  }

  const refreshSettings = async () => {
    try {
      const { settings } = await call('settings.get')
      patch({ settings })
    } catch {
      // The recent list is a convenience; the page keeps the copy it has.
    }
  }

  const analyse = async (dir: string, main: string | undefined, kind: 'open' | 'reanalyse' | 'main'): Promise<boolean> => {
    const id = ++latest
    patch({ pending: { dir, kind } })
    try {
      const analysis = await call('project.analyze', dir, main === undefined ? {} : { main })
      if (id !== latest) return false
      const previous = get().project.analysis
      const same = previous?.root === analysis.root
      patch({ analysis, pending: null, error: null, intakeNote: null, intakeOpen: false, ...(same ? {} : { ...choicesOf(analysis), lastSave: null }) })
      if (kind === 'main') remember()
      void refreshSettings()
      return true
    } catch (e) {
      if (id !== latest) return false
      // With a project on screen, the error shows in the Open popover, next to the path field.
      patch({ pending: null, error: { ...toWireError(e), dir }, ...(get().project.analysis ? { intakeOpen: true } : {}) })
      return false
    }
  }

  return {
    project: {
      status: 'idle',
      analysis: null,
      pending: null,
      error: null,
      baseId: null,
      recipe: DEFAULT_RECIPE,
      settings: null,
      settingsNotice: null,
      intakeNote: null,
      focusPathField: 0,
      intakeOpen: false,
      lastSave: null,
    },

    initProjects: async () => {
      if (get().project.status !== 'idle') return
      patch({ status: 'starting' })
      const [loaded, info] = await Promise.allSettled([call('settings.get'), get().app.info ?? call('app.info')])
      if (loaded.status === 'fulfilled') patch({ settings: loaded.value.settings, settingsNotice: loaded.value.notice ?? null })
      const last = loaded.status === 'fulfilled' ? loaded.value.settings.recentProjects[0]?.path : undefined
      const first = last ?? (info.status === 'fulfilled' ? info.value.defaultProject : null)
      // Something else may have been opened while settings loaded (a drop, a typed path): keep that.
      if (first && get().project.analysis === null && get().project.pending === null) await get().openProject(first)
      patch({ status: 'ready' })
    },

    openProject: async (dir) => {
      const clean = dir.trim()
      if (clean === '') {
        patch({ error: { name: ErrorName.BadRequest, message: 'Type the path of a Go project folder.', dir: '' }, ...(get().project.analysis ? { intakeOpen: true } : {}) })
        return false
      }
      // The main package chosen last time, unless it is gone (then the default one, as on a first open).
      const main = choicesFor(get().project.settings, clean)?.main ?? undefined
      const opened = await analyse(clean, main, 'open')
      if (!opened && main !== undefined && get().project.error?.name === ErrorName.MainNotFound) return analyse(clean, undefined, 'open')
      return opened
    },

    reanalyse: async () => {
      const a = get().project.analysis
      if (!a) return false
      return analyse(a.root, a.selectedMain ?? undefined, 'reanalyse')
    },

    selectMain: async (main) => {
      const a = get().project.analysis
      if (!a || a.selectedMain === main) return true
      return analyse(a.root, main, 'main')
    },

    selectBase: (baseId) => {
      patch({ baseId })
      remember()
    },

    setRecipe: (p) => {
      set((s) => ({ project: { ...s.project, recipe: { ...s.project.recipe, ...p } } }))
      remember()
    },

    forgetProject: async (dir) => {
      try {
        const settings = await call('project.forget', dir)
        const error = get().project.error
        patch({ settings, ...(error?.dir === dir ? { error: null } : {}) })
      } catch (e) {
        patch({ error: { ...toWireError(e), dir } })
      }
    },

    pickProject: async () => {
      try {
        const dir = await call('project.pick')
        return dir === null ? false : get().openProject(dir)
      } catch (e) {
        patch({ error: { ...toWireError(e), dir: '' }, ...(get().project.analysis ? { intakeOpen: true } : {}) })
        return false
      }
    },

    saveProjectFile: async (name, content, expected) => {
      const a = get().project.analysis
      if (!a) return { ok: false, error: { name: ErrorName.NoProject, message: 'No project is open.' } }
      try {
        await call('project.writeFile', a.root, name, content, expected)
      } catch (e) {
        return { ok: false, error: toWireError(e) }
      }
      patch({ lastSave: { dir: a.root, name, path: joinPath(a.root, name), previous: expected, written: content, at: Date.now() } })
      await get().reanalyse()
      return { ok: true }
    },

    undoLastSave: async () => {
      const last = get().project.lastSave
      if (!last || last.previous === null) return { ok: false, error: { name: ErrorName.BadRequest, message: 'There is no earlier file to put back.' } }
      try {
        await call('project.writeFile', last.dir, last.name, last.previous, last.written)
      } catch (e) {
        return { ok: false, error: toWireError(e) }
      }
      patch({ lastSave: null })
      await get().reanalyse()
      return { ok: true }
    },

    dismissLastSave: () => patch({ lastSave: null }),

    dismissSettingsNotice: () => patch({ settingsNotice: null }),
    clearProjectError: () => patch({ error: null }),
    askForPath: (intakeNote) =>
      set((s) => ({ project: { ...s.project, intakeNote, intakeOpen: s.project.analysis !== null, focusPathField: s.project.focusPathField + 1 } })),
    setIntakeOpen: (intakeOpen) => patch(intakeOpen ? { intakeOpen } : { intakeOpen, intakeNote: null }),
  }
}
