import { Badge, Button, DropdownMenu, Switch, Tabs, Text, TextField, Tooltip } from '@radix-ui/themes'
import { CircleCheck, CircleExclamationPoint, Info, Save, TriangleExclamationPoint } from 'lucide-react'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { ProjectFileName } from '../../../../shared/contract'
import type { LintFinding } from '../../../../shared/dockerfile/lint'
import { checkDockerfile } from '../../../../shared/dockerfile/validate'
import type { ProjectAnalysis, Severity } from '../../../../shared/types/project'
import { CopyButton } from '../../components/CopyButton'
import { OverflowMenu } from '../../components/OverflowMenu'
import { FixText } from '../../components/FixText'
import { isMac } from '../../hooks/platform'
import { useApp } from '../../stores'
import { BaseSelect } from './BaseSelect'
import { ExplainedCode, PlainCode } from './CodeView'
import { DiffCounts, DiffView, useDiffTokens } from './DiffView'
import { tokenizeDockerfile, tokenizeDockerignore } from './dockerfile-tokens'
import { EvidenceChips } from './EvidenceChips'
import { lineDiff } from './line-diff'
import { NoticeList } from './NoticeList'
import { recipeView, type RecipeView } from './recipe-view'
import { SaveDialog, type SaveRequest } from './SaveDialog'
import { SplitHandle, useSplitSize } from './SplitHandle'
import { recipeInputFrom } from './use-recipe-view'

type Tab = 'dockerfile' | 'dockerignore' | 'diff'

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }
const LINT_ICON = { error: CircleExclamationPoint, warning: TriangleExclamationPoint, info: Info } as const

function worst(findings: readonly LintFinding[]): Severity {
  return findings.reduce<Severity>((w, f) => (RANK[f.severity] < RANK[w] ? f.severity : w), 'info')
}

function LintItem({ f, onSelect }: { f: LintFinding; onSelect?: () => void }) {
  const Icon = LINT_ICON[f.severity]
  const body = (
    <>
      <Icon size={13} aria-hidden className="lint-icon" />
      <span className="lint-text">
        <span className="lint-line tabular">{f.line}</span>
        {f.message}
        {f.fix && <span className="lint-fix"> {f.fix}</span>}
        <span className="lint-rule"> {f.rule}</span>
      </span>
    </>
  )
  return (
    <li className="lint-item" data-severity={f.severity}>
      {onSelect ? (
        <button type="button" className="lint-button" onClick={onSelect} title={`Show line ${f.line}`}>
          {body}
        </button>
      ) : (
        <div className="lint-button">{body}</div>
      )}
    </li>
  )
}

function Explanation({ view, index }: { view: RecipeView; index: number | null }) {
  const ins = index === null ? undefined : view.grouped.instructions[index]
  if (!ins)
    return (
      <div className="explain is-empty" data-testid="line-explanation">
        <Text size="2" color="gray">
          Point at a line, or select one and move with ↑ ↓, to see why it is there and which finding put it there.
        </Text>
      </div>
    )
  const keyword = /^\s*(\w+)/.exec(view.dockerfileLines[ins.first] ?? '')?.[1] ?? ''
  const lint = view.lint.filter((f) => f.line >= ins.first + 1 && f.line <= ins.last + 1)
  return (
    <div className="explain" data-testid="line-explanation" aria-live="polite">
      <div className="explain-head">
        <span className="explain-kw mono">{keyword}</span>
        <Text size="1" color="gray" className="tabular">
          {ins.first === ins.last ? `line ${ins.first + 1}` : `lines ${ins.first + 1}–${ins.last + 1}`}
        </Text>
      </div>
      <p className="explain-why">
        <FixText text={ins.why} />
      </p>
      {ins.evidence.length > 0 && (
        <div className="explain-evidence">
          <Text size="1" color="gray">
            Because of
          </Text>
          <EvidenceChips evidence={ins.evidence} max={6} />
        </div>
      )}
      {lint.length > 0 && (
        <ul className="lint-list">
          {lint.map((f, i) => (
            <LintItem key={i} f={f} />
          ))}
        </ul>
      )}
    </div>
  )
}

