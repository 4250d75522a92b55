import './settings.css'
import { Badge, Button, Callout, IconButton, Select, Spinner, Text, TextField, Tooltip } from '@radix-ui/themes'
import { CircleCheck, CircleExclamationPoint, CloudDownload, Minus, Plus, Trash2 } from 'lucide-react'
import { useEffect, useMemo } from 'react'
import { BASE_CATALOG, BUILTIN_BASE_IDS, chooseBuilder, resolveBases, type BuiltinBaseId } from '../../../../shared/dockerfile/bases'
import { useApp } from '../../stores'
import { PageToolbar } from '../shell/PageToolbar'
import { MadeBasesSection } from './MadeBasesSection'
import { PostgresImageSection } from './PostgresImageSection'
import { builderProblem, customBasesOf, isDirty, localTagSet, presenceOf, rowProblems, type BaseRow, type Presence } from './settings-model'

const PRESENCE: Record<Presence, { label: string; color: 'green' | 'amber' | 'gray'; title: string }> = {
  local: { label: 'on this machine', color: 'green', title: 'The engine has this image: builds use it without a registry.' },
  missing: { label: 'not here', color: 'amber', title: 'Not on this machine: a build pulls it first, which needs the registry (or a mirror) to answer.' },
  unknown: { label: 'unknown', color: 'gray', title: 'Pinned by digest or not checked yet: the build checks it.' },
  none: { label: 'no image', color: 'gray', title: 'scratch is the empty image: nothing to pull.' },
}

function PresenceBadge({ image, tags }: { image: string; tags: ReadonlySet<string> | null }) {
  const presence = presenceOf(image, tags)
  if (presence === 'missing') return <RegistryBadge image={image} />
  const p = PRESENCE[presence]
  const Icon = p.color === 'green' ? CircleCheck : Minus
  return (
    <Tooltip content={p.title}>
      <Badge size="1" variant="soft" color={p.color} className="presence" data-testid="presence">
        <Icon size={11} aria-hidden />
        {p.label}
      </Badge>
    </Tooltip>
  )
}

/** Not on this machine: what its registry says (asked once a minute at most, manifest only). */
function RegistryBadge({ image }: { image: string }) {
  const check = useApp((s) => s.registryChecks[image])
  const ask = useApp((s) => s.checkRegistry)
  useEffect(() => {
    // Typing an image reference changes it at every key: ask only once it has rested.
    const t = setTimeout(() => void ask(image), 600)
    return () => clearTimeout(t)
  }, [image, ask])
  if (!check || check.state === 'checking')
    return (
      <Badge size="1" variant="soft" color="gray" className="presence" data-testid="presence" data-presence="checking">
        <Spinner size="1" />
        not here · asking registry
      </Badge>
    )
  const result = check.state === 'done' ? check.result : null
  if (result?.local)
    return (
      <Badge size="1" variant="soft" color="green" className="presence" data-testid="presence" data-presence="local">
        <CircleCheck size={11} aria-hidden />
        {PRESENCE.local.label}
      </Badge>
    )
  if (result?.pullable)
    return (
      <Tooltip content={`Not on this machine; its registry has it${result.digest ? ` (${result.digest.slice(0, 19)}…)` : ''}: the first build pulls it.`}>
        <Badge size="1" variant="soft" color="blue" className="presence" data-testid="presence" data-presence="pullable">
          <CloudDownload size={11} aria-hidden />
          can be pulled
        </Badge>
      </Tooltip>
    )
  const problem = result?.problem ?? (check.state === 'failed' ? check.error : null)
  return (
    <Tooltip content={problem ? `${problem.message}${problem.detail ? ` ${problem.detail}` : ''}` : PRESENCE.missing.title}>
      <Badge size="1" variant="soft" color="red" className="presence" data-testid="presence" data-presence="unpullable">
        <CircleExclamationPoint size={11} aria-hidden />
        cannot be pulled
      </Badge>
    </Tooltip>
  )
}

