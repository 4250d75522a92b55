import { Badge, Button, Callout, Checkbox, DropdownMenu, Flex, IconButton, Switch, Text, TextField, Tooltip } from '@radix-ui/themes'
import { ChevronDown, Eye, EyeOff, FileOutput, Info, TriangleAlert } from 'lucide-react'
import { useState } from 'react'
import type { StackProposal } from '../../../../shared/stack/types'
import { CopyButton } from '../../components/CopyButton'
import { requiredEmpty, type StackDraft } from './stack-model'

/** Postgres versions offered for the official image; any other reference (a mirror, a stand-in) can be typed. */
const VERSIONS = ['postgres:17-alpine', 'postgres:16-alpine', 'postgres:15-alpine', 'postgres:14-alpine']

function PortField({ label, value, taken, container, onChange }: { label: string; value: string; taken: number | null; container: number; onChange: (v: string) => void }) {
  return (
    <div className="stack-field">
      <Text as="label" size="1" color="gray" htmlFor={`stack-port-${label}`}>
        {label} port on 127.0.0.1
      </Text>
      <div className="stack-field-row">
        <TextField.Root
          id={`stack-port-${label}`}
          size="1"
          className="stack-port-input tabular"
          inputMode="numeric"
          aria-label={`Host port for the ${label}`}
          value={value}
          onChange={(e) => onChange(e.target.value.trim())}
        />
        <Text size="1" color="gray" className="tabular">
          → {container}
        </Text>
        {taken !== null && (
          <Tooltip content={`Port ${taken} is taken on this computer by another program, so a free one is proposed.`}>
            <Badge color="amber" size="1" data-testid="stack-port-taken">
              {taken} in use
            </Badge>
          </Tooltip>
        )}
      </div>
    </div>
  )
}

/**
 * What Up will start, editable before it does: the app image (or the build it needs first), the
 * Postgres image and version, host ports (taken ones said, free ones proposed), the app's
 * variables with their defaults, the data volume, and the compose file it writes.
 */
