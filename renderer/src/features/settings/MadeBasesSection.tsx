import './made-bases.css'
import { Badge, Button, Progress, Spinner, Text } from '@radix-ui/themes'
import { ChevronDown, ChevronRight, CircleExclamationPoint } from 'lucide-react'
import { useEffect, useState } from 'react'
import type { MadeBase } from '../../../../shared/debian/types'
import { formatBytes } from '../../../../shared/format'
import { useApp } from '../../stores'

const PHASES: Record<string, string> = { indexes: 'Reading indexes', resolving: 'Resolving', downloading: 'Downloading', unpacking: 'Unpacking', loading: 'Loading' }

/**
 * Settings → Bases made here: the bases Slipway makes from this machine's Debian mirror (no
 * registry needed), each with its state, size and exact packages (an SBOM-like list), a Make
 * button with progress and cancel, and Use, which points the catalog (or the builder) at it.
 */
export function MadeBasesSection() {
  const { list, error, job } = useApp((s) => s.madeBases)
  const load = useApp((s) => s.loadMadeBases)
  const make = useApp((s) => s.makeBases)
  const cancel = useApp((s) => s.cancelMakeBases)
  const use = useApp((s) => s.useMadeBase)
  const stored = useApp((s) => s.settingsForm.stored)
  const inUse = (image: string) => stored?.builderImage === image || (stored?.customBases ?? []).some((c) => (c as { image?: unknown }).image === image)
  const [open, setOpen] = useState<string | null>(null)
  const [useError, setUseError] = useState<string | null>(null)
  useEffect(() => {
    void load()
  }, [load])
  const running = job?.status === 'running'
  const p = job?.progress

  return (
    <section className="settings-section" aria-labelledby="made-bases-title" data-testid="settings-made-bases">
      <header className="settings-section-head">
        <h2 id="made-bases-title" className="settings-title">
          Bases made here
        </h2>
        <Button size="1" variant="soft" disabled={running || !list} onClick={() => void make(['static', 'golang'])} data-testid="made-bases-make-default">
          Make static + Go builder
        </Button>
      </header>
      <Text as="p" size="1" color="gray" className="settings-help">
        Where no image registry answers, Slipway makes its bases from the Debian mirror in this machine&apos;s apt sources: every index and
        package checked against the mirror&apos;s signed Release, unpacked without root, loaded into the engine. The same packages give the same
        image.
      </Text>
      {running && (
        <div className="made-progress" role="status" aria-live="polite" data-testid="made-bases-progress">
          <Text size="1">
            {p ? `${p.base}: ${PHASES[p.phase] ?? p.phase} — ${p.phase === 'downloading' ? `${formatBytes(p.done)} of ${formatBytes(p.total)}` : p.message}` : 'Starting…'}
          </Text>
          <Progress size="1" value={p && p.total ? Math.min(100, (100 * p.done) / p.total) : undefined} />
          <Button size="1" variant="soft" color="gray" onClick={() => void cancel()} data-testid="made-bases-cancel">
            Cancel
          </Button>
        </div>
      )}
      {job && job.status === 'failed' && (
        <Text as="p" size="1" color={job.cancelled ? 'gray' : 'red'} className="custom-problem selectable" role="alert" data-testid="made-bases-error">
          <CircleExclamationPoint size={12} aria-hidden />
          {job.cancelled ? 'Cancelled: nothing was loaded.' : `${job.error?.message ?? 'Failed.'} ${job.error?.detail ?? ''}`}
        </Text>
      )}
      {job?.status === 'done' && job.notices.map((n) => (
        <Text key={n} as="p" size="1" color="amber">
          {n}
        </Text>
      ))}
      {(error || useError) && (
        <Text as="p" size="1" color="red" className="custom-problem selectable" role="alert">
          <CircleExclamationPoint size={12} aria-hidden />
          {useError ?? `${error?.message} ${error?.detail ?? ''}`}
        </Text>
      )}
      {!list && !error && <Spinner size="2" />}
      {list && (
        <table className="settings-table made-table" data-testid="made-bases-table">
          <thead>
            <tr>
              <th scope="col">Base</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num">
                Packages
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <MadeRow
                key={b.id}
                base={b}
                open={open === b.id}
                toggle={() => setOpen(open === b.id ? null : b.id)}
                busy={running}
                inUse={inUse(b.image)}
                make={() => void make([b.id])}
                use={async () => {
                  const err = await use(b)
                  setUseError(err ? `${err.message} ${err.detail ?? ''}` : null)
                }}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function MadeRow(props: { base: MadeBase; open: boolean; toggle: () => void; busy: boolean; inUse: boolean; make: () => void; use: () => Promise<void> }) {
  const { base: b } = props
  const state = !b.present ? { label: 'Not made', color: 'gray' as const } : b.current ? { label: 'Made', color: 'green' as const } : { label: 'Older recipe', color: 'amber' as const }
  return (
    <>
      <tr data-testid={`made-base-${b.id}`}>
        <td>
          <Text size="2" weight="medium">
            {b.label}
          </Text>{' '}
          <span className="mono made-image" title={b.image}>
            {b.image}
          </span>
          <Text as="div" size="1" color="gray">
            {b.summary}
          </Text>
        </td>
        <td>
          <Badge size="1" variant="soft" color={state.color}>
            {state.label}
          </Badge>
          {props.inUse && (
            <Badge size="1" variant="soft" color="blue" ml="1">
              In use
            </Badge>
          )}
        </td>
        <td className="num">{b.sizeBytes !== null ? formatBytes(b.sizeBytes) : '—'}</td>
        <td className="num">
          {b.present ? (
            <Button size="1" variant="ghost" onClick={props.toggle} aria-expanded={props.open} data-testid={`made-base-packages-${b.id}`}>
              {props.open ? <ChevronDown size={12} aria-hidden /> : <ChevronRight size={12} aria-hidden />}
              {b.packages.length}
            </Button>
          ) : (
            '—'
          )}
        </td>
        <td className="made-actions">
          <Button size="1" variant="soft" disabled={props.busy} onClick={props.make} data-testid={`made-base-make-${b.id}`}>
            {b.present ? 'Make again' : 'Make'}
          </Button>
          <Button size="1" variant="soft" color="gray" disabled={!b.present || props.inUse} onClick={() => void props.use()} data-testid={`made-base-use-${b.id}`}>
            Use
          </Button>
        </td>
      </tr>
      {props.open && (
        <tr className="made-packages">
          <td colSpan={5}>
            <ul className="mono selectable" aria-label={`Packages in ${b.image}`}>
              {b.packages.map((p) => (
                <li key={p.name}>
                  {p.name} <span className="made-version">{p.version}</span>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  )
}
