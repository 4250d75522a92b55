import type { AnalyzeOptions } from '../../shared/contract'
import { SlipwayError } from '../../shared/errors'
import type { ProjectChoices } from '../../shared/settings'
import type { Notice, ProjectAnalysis } from '../../shared/types/project'
import type { GoProjects } from './go-project'
import type { SettingsStore } from './settings'

/**
 * Opening a project: the analysis, then the recent-projects list. Settings are a convenience: a
 * settings file that cannot be written never stops a project from opening; the analysis carries one
 * notice that names the file and says what to do.
 */
export class Workspace {
  constructor(
    private readonly projects: GoProjects,
    private readonly settings: SettingsStore,
  ) {}

  /** Analyses `dir` and records it as the most recent project. Throws only what the analysis throws. */
  async open(dir: string, opts: AnalyzeOptions = {}): Promise<ProjectAnalysis> {
    const analysis = await this.projects.analyze(dir, opts)
    try {
      await this.settings.addRecent(analysis.root, analysis.name)
      return analysis
    } catch (e) {
      const notice: Notice = {
        code: 'settings-not-saved',
        severity: 'warning',
        message: e instanceof Error ? e.message : String(e),
        detail: e instanceof SlipwayError && e.detail ? e.detail : 'Recent projects are not remembered until this is fixed; everything else works.',
      }
      // Notices are ordered by severity: this one goes after the errors and warnings already there.
      const at = analysis.notices.findIndex((n) => n.severity === 'info')
      const notices = [...analysis.notices]
      notices.splice(at < 0 ? notices.length : at, 0, notice)
      return { ...analysis, notices }
    }
  }

  /**
   * Remembers the choices made for a project the person has open, so reopening it shows the same
   * recipe. Only for a folder analysed in this process: a front end cannot fill the settings with
   * paths it never opened.
   */
  async remember(dir: string, choices: ProjectChoices): Promise<void> {
    if (!this.projects.isAnalysedRoot(dir)) throw new SlipwayError('NoProject', 'That folder is not open in Slipway.', 'Open the project first; its choices are remembered from then on.')
    await this.settings.rememberChoices(dir, choices)
  }

  /** Forgets a recent project (e.g. its folder was deleted). */
  forget(dir: string) {
    return this.settings.removeRecent(dir)
  }
}
