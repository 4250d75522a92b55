import { Badge, Button, Flex, Heading, IconButton, Kbd, Popover, SegmentedControl, Select, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { FolderOpen, GitBranch, Hammer, RefreshCw } from 'lucide-react'
import type { GitState, ProjectAnalysis } from '../../../../shared/types/project'
import { modKey } from '../../hooks/platform'
import { useApp, type ProjectViewTab } from '../../stores'
import { PathField, PickFolderButton, RecentProjects, canPickFolder } from './IntakePanel'

function GitBadge({ git }: { git: GitState | null }) {
  if (!git)
    return (
      <Badge size="1" variant="soft" color="gray" title="Not a git repository: version and commit default to dev and unknown">
        no git
      </Badge>
    )
  return (
    <Badge
      size="1"
      variant="soft"
      color={git.dirty ? 'amber' : 'gray'}
      className="git-badge"
      title={`${git.tag ? `Tag ${git.tag}, ` : 'No tag, '}commit ${git.commit}${git.dirty ? ', with uncommitted changes' : ''}`}
      data-testid="git-badge"
    >
      <GitBranch size={11} aria-hidden />
      {git.tag && <span>{git.tag}</span>}
      <span className="mono">{git.commit}</span>
      {git.dirty && <span>· dirty</span>}
    </Badge>
  )
}

function MainPicker({ analysis }: { analysis: ProjectAnalysis }) {
  const selectMain = useApp((s) => s.selectMain)
  const busy = useApp((s) => s.project.pending?.kind === 'main')
  return (
    <Flex align="center" gap="2">
      <Text size="1" color="gray" as="label" htmlFor="main-picker">
        Main
      </Text>
      <Select.Root size="1" value={analysis.selectedMain ?? undefined} onValueChange={(v) => void selectMain(v)} disabled={busy}>
        <Select.Trigger id="main-picker" variant="surface" className="main-trigger" aria-label="Main package" />
        <Select.Content position="popper">
          {analysis.mains.map((m) => (
            <Select.Item key={m.dir} value={m.dir}>
              <span className="mono">{m.dir === '.' ? '. (root)' : m.dir}</span>
            </Select.Item>
          ))}
        </Select.Content>
      </Select.Root>
    </Flex>
  )
}

/** The toolbar's Open… popover: the path field, the folder picker and the recent projects. */
export function OpenProjectPopover() {
  const open = useApp((s) => s.project.intakeOpen)
  const setOpen = useApp((s) => s.setIntakeOpen)
  const opening = useApp((s) => s.project.pending?.kind === 'open')
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger>
        <Button size="1" variant="soft" aria-keyshortcuts={modKey === '⌘' ? 'Meta+O' : 'Control+O'} data-testid="open-project">
          <Spinner loading={opening} size="1">
            <FolderOpen size={14} aria-hidden />
          </Spinner>
          Open…
        </Button>
      </Popover.Trigger>
      <Popover.Content align="end" className="open-popover" sideOffset={6}>
        <Flex align="baseline" justify="between" mb="2">
          <Heading as="h2" size="2">
            Open a Go project
          </Heading>
          <Text size="1" color="gray">
            <Kbd size="1">{modKey === '⌘' ? '⌘O' : 'Ctrl+O'}</Kbd>
          </Text>
        </Flex>
        <PathField autoFocus />
        <Flex align="center" gap="3" mt="2">
          <PickFolderButton size="1" />
          <Text size="1" color="gray">
            {canPickFolder ? 'or drop a folder on the window' : 'Browser mode: type or paste the folder’s path'}
          </Text>
        </Flex>
        <RecentProjects />
      </Popover.Content>
    </Popover.Root>
  )
}

/** Recipe, Build and History: which view of the project the page shows. */
function ViewSwitch({ building }: { building: boolean }) {
  const tab = useApp((s) => s.build.view)
  const setView = useApp((s) => s.setProjectView)
  return (
    <SegmentedControl.Root size="1" value={tab} onValueChange={(v) => setView(v as ProjectViewTab)} className="view-switch" aria-label="Project view" data-testid="view-switch">
      <SegmentedControl.Item value="recipe">Recipe</SegmentedControl.Item>
      <SegmentedControl.Item value="build">
        {/* The dot keeps its place when idle, so the label never moves when a build starts. */}
        <span className="view-switch-build">
          <span className="view-switch-dot" data-on={building ? '' : undefined} aria-hidden />
          Build
        </span>
      </SegmentedControl.Item>
      <SegmentedControl.Item value="history">History</SegmentedControl.Item>
      <SegmentedControl.Item value="compare">Compare</SegmentedControl.Item>
    </SegmentedControl.Root>
  )
}

/** The project page's toolbar: name, path and git state; the view switch, Build, main package, re-analyse and open. */
export function ProjectToolbar({ analysis, onBuild, building }: { analysis: ProjectAnalysis; onBuild: () => void; building: boolean }) {
  const reanalyse = useApp((s) => s.reanalyse)
  const busy = useApp((s) => s.project.pending?.kind === 'reanalyse')
  const setView = useApp((s) => s.setProjectView)
  return (
    <header className="toolbar project-toolbar">
      <div className="project-title">
        <Heading as="h1" size="3" weight="bold" className="toolbar-title" data-testid="project-name">
          {analysis.name}
        </Heading>
        <Text size="1" color="gray" className="project-path mono selectable" title={analysis.root} data-testid="project-path">
          <bdi>{analysis.root}</bdi>
        </Text>
        <GitBadge git={analysis.git} />
      </div>
      <Flex align="center" gap="3" ml="auto" flexShrink="0">
        {analysis.mains.length > 1 && <MainPicker analysis={analysis} />}
        <ViewSwitch building={building} />
        <Tooltip content={building ? 'A build of this project is running: show it' : `Build the image on the chosen base (${modKey === '⌘' ? '⌘B' : 'Ctrl+B'})`}>
          <Button
            size="1"
            onClick={building ? () => setView('build') : onBuild}
            aria-keyshortcuts={modKey === '⌘' ? 'Meta+B' : 'Control+B'}
            className="build-button"
            data-testid="build-button"
          >
            <Spinner loading={building} size="1">
              <Hammer size={13} aria-hidden />
            </Spinner>
            Build
          </Button>
        </Tooltip>
        <Tooltip content="Analyse again (after changing files)">
          <IconButton size="1" variant="ghost" color="gray" aria-label="Analyse again" onClick={() => void reanalyse()} disabled={busy}>
            <Spinner loading={busy} size="1">
              <RefreshCw size={14} aria-hidden />
            </Spinner>
          </IconButton>
        </Tooltip>
        <OpenProjectPopover />
      </Flex>
    </header>
  )
}
