import { Badge, Button, Callout, Dialog, Flex, IconButton, Spinner, Text, TextField, Tooltip } from '@radix-ui/themes'
import { Eye, EyeOff, Info, Play, Plus, X } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { ErrorName, toWireError, type WireError } from '../../../../shared/errors'
import { flagNamed, splitArgs } from '../../../../shared/run/args'
import { ENV_NAME, isSecretName } from '../../../../shared/run/env'
import type { RunningContainer, RunProposal } from '../../../../shared/types/build'
import { ErrorCallout } from '../../components/ErrorCallout'
import { call } from '../../api/client'
import { useApp } from '../../stores'

interface PortRow {
  key: number
  host: string
  container: string
  hostTaken: boolean
  exposed: boolean
  detected: boolean
}

interface EnvRow {
  key: number
  name: string
  value: string
  /** The program stops without it (or listens only where it says): Start waits for a value. */
  required?: boolean
  secret: boolean
  reveal: boolean
  evidence?: string
}

let keys = 0
const nextKey = () => ++keys

const portOk = (s: string) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535

/**
 * Run an image: the ports Slipway proposes (a free host port where the same one is taken), the
 * variables the code reads with their defaults (secrets masked), and arguments. Start closes it
 * and hands the new container to `onStarted`.
 */
export function RunDialog({
  image,
  dir,
  open,
  onOpenChange,
  onStarted,
}: {
  image: string
  dir?: string | undefined
  open: boolean
  onOpenChange: (open: boolean) => void
  onStarted: (c: RunningContainer) => void
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content maxWidth="760px" data-testid="run-dialog" aria-describedby={undefined}>
        <Dialog.Title size="4" mb="1">
          Run <span className="run-mono">{image}</span>
        </Dialog.Title>
        {open && <RunForm key={`${image}\u0000${dir ?? ''}`} image={image} dir={dir} onCancel={() => onOpenChange(false)} onStarted={onStarted} />}
      </Dialog.Content>
    </Dialog.Root>
  )
}