function Checks({ view, onSelectLine }: { view: RecipeView; onSelectLine: (line: number) => void }) {
  const notices = view.recipe.notices
  return (
    <div className="checks" data-testid="recipe-checks">
      <h3 className="finding-group-title">
        <span title="dockerfile-utils (the validator behind VS Code’s Dockerfile support) and Slipway’s own rules">Checks</span>
        {view.lint.length > 0 && <span className="finding-group-aside tabular">{view.lint.length}</span>}
      </h3>
      {view.lint.length === 0 ? (
        <p className="checks-ok">
          <CircleCheck size={13} aria-hidden />
          No problems in this Dockerfile.
        </p>
      ) : (
        <ul className="lint-list">
          {view.lint.map((f, i) => (
            <LintItem key={i} f={f} onSelect={() => onSelectLine(f.line)} />
          ))}
        </ul>
      )}
      {notices.length > 0 && <NoticeList notices={notices} title="On this base" compact />}
    </div>
  )
}

function RecipeOptions({ view, analysis }: { view: RecipeView; analysis: ProjectAnalysis }) {
  const recipe = useApp((s) => s.project.recipe)
  const setRecipe = useApp((s) => s.setRecipe)
  const engine = useApp((s) => (s.engine.state?.status === 'connected' ? (s.engine.state.info.buildkit ? 'has BuildKit' : 'uses the classic builder') : null))
  return (
    <div className="df-options">
      <Text as="div" size="1" className="df-option">
        <span className="df-option-label" id="df-base-label">
          Base
        </span>
        <BaseSelect analysis={analysis} view={view} labelledBy="df-base-label" className="df-base-trigger" />
      </Text>
      <Tooltip content={`${recipe.buildkit === null ? 'Follows the engine' : 'Set by you'}${engine ? `: the connected engine ${engine}` : ': no engine connected'}. Without BuildKit the recipe has no cache mounts.`}>
        <Text as="label" size="1" className="df-option">
          <Switch size="1" checked={view.buildkit} onCheckedChange={(v) => setRecipe({ buildkit: v })} data-testid="buildkit-switch" />
          Cache mounts
        </Text>
      </Tooltip>
      <Text as="label" size="1" className="df-option is-grow">
        <Tooltip content={view.defaultBuilder.why}>
          <span className="df-option-label">Builder</span>
        </Tooltip>
        <TextField.Root
          size="1"
          className="df-field is-builder"
          placeholder={view.defaultBuilder.image}
          value={recipe.builderImage}
          onChange={(e) => setRecipe({ builderImage: e.target.value })}
          spellCheck={false}
        />
      </Text>
    </div>
  )
}