function BaseRowEditor({ row, problem, tags }: { row: BaseRow; problem: string | undefined; tags: ReadonlySet<string> | null }) {
  const update = useApp((s) => s.updateBaseRow)
  const remove = useApp((s) => s.removeBaseRow)
  const errId = `base-row-${row.key}-problem`
  return (
    <li className="custom-row" data-testid="custom-base-row" data-invalid={problem ? '' : undefined}>
      <div className="custom-fields">
        <TextField.Root
          size="1"
          className="custom-id mono"
          value={row.id}
          placeholder="id, e.g. distroless-static"
          aria-label="Base id"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errId : undefined}
          onChange={(e) => update(row.key, { id: e.target.value })}
          spellCheck={false}
          data-testid="custom-base-id"
        />
        <Select.Root size="1" value={row.basedOn} onValueChange={(v) => update(row.key, { basedOn: v as BuiltinBaseId })}>
          <Select.Trigger variant="surface" className="custom-based-on" aria-label="Based on" />
          <Select.Content position="popper">
            {BUILTIN_BASE_IDS.map((id) => (
              <Select.Item key={id} value={id}>
                like {BASE_CATALOG.find((b) => b.id === id)?.label ?? id}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
        <TextField.Root
          size="1"
          className="custom-image mono"
          value={row.image}
          placeholder="registry.example.com/distroless/static:nonroot"
          aria-label="Image reference"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errId : undefined}
          onChange={(e) => update(row.key, { image: e.target.value })}
          spellCheck={false}
          data-testid="custom-base-image"
        />
        <span className="custom-presence">{!problem && row.image.trim() && <PresenceBadge image={row.image.trim()} tags={tags} />}</span>
        <Tooltip content="Remove this base">
          <IconButton size="1" variant="ghost" color="gray" aria-label="Remove this base" onClick={() => remove(row.key)}>
            <Trash2 size={13} aria-hidden />
          </IconButton>
        </Tooltip>
      </div>
      {problem && (
        <Text as="p" size="1" color="red" id={errId} className="custom-problem selectable" data-testid="custom-base-problem">
          <CircleExclamationPoint size={12} aria-hidden />
          {problem} Not saved or used until fixed; the other bases are.
        </Text>
      )}
    </li>
  )
}

/** Settings: custom and mirrored bases, the builder image, and the catalog they make, each image checked against the engine. */
export function SettingsPage() {
  const form = useApp((s) => s.settingsForm)
  const load = useApp((s) => s.loadSettingsForm)
  const save = useApp((s) => s.saveSettingsForm)
  const addRow = useApp((s) => s.addBaseRow)
  const setBuilder = useApp((s) => s.setBuilderDraft)
  const images = useApp((s) => s.images.list)
  const loadImages = useApp((s) => s.loadImages)
  const analysis = useApp((s) => s.project.analysis)

  useEffect(() => {
    void load()
    if (images === null) void loadImages()
    // Once per visit; the image list keeps itself fresh from engine events afterwards.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const rows = form.rows
  const tags = useMemo(() => (images ? localTagSet(images.flatMap((i) => i.repoTags)) : null), [images])
  const problems = useMemo(() => rowProblems(rows ?? []), [rows])
  const storedBases = useApp((s) => s.project.settings?.customBases)
  // Until the form is filled, the catalog is the one in use (from the settings the app already has).
  const catalog = useMemo(() => resolveBases(rows ? customBasesOf(rows.filter((r) => !problems.has(r.key))) : (storedBases ?? [])).bases, [rows, problems, storedBases])
  const builderErr = builderProblem(form.builderImage)
  const dirty = rows !== null && isDirty(rows, form.builderImage, form.stored)
  const defaultBuilder = chooseBuilder(analysis?.module ?? null, null)

  return (
    <div className="settings-page">
      <PageToolbar
        title="Settings"
        subtitle="Bases, the builder image and the dev stack's Postgres, shared by the app and the CLI"
        actions={
          <>
            <Text size="1" color="gray" className="settings-state" aria-live="polite" data-testid="settings-state">
              {form.saving ? 'Saving…' : dirty ? 'Unsaved changes' : form.savedAt ? 'Saved' : ''}
            </Text>
            <Button size="1" variant="soft" color="gray" disabled={!dirty || form.saving} onClick={() => void load({ force: true })}>
              Revert
            </Button>
            <Button size="1" disabled={!dirty || form.saving || builderErr !== null} onClick={() => void save()} data-testid="settings-save">
              <Spinner loading={form.saving} size="1" />
              Save
            </Button>
          </>
        }
      />
      <div className="page-body">
        <div className="settings-column">
          {form.error && (
            <Callout.Root color="red" size="1" mb="4" role="alert">
              <Callout.Icon>
                <CircleExclamationPoint size={15} />
              </Callout.Icon>
              <Callout.Text className="selectable">
                {form.error.message} {form.error.detail}
              </Callout.Text>
            </Callout.Root>
          )}

          <section className="settings-section" aria-labelledby="custom-bases-title">
            <header className="settings-section-head">
              <h2 id="custom-bases-title" className="settings-title">
                Custom and mirrored bases
              </h2>
              <Button size="1" variant="soft" onClick={addRow} disabled={rows === null} data-testid="add-base">
                <Plus size={13} aria-hidden />
                Add base
              </Button>
            </header>
            <Text as="p" size="1" color="gray" className="settings-help">
              Give a built-in id (e.g. <code>distroless-static</code>) to use a mirror of that base, or a new id to add a base that behaves like the one it is based
              on. Each entry is checked on its own: one with a problem is not saved, the others are.
            </Text>
            {rows === null ? (
              <Spinner size="2" />
            ) : rows.length === 0 ? (
              <Text as="p" size="2" color="gray" className="settings-none">
                None: every base comes from its official registry.
              </Text>
            ) : (
              <>
                <div className="custom-head" aria-hidden>
                  <span>Id</span>
                  <span>Based on</span>
                  <span>Image reference</span>
                </div>
                <ul className="custom-list" data-testid="custom-bases">
                  {rows.map((r) => (
                    <BaseRowEditor key={r.key} row={r} problem={problems.get(r.key)} tags={tags} />
                  ))}
                </ul>
              </>
            )}
          </section>

          <section className="settings-section" aria-labelledby="builder-title">
            <header className="settings-section-head">
              <h2 id="builder-title" className="settings-title">
                Builder image
              </h2>
            </header>
            <Text as="p" size="1" color="gray" className="settings-help">
              The Go image the build stage runs in. Leave it blank to choose it from each project’s go.mod
              {analysis ? ` (for ${analysis.name}: ${defaultBuilder.image})` : ''}. Builds run with GOTOOLCHAIN=local, so its Go must be at least the module’s.
            </Text>
            <div className="builder-field">
              <TextField.Root
                size="2"
                className="mono"
                value={form.builderImage}
                placeholder={`chosen from go.mod, e.g. ${defaultBuilder.image}`}
                onChange={(e) => setBuilder(e.target.value)}
                aria-label="Builder image"
                aria-invalid={builderErr ? true : undefined}
                spellCheck={false}
                disabled={rows === null}
                data-testid="builder-image"
              />
              <span className="custom-presence">
                <PresenceBadge image={form.builderImage.trim() || defaultBuilder.image} tags={tags} />
              </span>
            </div>
            {builderErr && (
              <Text as="p" size="1" color="red" className="custom-problem" data-testid="builder-problem">
                <CircleExclamationPoint size={12} aria-hidden />
                {builderErr}
              </Text>
            )}
          </section>

          <PostgresImageSection presence={(image) => <PresenceBadge image={image} tags={tags} />} />

          <MadeBasesSection />

          <section className="settings-section" aria-labelledby="catalog-title">
            <header className="settings-section-head">
              <h2 id="catalog-title" className="settings-title">
                Base catalog
              </h2>
              <Text size="1" color="gray">
                {dirty ? 'as it will be once saved' : 'in use'}
              </Text>
            </header>
            <table className="settings-table catalog-table" data-testid="base-catalog">
              <thead>
                <tr>
                  <th>Base</th>
                  <th>Id</th>
                  <th>Image</th>
                  <th>Available</th>
                </tr>
              </thead>
              <tbody>
                {catalog.map((b) => (
                  <tr key={b.id} data-testid={`catalog-${b.id}`}>
                    <td>
                      <span className="catalog-label">{b.label}</span>
                      {b.custom && (
                        <Badge size="1" variant="soft" color={BUILTIN_BASE_IDS.includes(b.id as BuiltinBaseId) ? 'blue' : 'iris'} ml="2">
                          {BUILTIN_BASE_IDS.includes(b.id as BuiltinBaseId) ? 'mirrored' : 'custom'}
                        </Badge>
                      )}
                    </td>
                    <td className="mono">{b.id}</td>
                    <td className="mono catalog-image selectable" title={b.image}>
                      {b.image}
                    </td>
                    <td>
                      <PresenceBadge image={b.image} tags={tags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {images === null && (
              <Text as="p" size="1" color="gray" mt="2">
                Checking the engine’s images…
              </Text>
            )}
          </section>
        </div>
      </div>
    </div>
  )
}