function RunForm({ image, dir, onCancel, onStarted }: { image: string; dir?: string | undefined; onCancel: () => void; onStarted: (c: RunningContainer) => void }) {
  const startRun = useApp((s) => s.startRun)
  const [proposal, setProposal] = useState<RunProposal | null>(null)
  const [loadError, setLoadError] = useState<WireError | null>(null)
  const [ports, setPorts] = useState<PortRow[]>([])
  const [env, setEnv] = useState<EnvRow[]>([])
  const [args, setArgs] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<WireError | null>(null)

  useEffect(() => {
    let live = true
    ;(dir ? call('run.propose', image, { dir }) : call('run.propose', image)).then(
      (p) => {
        if (!live) return
        setProposal(p)
        setPorts(p.ports.map((x) => ({ key: nextKey(), host: String(x.host), container: String(x.container), hostTaken: x.hostTaken, exposed: x.exposed, detected: x.detected })))
        setEnv(p.env.map((e) => ({ key: nextKey(), name: e.name, value: e.value, secret: e.secret, reveal: false, ...(e.evidence ? { evidence: e.evidence } : {}), ...(e.required ? { required: true } : {}) })))
      },
      (e) => live && setLoadError(toWireError(e)),
    )
    return () => {
      live = false
    }
  }, [image, dir])

  const parsedArgs = useMemo(() => splitArgs(args), [args])
  const problems = useMemo(() => {
    const p: string[] = []
    const hosts = new Set<string>()
    for (const r of ports) {
      if (!portOk(r.host) || !portOk(r.container)) p.push('Ports are numbers from 1 to 65535.')
      else if (hosts.has(r.host)) p.push(`Host port ${r.host} is used twice.`)
      hosts.add(r.host)
    }
    const names = new Set<string>()
    for (const e of env) {
      if (!ENV_NAME.test(e.name)) p.push(e.name ? `"${e.name}" is not a variable name (letters, digits, _).` : 'A variable has no name.')
      else if (names.has(e.name)) p.push(`${e.name} is set twice.`)
      names.add(e.name)
    }
    for (const e of env) if (e.required && e.value === '') p.push(`${e.name} is required: the program stops without it.`)
    if (parsedArgs === null) p.push('A quote in the arguments is not closed.')
    for (const f of proposal?.requiredFlags ?? []) if (parsedArgs && !parsedArgs.some((a) => flagNamed(a, f))) p.push(`The program stops without --${f}: add it to the arguments.`)
    return [...new Set(p)]
  }, [ports, env, parsedArgs, proposal])

  const setPort = (key: number, patch: Partial<PortRow>) => setPorts((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)))
  const setVar = (key: number, patch: Partial<EnvRow>) => setEnv((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)))

  // A taken port, said by the host: offer the free one it named with one click.
  const inUse = error?.name === ErrorName.PortInUse ? Number(/Port (\d+)/.exec(error.message)?.[1]) : NaN
  const freePort = error?.name === ErrorName.PortInUse ? Number(/Use port (\d+)/.exec(error.detail ?? '')?.[1]) : NaN

  const start = async () => {
    if (problems.length || parsedArgs === null) return
    setBusy(true)
    setError(null)
    try {
      const c = await startRun({
        image,
        ports: ports.map((r) => ({ host: Number(r.host), container: Number(r.container) })),
        // Empty values are left out: the program then uses its own default, as it would in a shell.
        env: Object.fromEntries(env.filter((e) => e.value !== '').map((e) => [e.name, e.value])),
        args: parsedArgs,
      })
      onStarted(c)
    } catch (e) {
      setError(toWireError(e))
    } finally {
      setBusy(false)
    }
  }

  if (loadError)
    return (
      <Flex direction="column" gap="3">
        <ErrorCallout error={loadError} />
        <Flex justify="end">
          <Button variant="soft" color="gray" onClick={onCancel}>
            Close
          </Button>
        </Flex>
      </Flex>
    )
  if (!proposal)
    return (
      <Flex align="center" gap="2" py="5" justify="center">
        <Spinner /> <Text color="gray">Reading the image{dir ? ' and the project' : ''}…</Text>
      </Flex>
    )

  return (
    <form
      className="run-dialog"
      onSubmit={(e) => {
        e.preventDefault()
        void start()
      }}
    >
      <Text as="p" size="2" color="gray">
        Ports are published on 127.0.0.1 only: reachable from this computer, not from the network.
        {proposal.dir && (
          <>
            {' '}
            Suggestions from <span className="run-mono">{proposal.dir}</span>.
          </>
        )}
      </Text>

      {proposal.notices.map((n) => (
        <Callout.Root key={n} size="1" color="amber" variant="surface">
          <Callout.Icon>
            <Info size={14} />
          </Callout.Icon>
          <Callout.Text>{n}</Callout.Text>
        </Callout.Root>
      ))}

      <section aria-label="Ports">
        <div className="run-section-title">
          <Text size="2" weight="medium">
            Ports
          </Text>
          {ports.length === 0 && (
            <Text size="1" color="gray">
              The image exposes none and none was found in the code.
            </Text>
          )}
        </div>
        {ports.length > 0 && (
          <div className="run-grid run-ports" role="table" aria-label="Published ports">
            <div role="row" style={{ display: 'contents' }}>
              <span role="columnheader" className="run-grid-head run-num">
                Container
              </span>
              <span aria-hidden="true" />
              <span role="columnheader" className="run-grid-head run-num">
                Host (127.0.0.1)
              </span>
              <span role="columnheader" className="run-grid-head">
                Why
              </span>
              <span />
            </div>
            {ports.map((r) => (
              <div role="row" key={r.key} style={{ display: 'contents' }} data-testid="run-port-row">
                <TextField.Root
                  size="1"
                  className="run-num"
                  aria-label="Container port"
                  inputMode="numeric"
                  value={r.container}
                  onChange={(e) => setPort(r.key, { container: e.target.value.trim() })}
                />
                <span className="run-arrow" aria-hidden="true">
                  ←
                </span>
                <TextField.Root
                  size="1"
                  className="run-num"
                  aria-label={`Host port for container port ${r.container}`}
                  inputMode="numeric"
                  value={r.host}
                  onChange={(e) => setPort(r.key, { host: e.target.value.trim(), hostTaken: false })}
                />
                <span className="run-marks">
                  {r.hostTaken && (
                    <Tooltip content={`Port ${r.container} is taken on this computer, so a free one is proposed.`}>
                      <Badge color="amber" size="1" data-testid="port-taken">
                        {r.container} taken
                      </Badge>
                    </Tooltip>
                  )}
                  {r.detected && (
                    <Badge color="gray" size="1">
                      from the code
                    </Badge>
                  )}
                  {r.exposed && (
                    <Badge color="gray" size="1" variant="outline">
                      EXPOSE
                    </Badge>
                  )}
                </span>
                <IconButton type="button" size="1" variant="ghost" color="gray" aria-label={`Do not publish ${r.container}`} onClick={() => setPorts((rows) => rows.filter((x) => x.key !== r.key))}>
                  <X size={13} />
                </IconButton>
              </div>
            ))}
          </div>
        )}
        <Button
          type="button"
          size="1"
          variant="ghost"
          mt="2"
          onClick={() => setPorts((rows) => [...rows, { key: nextKey(), host: '', container: '', hostTaken: false, exposed: false, detected: false }])}
        >
          <Plus size={13} /> Add port
        </Button>
      </section>

      <section aria-label="Environment">
        <div className="run-section-title">
          <Text size="2" weight="medium">
            Environment
          </Text>
          <Text size="1" color="gray">
            {env.length ? 'Found in the code, with its defaults. Empty ones are not set.' : 'None found in the code.'}
          </Text>
        </div>
        {env.length > 0 && (
          <div className="run-grid run-env">
            {env.map((r) => {
              const masked = r.secret && !r.reveal
              return (
                <div key={r.key} style={{ display: 'contents' }} data-testid="run-env-row">
                  <TextField.Root
                    size="1"
                    className="run-mono"
                    aria-label="Variable name"
                    value={r.name}
                    onChange={(e) => setVar(r.key, { name: e.target.value, secret: r.secret || isSecretName(e.target.value) })}
                  />
                  <TextField.Root
                    size="1"
                    className="run-mono"
                    aria-label={`Value of ${r.name || 'the variable'}`}
                    type={masked ? 'password' : 'text'}
                    autoComplete="off"
                    spellCheck={false}
                    placeholder={`${r.required ? 'required' : 'unset'}${r.evidence ? ` · read at ${r.evidence}` : ''}`}
                    aria-required={r.required || undefined}
                    value={r.value}
                    onChange={(e) => setVar(r.key, { value: e.target.value })}
                  >
                    {r.secret && (
                      <TextField.Slot side="right">
                        <Tooltip content={masked ? 'Show the value' : 'Hide the value'}>
                          <IconButton type="button" size="1" variant="ghost" color="gray" aria-label={masked ? `Show ${r.name}` : `Hide ${r.name}`} onClick={() => setVar(r.key, { reveal: !r.reveal })}>
                            {masked ? <Eye size={13} /> : <EyeOff size={13} />}
                          </IconButton>
                        </Tooltip>
                      </TextField.Slot>
                    )}
                  </TextField.Root>
                  <IconButton type="button" size="1" variant="ghost" color="gray" aria-label={`Remove ${r.name || 'the variable'}`} onClick={() => setEnv((rows) => rows.filter((x) => x.key !== r.key))}>
                    <X size={13} />
                  </IconButton>
                </div>
              )
            })}
          </div>
        )}
        <Button type="button" size="1" variant="ghost" mt="2" onClick={() => setEnv((rows) => [...rows, { key: nextKey(), name: '', value: '', secret: false, reveal: false }])}>
          <Plus size={13} /> Add variable
        </Button>
      </section>

      <section aria-label="Arguments">
        <label>
          <div className="run-section-title">
            <Text size="2" weight="medium">
              Arguments
            </Text>
            <Text size="1" color="gray">
              Replace the image&apos;s CMD. Quotes group words; nothing runs through a shell.
            </Text>
          </div>
          <TextField.Root size="1" className="run-mono" placeholder={proposal?.requiredFlags?.length ? proposal.requiredFlags.map((f) => `--${f} …`).join(' ') : 'none'} value={args} onChange={(e) => setArgs(e.target.value)} aria-label="Arguments" />
        </label>
      </section>

      {error && (
        <ErrorCallout error={error} testId="run-error">
          {Number.isFinite(freePort) && ports.some((r) => Number(r.host) === inUse) && (
            <>
              {' '}
              <Button
                type="button"
                size="1"
                variant="soft"
                onClick={() => {
                  setPorts((rows) => rows.map((r) => (Number(r.host) === inUse ? { ...r, host: String(freePort), hostTaken: true } : r)))
                  setError(null)
                }}
              >
                Use {freePort}
              </Button>
            </>
          )}
        </ErrorCallout>
      )}

      <Flex gap="3" justify="end" align="center" mt="1">
        {problems[0] && (
          <Text size="1" color="red" mr="auto" role="status">
            {problems[0]}
          </Text>
        )}
        <Button type="button" variant="soft" color="gray" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={busy || problems.length > 0}>
          <Spinner loading={busy}>
            <Play size={14} />
          </Spinner>
          Start
        </Button>
      </Flex>
    </form>
  )
}