function DiffSection({ name, before, after }: { name: ProjectFileName; before: string | null; after: string }) {
  const diff = useMemo(() => lineDiff(before, after), [before, after])
  const tokens = useDiffTokens(before, after, name === 'Dockerfile' ? 'dockerfile' : 'dockerignore')
  const lint = useMemo(() => (name === 'Dockerfile' && before !== null ? checkDockerfile(before) : []), [name, before])
  const id = name === 'Dockerfile' ? 'dockerfile' : 'dockerignore'
  return (
    <section className="diff-section" aria-label={`${name} differences`} data-testid={`diff-${id}`}>
      <header className="diff-section-head">
        <span className="mono diff-file">{name}</span>
        {before === null ? (
          <Text size="1" color="gray">
            not in the project yet — saving creates it
          </Text>
        ) : diff.identical ? (
          <Text size="1" color="gray" data-testid={`diff-${id}-status`}>
            No differences: the file on disk is what Slipway would write
          </Text>
        ) : (
          <Text size="1" color="gray" data-testid={`diff-${id}-status`}>
            the file on disk → Slipway’s: <DiffCounts diff={diff} />
          </Text>
        )}
      </header>
      {diff.notes.map((n) => (
        <Text as="p" size="1" color="amber" key={n} className="diff-note">
          {n}
        </Text>
      ))}
      {before !== null && !diff.identical && <DiffView diff={diff} tokens={tokens} label={`${name} differences`} />}
      {lint.length > 0 && (
        <details className="disk-lint">
          <summary>
            <Text size="1" color="gray">
              The Dockerfile on disk has {lint.length} finding{lint.length === 1 ? '' : 's'}
            </Text>
          </summary>
          <ul className="lint-list">
            {lint.map((f, i) => (
              <LintItem key={i} f={f} />
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}

/** The generated Dockerfile, its .dockerignore and the diff against the project's own, with the options, checks and save. */
export function DockerfilePanel({ analysis, view }: { analysis: ProjectAnalysis; view: RecipeView }) {
  const [tab, setTab] = useState<Tab>('dockerfile')
  const [selected, setSelected] = useState<number | null>(null)
  const [hovered, setHovered] = useState<number | null>(null)
  const [save, setSave] = useState<SaveRequest | null>(null)
  const reanalyse = useApp((s) => s.reanalyse)
  const split = useSplitSize('slipway.dockerfile.explanation')
  const isExample = useApp((s) => s.app.info?.defaultProject === analysis.root)

  const dfTokens = useMemo(() => tokenizeDockerfile(view.dockerfileLines), [view.dockerfileLines])
  const diTokens = useMemo(() => tokenizeDockerignore(view.dockerignoreLines), [view.dockerignoreLines])
  const starts = useMemo(() => view.grouped.instructions.map((i) => i.first), [view.grouped])
  const lintSeverity = useMemo(() => new Map([...view.lintByLine].map(([line, fs]) => [line, worst(fs)])), [view.lintByLine])
  const existing = analysis.existing
  const changedLines = useMemo(() => {
    let n = 0
    if (existing.dockerfile !== null) {
      const d = lineDiff(existing.dockerfile, view.recipe.dockerfile)
      n += d.added + d.removed
    }
    if (existing.dockerignore !== null) {
      const d = lineDiff(existing.dockerignore, view.recipe.dockerignore)
      n += d.added + d.removed
    }
    return n
  }, [existing, view.recipe])
  // A selection past the end of a shorter recipe (another base) points at nothing.
  const selectedIndex = selected !== null && selected < view.grouped.instructions.length ? selected : null

  const openSave = useCallback(
    (name: ProjectFileName) =>
      setSave({
        name,
        dir: analysis.root,
        content: name === 'Dockerfile' ? view.recipe.dockerfile : view.recipe.dockerignore,
        expected: name === 'Dockerfile' ? analysis.existing.dockerfile : analysis.existing.dockerignore,
      }),
    [analysis, view.recipe],
  )

  // After a refused save, read the folder again and put the fresh difference in front of the person.
  const reread = useCallback(async () => {
    await reanalyse()
    const input = recipeInputFrom(useApp.getState())
    if (!input) return
    const fresh = recipeView(input)
    setSave((s) =>
      s && {
        ...s,
        dir: input.analysis.root,
        content: s.name === 'Dockerfile' ? fresh.recipe.dockerfile : fresh.recipe.dockerignore,
        expected: s.name === 'Dockerfile' ? input.analysis.existing.dockerfile : input.analysis.existing.dockerignore,
      },
    )
  }, [reanalyse])

  // Ctrl/⌘+S reviews the file on the current tab: it opens the dialog, never writes by itself.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey : e.ctrlKey
      if (!mod || e.altKey || e.shiftKey || e.key.toLowerCase() !== 's') return
      e.preventDefault()
      if (save === null) openSave(tab === 'dockerignore' ? '.dockerignore' : 'Dockerfile')
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [openSave, save, tab])

  const selectLine = (line: number) => {
    const ins = view.grouped.lineToInstruction[line - 1]
    if (ins === undefined || ins < 0) return
    setTab('dockerfile')
    setSelected(ins)
    const first = view.grouped.instructions[ins]?.first ?? line - 1
    const el = document.querySelector<HTMLElement>(`[data-testid="dockerfile-code"] [data-line="${first + 1}"]`)
    el?.focus()
    el?.scrollIntoView({ block: 'nearest' })
  }

  return (
    <section className="panel dockerfile-panel" aria-label="Dockerfile">
      <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)} className="df-tabs">
        <header className="panel-header df-header">
          <Tabs.List size="1" className="df-tab-list">
            <Tabs.Trigger value="dockerfile">Dockerfile</Tabs.Trigger>
            <Tabs.Trigger value="dockerignore">.dockerignore</Tabs.Trigger>
            <Tabs.Trigger value="diff" data-testid="diff-tab">
              Diff
              {changedLines > 0 && (
                <Badge size="1" variant="soft" color="amber" ml="1" className="tabular">
                  {changedLines}
                </Badge>
              )}
            </Tabs.Trigger>
          </Tabs.List>
          <div className="df-actions">
            <CopyButton text={tab === 'dockerignore' ? view.recipe.dockerignore : view.recipe.dockerfile} label={tab === 'dockerignore' ? 'Copy .dockerignore' : 'Copy Dockerfile'} />
            <Button size="1" variant="soft" color="gray" onClick={() => openSave('.dockerignore')} className="df-save-ignore" data-testid="save-dockerignore">
              Save .dockerignore…
            </Button>
            {/* A narrow panel folds the secondary save into a menu (CSS container query) instead of cutting it off. */}
            <OverflowMenu label="More file actions" className="df-more" testId="df-more">
              <DropdownMenu.Item onSelect={() => openSave('.dockerignore')}>Save .dockerignore…</DropdownMenu.Item>
            </OverflowMenu>
            <Tooltip content={`Review and write the Dockerfile into the project (${isMac ? '⌘S' : 'Ctrl+S'})`}>
              {/* Quieter on the bundled example: saving into a project the person did not choose is not the next step. */}
              <Button size="1" variant={isExample ? 'soft' : 'solid'} onClick={() => openSave('Dockerfile')} data-testid="save-dockerfile">
                <Save size={13} aria-hidden />
                Save Dockerfile…
              </Button>
            </Tooltip>
          </div>
        </header>
        <RecipeOptions view={view} analysis={analysis} />

        <Tabs.Content value="dockerfile" className="df-content">
          <div className="df-split" style={split.style}>
            <ExplainedCode
              lines={view.dockerfileLines}
              tokens={dfTokens}
              lineToInstruction={view.grouped.lineToInstruction}
              instructionStarts={starts}
              selected={selectedIndex}
              hovered={hovered}
              lintSeverity={lintSeverity}
              onHover={setHovered}
              onSelect={setSelected}
              label="Generated Dockerfile: select a line for its explanation"
              testId="dockerfile-code"
            />
            <aside className="df-inspector" aria-label="Explanation and checks">
              <Explanation view={view} index={hovered ?? selectedIndex} />
              <Checks view={view} onSelectLine={selectLine} />
            </aside>
            <SplitHandle split={split} label="Resize the explanation" />
          </div>
        </Tabs.Content>
        <Tabs.Content value="dockerignore" className="df-content">
          <PlainCode lines={view.dockerignoreLines} tokens={diTokens} label="Generated .dockerignore" testId="dockerignore-code" />
        </Tabs.Content>
        <Tabs.Content value="diff" className="df-content">
          <div className="diff-tab" data-testid="diff-panel">
            {existing.dockerfile === null && existing.dockerignore === null ? (
              <div className="diff-none">
                <Text size="2" color="gray">
                  This project has no Dockerfile or .dockerignore yet. Saving creates them; the dialog shows what is written first.
                </Text>
              </div>
            ) : null}
            <DiffSection name="Dockerfile" before={existing.dockerfile} after={view.recipe.dockerfile} />
            <DiffSection name=".dockerignore" before={existing.dockerignore} after={view.recipe.dockerignore} />
          </div>
        </Tabs.Content>
      </Tabs.Root>

      <BuildFooter view={view} analysis={analysis} />

      <SaveDialog request={save} onClose={() => setSave(null)} onReread={reread} />
    </section>
  )
}

/** The build args (version and commit, defaulting to git) and the `docker build` command they make. */
function BuildFooter({ view, analysis }: { view: RecipeView; analysis: ProjectAnalysis }) {
  const recipe = useApp((s) => s.project.recipe)
  const setRecipe = useApp((s) => s.setRecipe)
  const saved = analysis.existing.dockerfile
  return (
    <footer className="df-footer">
      <Text as="label" size="1" className="df-option">
        <span className="df-option-label">Version</span>
        <TextField.Root
          size="1"
          className="df-field"
          placeholder={analysis.git?.tag ?? 'dev'}
          value={recipe.version}
          onChange={(e) => setRecipe({ version: e.target.value })}
          spellCheck={false}
          aria-label="Version build arg"
        />
      </Text>
      <Text as="label" size="1" className="df-option">
        <span className="df-option-label">Commit</span>
        <TextField.Root
          size="1"
          className="df-field"
          placeholder={analysis.git?.commit ?? 'unknown'}
          value={recipe.commit}
          onChange={(e) => setRecipe({ commit: e.target.value })}
          spellCheck={false}
          aria-label="Commit build arg"
        />
      </Text>
      <code className="build-cmd selectable" title={view.buildCommand} data-testid="build-command">
        {view.buildCommand}
      </code>
      {/* The command builds the file on disk: say so when that is not the preview, and offer the form that builds the preview. */}
      {saved !== view.recipe.dockerfile && (
        <Tooltip
          content={`${saved === null ? 'The project has no Dockerfile yet' : 'The Dockerfile in the project is not this preview'}: the command builds the file on disk. Save first, or copy the -f - form, which builds the preview as shown.`}
        >
          <Badge size="1" color="amber" variant="soft" className="build-cmd-state" data-testid="build-command-state">
            {saved === null ? 'not saved' : 'differs from saved'}
          </Badge>
        </Tooltip>
      )}
      <CopyButton text={view.buildCommand} label="Copy the build command (builds the Dockerfile on disk)" />
      <CopyButton text={view.buildCommandPreview} label="Copy a command that builds this preview (docker build -f -)" testId="copy-build-preview" />
    </footer>
  )
}
