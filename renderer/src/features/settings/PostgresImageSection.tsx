import { Button, Select, Spinner, Text, TextField } from '@radix-ui/themes'
import { CircleExclamationPoint } from 'lucide-react'
import { useMemo, useState, type ReactNode } from 'react'
import { DEFAULT_POSTGRES_IMAGE, POSTGRES_VERSIONS, postgresVersionOf, withPostgresVersion } from '../../../../shared/stack/compose'
import { imageRefProblem } from '../../../../shared/dockerfile/image-ref'
import { useApp } from '../../stores'

/**
 * Settings → Dev stack: the Postgres image every stack starts (blank: postgres:16-alpine), typed as
 * any reference (a company mirror, a stand-in made locally) or moved to another major version with
 * the picker, which keeps the repository and the tag's suffix. Saved on its own: it touches no base.
 */
export function PostgresImageSection({ presence }: { presence: (image: string) => ReactNode }) {
  const stored = useApp((s) => s.project.settings?.postgresImage ?? null)
  const save = useApp((s) => s.savePostgresImage)
  const [draft, setDraft] = useState(stored ?? '')
  const [state, setState] = useState<{ saving: boolean; error: string | null; saved: boolean }>({ saving: false, error: null, saved: false })
  // A new stored value (saved here, or elsewhere) replaces the field, as React advises: during render, not in an effect.
  const [seen, setSeen] = useState(stored)
  if (seen !== stored) {
    setSeen(stored)
    setDraft(stored ?? '')
  }

  const image = draft.trim() || DEFAULT_POSTGRES_IMAGE
  const problem = draft.trim() ? imageRefProblem(draft.trim()) : null
  const version = postgresVersionOf(image)
  const versions = useMemo(() => [...new Set([...POSTGRES_VERSIONS, ...(version ? [version] : [])])].sort((a, b) => Number(b) - Number(a)), [version])
  const dirty = (draft.trim() || null) !== stored

  const commit = async () => {
    setState({ saving: true, error: null, saved: false })
    const err = await save(draft.trim() || null)
    setState({ saving: false, error: err ? `${err.message}${err.detail ? ` ${err.detail}` : ''}` : null, saved: !err })
  }

  return (
    <section className="settings-section" aria-labelledby="postgres-title" data-testid="settings-postgres">
      <header className="settings-section-head">
        <h2 id="postgres-title" className="settings-title">
          Dev stack
        </h2>
      </header>
      <Text as="p" size="1" color="gray" className="settings-help">
        The Postgres image the Stacks page starts next to the app. Leave it blank for <code>{DEFAULT_POSTGRES_IMAGE}</code>; name a company mirror
        or an image made on this machine when no registry answers. A database keeps the major version it was made with.
      </Text>
      <div className="builder-field postgres-field">
        <TextField.Root
          size="2"
          className="mono"
          value={draft}
          placeholder={DEFAULT_POSTGRES_IMAGE}
          onChange={(e) => {
            setDraft(e.target.value)
            setState((s) => ({ ...s, saved: false }))
          }}
          onKeyDown={(e) => e.key === 'Enter' && dirty && !problem && void commit()}
          aria-label="Postgres image"
          aria-invalid={problem ? true : undefined}
          spellCheck={false}
          data-testid="postgres-image"
        />
        <Select.Root
          size="2"
          value={version ?? ''}
          disabled={!version}
          onValueChange={(v) => {
            const next = withPostgresVersion(image, v)
            if (next) setDraft(next)
          }}
        >
          <Select.Trigger variant="surface" aria-label="Postgres major version" placeholder="version" data-testid="postgres-version" />
          <Select.Content position="popper">
            {versions.map((v) => (
              <Select.Item key={v} value={v}>
                Postgres {v}
              </Select.Item>
            ))}
          </Select.Content>
        </Select.Root>
        <span className="custom-presence">{!problem && presence(image)}</span>
        <Button size="1" variant="soft" disabled={!dirty || problem !== null || state.saving} onClick={() => void commit()} data-testid="postgres-save">
          <Spinner loading={state.saving} size="1" />
          Save
        </Button>
        <Text size="1" color="gray" aria-live="polite">
          {state.saved && !dirty ? 'Saved' : ''}
        </Text>
      </div>
      {(problem || state.error) && (
        <Text as="p" size="1" color="red" className="custom-problem selectable" role="alert" data-testid="postgres-problem">
          <CircleExclamationPoint size={12} aria-hidden />
          {problem ? `The Postgres image ${problem}.` : state.error}
        </Text>
      )}
    </section>
  )
}