export function StackConfig({
  proposal,
  draft,
  onDraft,
  onPostgresImage,
  disabled,
  open,
  onOpen,
  onExport,
}: {
  proposal: StackProposal
  draft: StackDraft
  onDraft: (d: StackDraft) => void
  /** A new Postgres image was chosen: propose again for it (the YAML and notices follow). */
  onPostgresImage: (image: string) => void
  disabled: boolean
  /** Shown in full; closed, one line sums it up (the default while the stack runs). */
  open: boolean
  onOpen: (open: boolean) => void
  /** Export to project…; null where it is not offered (another folder's stack). */
  onExport: (() => void) | null
}) {
  const [showYaml, setShowYaml] = useState(false)
  const set = (patch: Partial<StackDraft>) => onDraft({ ...draft, ...patch })
  const setVar = (i: number, patch: Partial<StackDraft['env'][number]>) => set({ env: draft.env.map((e, j) => (j === i ? { ...e, ...patch } : e)) })
  const { app, projectCompose: own } = proposal
  const slipwayOff = disabled || draft.useProjectCompose
  const required = slipwayOff ? [] : requiredEmpty(draft)
  const commitImage = () => {
    const image = draft.postgresImage.trim()
    if (image && image !== proposal.postgresImage) onPostgresImage(image)
  }

  const head = (
    <Button size="1" variant="ghost" color="gray" aria-expanded={open} onClick={() => onOpen(!open)} className="stack-config-toggle">
      <ChevronDown size={13} className={open ? 'stack-chevron is-open' : 'stack-chevron'} aria-hidden />
      <Text size="2" weight="medium" color="gray" highContrast>
        {proposal.defined ? 'Configuration' : 'What Up starts'}
      </Text>
    </Button>
  )
  if (!open)
    return (
      <section className="stack-panel stack-config is-closed" aria-label="Configuration" data-testid="stack-config">
        {head}
        <Text size="1" color="gray" className="stack-config-summary">
          {draft.postgresImage} · app on {draft.appPort} · database on {draft.dbPort}
          {draft.env.length ? ` · ${draft.env.length} variable${draft.env.length === 1 ? '' : 's'}` : ''} — applies at the next Up
        </Text>
      </section>
    )

  return (
    <section className="stack-panel stack-config" aria-label="Configuration" data-testid="stack-config">
      {head}
      {own && (
        <div className="stack-own" data-testid="stack-project-compose">
          <Text as="label" size="2" className="stack-own-switch">
            <Switch
              size="1"
              checked={draft.useProjectCompose}
              disabled={disabled || own.problem !== null}
              onCheckedChange={(v) => set({ useProjectCompose: v })}
            />
            Run the project&apos;s own <code className="stack-mono">{own.file}</code> as it is
          </Text>
          <Text as="div" size="1" color="gray">
            {own.services.length
              ? own.services.map((x) => `${x.name} (${x.image ?? `built from ${x.build ?? '.'}`}${x.ports.length ? `, ${x.ports.join(' ')}` : ''})`).join(' · ')
              : 'No services could be read.'}{' '}
            — Slipway runs it unchanged and never rewrites it.
          </Text>
          {own.problem && (
            <Text as="div" size="1" color="red">
              {own.problem}
            </Text>
          )}
          {own.warnings.map((w) => (
            <Flex key={w} gap="2" align="start">
              <TriangleAlert size={13} className="stack-own-warn" aria-hidden />
              <Text size="1" color="amber">
                {w}
              </Text>
            </Flex>
          ))}
        </div>
      )}
      <fieldset disabled={slipwayOff} className="stack-config-grid">
        <div className="stack-field">
          <Text size="1" color="gray">
            App image
          </Text>
          <Text size="2" className={app.action === 'use' ? 'stack-mono' : undefined} data-testid="stack-app-image">
            {app.action === 'use' ? app.image : app.action === 'build' ? `Built on ${app.base} first` : `Rebuilt on ${app.base} first`}
          </Text>
          {app.reason && (
            <Text size="1" color="amber">
              {app.reason}
            </Text>
          )}
        </div>
        <div className="stack-field">
          <Text as="label" size="1" color="gray" htmlFor="stack-pg-image">
            Postgres image
          </Text>
          <div className="stack-field-row">
            <TextField.Root
              id="stack-pg-image"
              size="1"
              className="stack-mono stack-grow"
              aria-label="Postgres image"
              spellCheck={false}
              value={draft.postgresImage}
              onChange={(e) => set({ postgresImage: e.target.value })}
              onBlur={commitImage}
              onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commitImage())}
            />
            <DropdownMenu.Root>
              <DropdownMenu.Trigger>
                <IconButton size="1" variant="soft" color="gray" aria-label="Choose a Postgres version">
                  <ChevronDown size={13} aria-hidden />
                </IconButton>
              </DropdownMenu.Trigger>
              <DropdownMenu.Content size="1" align="end">
                {VERSIONS.map((v) => (
                  <DropdownMenu.Item
                    key={v}
                    onSelect={() => {
                      set({ postgresImage: v })
                      onPostgresImage(v)
                    }}
                  >
                    {v}
                  </DropdownMenu.Item>
                ))}
              </DropdownMenu.Content>
            </DropdownMenu.Root>
          </div>
        </div>
        <PortField label="app" value={draft.appPort} taken={proposal.ports.app.taken} container={proposal.ports.app.container} onChange={(appPort) => set({ appPort })} />
        <PortField label="database" value={draft.dbPort} taken={proposal.ports.db.taken} container={proposal.ports.db.container} onChange={(dbPort) => set({ dbPort })} />
      </fieldset>

      <div className="stack-field">
        <Text size="1" color="gray">
          Database
        </Text>
        <Text size="2">
          <span className="stack-mono">{proposal.dbName}</span> as <span className="stack-mono">{proposal.dbUser}</span>, a random password kept in Slipway&apos;s data
          folder; wired to the app as{' '}
          {proposal.databaseVars.map((v, i) => (
            <span key={v}>
              {i > 0 && ', '}
              <span className="stack-mono">{v}</span>
            </span>
          ))}
          {proposal.databaseVars.length === 0 && 'nothing (the code reads no database variable)'}.
        </Text>
        <Text size="1" color="gray" data-testid="stack-volume">
          Data in the volume <span className="stack-mono">{proposal.volume}</span>
          {proposal.volumeExists ? ' — it exists and is kept: Up reuses it (a different major Postgres version cannot read it).' : ' — made at the first Up.'}
        </Text>
      </div>

      {(proposal.initdb.files.length > 0 || proposal.initdb.skipped.length > 0) && (
        <fieldset disabled={slipwayOff} className="stack-initdb" aria-label="Schema files" data-testid="stack-initdb">
          <Text as="div" size="1" color="gray" mb="1">
            SQL files Postgres runs when the database is new
            {proposal.volumeExists ? ' (the volume exists, so they run again only after Down and delete data)' : ''}:
          </Text>
          {proposal.initdb.files.map((f) => (
            <Text as="label" key={f} size="2" className="stack-initdb-row">
              <Checkbox
                size="1"
                checked={draft.initdb.includes(f)}
                onCheckedChange={(c) => set({ initdb: c === true ? [...draft.initdb, f] : draft.initdb.filter((x) => x !== f) })}
              />
              <span className="stack-mono">{f}</span>
            </Text>
          ))}
          {proposal.initdb.skipped.map((x) => (
            <Text as="div" key={x} size="1" color="gray">
              {x}
            </Text>
          ))}
        </fieldset>
      )}

      <fieldset disabled={slipwayOff} className="stack-env" aria-label="Variables">
        <Text as="div" size="1" color="gray" mb="1">
          {draft.env.length ? "The app's other variables, with the defaults its code uses. Empty ones are not set." : 'The code reads no other variables.'}
        </Text>
        {draft.env.map((e, i) => {
          const masked = e.secret && !e.reveal
          return (
            <div key={e.name} className="stack-env-row" data-testid="stack-env-row">
              <Text as="label" size="1" className="stack-mono stack-env-name" htmlFor={`stack-env-${e.name}`} title={e.evidence ? `read at ${e.evidence}` : undefined}>
                {e.name}
              </Text>
              <TextField.Root
                id={`stack-env-${e.name}`}
                size="1"
                className="stack-mono"
                aria-label={`Value of ${e.name}`}
                type={masked ? 'password' : 'text'}
                autoComplete="off"
                spellCheck={false}
                placeholder={`${e.required ? 'required' : 'unset'}${e.evidence ? ` · read at ${e.evidence}` : ''}`}
                aria-required={e.required || undefined}
                value={e.value}
                onChange={(ev) => setVar(i, { value: ev.target.value })}
              >
                {e.secret && (
                  <TextField.Slot side="right">
                    <IconButton type="button" size="1" variant="ghost" color="gray" aria-label={masked ? `Show ${e.name}` : `Hide ${e.name}`} onClick={() => setVar(i, { reveal: !e.reveal })}>
                      {masked ? <Eye size={13} /> : <EyeOff size={13} />}
                    </IconButton>
                  </TextField.Slot>
                )}
              </TextField.Root>
            </div>
          )
        })}
        {required.length > 0 && (
          <Text as="div" size="1" color="red" mt="1" role="status" data-testid="stack-required-empty">
            The app stops without {required.map((e) => e.name).join(', ')}: Up starts once {required.length === 1 ? 'it has a value' : 'each has a value'}.
          </Text>
        )}
      </fieldset>

      {proposal.notices.map((n) => (
        <Callout.Root key={n} size="1" color="amber" variant="surface">
          <Callout.Icon>
            <Info size={14} />
          </Callout.Icon>
          <Callout.Text>{n}</Callout.Text>
        </Callout.Root>
      ))}

      <div className="stack-yaml">
        <Flex align="center" gap="3" wrap="wrap">
          <Button size="1" variant="ghost" color="gray" aria-expanded={showYaml} onClick={() => setShowYaml((s) => !s)}>
            <ChevronDown size={13} className={showYaml ? 'stack-chevron is-open' : 'stack-chevron'} aria-hidden /> Compose file
          </Button>
          {onExport && (
            <Button size="1" variant="ghost" onClick={onExport} data-testid="stack-export-open">
              <FileOutput size={13} aria-hidden /> Export to project…
            </Button>
          )}
        </Flex>
        {showYaml && (
          <div className="stack-yaml-body">
            <div className="stack-yaml-copy">
              <CopyButton text={proposal.yaml} label="Copy the compose file" />
            </div>
            <pre className="stack-yaml-text selectable" data-testid="stack-yaml">
              {proposal.yaml}
            </pre>
            <Text as="p" size="1" color="gray">
              Written to Slipway&apos;s data folder, not into the project; the password comes from a .env file next to it.
            </Text>
          </div>
        )}
      </div>
    </section>
  )
}
