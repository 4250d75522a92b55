import { Badge, Heading, Text } from '@radix-ui/themes'
import type { ReactNode } from 'react'
import { formatCount } from '../../../../shared/format'
import type { ListenFinding, MainPackage, Notice, ProjectAnalysis, StampVar } from '../../../../shared/types/project'
import { EvidenceChip, EvidenceChips } from './EvidenceChips'
import { NoticeList } from './NoticeList'

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="finding-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function Muted({ children }: { children: ReactNode }) {
  return <span className="finding-muted">{children}</span>
}

function Group({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="finding-group">
      <h3 className="finding-group-title">
        <span>{title}</span>
        {aside && <span className="finding-group-aside">{aside}</span>}
      </h3>
      <dl className="finding-list">{children}</dl>
    </section>
  )
}

function address(l: ListenFinding): string {
  const port = l.port === null ? '' : String(l.port)
  if (l.host === '') return port ? `:${port}` : 'a port it is given'
  return port ? `${l.host.includes(':') ? `[${l.host}]` : l.host}:${port}` : l.host
}

function via(l: ListenFinding): string {
  const name = (x: NonNullable<ListenFinding['alsoVia']>[number]) => (x.kind === 'flag' ? `flag -${x.name}` : `$${x.name}`)
  if (l.via.kind === 'literal') return 'fixed in the code'
  return [l.via, ...(l.alsoVia ?? [])].map(name).join(', ')
}

function Listen({ l }: { l: ListenFinding }) {
  return (
    <span className="finding-line">
      <span className="mono">{address(l)}</span>
      <Muted> via {via(l)}</Muted>
      {l.loopbackOnly ? (
        <Badge size="1" color="amber" variant="soft" title="Unreachable from outside a container">
          loopback only
        </Badge>
      ) : (
        <Muted> · all interfaces</Muted>
      )}
      <EvidenceChip evidence={l.evidence} />
    </span>
  )
}

function stampWord(name: string, s: StampVar): ReactNode {
  if (s.kind === 'missing') return null
  if (s.kind === 'string')
    return (
      <span className="stamp" title={`-X main.${name} is stamped with the ${name === 'version' ? 'VERSION' : 'COMMIT'} build arg`}>
        <span className="mono">{name}</span>
        <EvidenceChip evidence={s.evidence} />
      </span>
    )
  return (
    <span className="stamp">
      <span className="mono is-warning" title={s.reason}>
        {name}
      </span>
      <Muted> not stampable</Muted>
      <EvidenceChip evidence={s.evidence} />
    </span>
  )
}

function MainRow({ m, selected, several }: { m: MainPackage; selected: boolean; several: boolean }) {
  const version = stampWord('version', m.version)
  const commit = stampWord('commit', m.commit)
  return (
    <div className="main-line" data-selected={selected || undefined}>
      <span className="finding-line">
        <span className="mono">{m.dir === '.' ? '. (root)' : m.dir}</span>
        <Muted>→ {m.binary}</Muted>
        {m.module !== undefined && <Muted>module {m.module}/</Muted>}
        {several && selected && (
          <Badge size="1" variant="soft">
            selected
          </Badge>
        )}
      </span>
      {(version || commit) && (
        <span className="finding-line finding-sub">
          <Muted>stamps</Muted> {version} {commit}
        </span>
      )}
    </div>
  )
}

function Need({ needed, yes, no, children }: { needed: boolean; yes: ReactNode; no: ReactNode; children?: ReactNode }) {
  return needed ? (
    <span className="finding-line">
      <span className="need-yes">{yes}</span>
      {children}
    </span>
  ) : (
    <Muted>{no}</Muted>
  )
}


/** What the program stops without: its required flags (or "arguments") and variables. */
function startsWith(n: ProjectAnalysis['needs']): string {
  const args = n.requiredArgs.length === 0 ? [] : n.requiredFlags.length > 0 ? n.requiredFlags.map((f) => `--${f.name}`) : ['arguments']
  return [...args, ...n.env.filter((e) => e.required).map((e) => `$${e.name}`)].join(' ')
}

/** A notice with the advice that holds in the app (the CLI says its own, e.g. --main). */
function appDetail(n: Notice): Notice {
  return n.code === 'several-mains' ? { ...n, detail: 'Pick another one in the Main menu of the toolbar to see its needs.' } : n
}

/** What Slipway learned about the project, every finding with its evidence, and the analysis' notices. */
export function FindingsPanel({ analysis: a }: { analysis: ProjectAnalysis }) {
  const m = a.module
  const n = a.needs
  const several = a.mains.length > 1
  const main = a.mains.find((x) => x.dir === a.selectedMain)
  const direct = m?.requires.filter((r) => !r.indirect).length ?? 0

  return (
    <section className="panel findings-panel" aria-labelledby="findings-title" data-testid="findings">
      <header className="panel-header">
        <Heading as="h2" size="2" id="findings-title">
          Findings
        </Heading>
        <Text size="1" color="gray" ml="auto" className="tabular" title="Files scanned, Go files read, and how long the analysis took">
          {formatCount(a.stats.files, 'file')} · {a.stats.goFiles.toLocaleString('en-US')} Go · {a.stats.durationMs} ms
        </Text>
      </header>
      <div className="findings-body selectable-values">
        <Group title="Module">
          <Row label="Module">
            {m ? (
              <span className="finding-line">
                <span className="mono">{m.path}</span>
                <EvidenceChip evidence={m.evidence} />
              </span>
            ) : (
              <Muted>no go.mod — built with a generated module</Muted>
            )}
          </Row>
          {m && (
            <Row label="Go">
              <span className="finding-line">
                <span className="mono">{m.goVersion ?? '—'}</span>
                {m.toolchain && <Muted>toolchain {m.toolchain}</Muted>}
              </span>
            </Row>
          )}
          {m && (
            <Row label="Dependencies">
              {m.requires.length === 0 ? (
                <Muted>none — standard library only</Muted>
              ) : (
                <span className="finding-line">
                  <span>
                    {formatCount(m.requires.length, 'module')} <Muted>({direct} direct)</Muted>
                  </span>
                  {!a.hasGoSum && (
                    <Badge size="1" color="amber" variant="soft">
                      no go.sum
                    </Badge>
                  )}
                </span>
              )}
            </Row>
          )}
          {m && m.replaces.length > 0 && (
            <Row label="Replaces">
              {m.replaces.map((r) => (
                <span className="finding-line" key={`${r.from}${r.fromVersion ?? ''}`}>
                  <span className="mono">{r.from}</span>
                  <Muted>→</Muted>
                  <span className="mono">{r.to}</span>
                  {r.outsideContext && (
                    <Badge size="1" color="red" variant="soft">
                      outside the folder
                    </Badge>
                  )}
                  <EvidenceChip evidence={r.evidence} />
                </span>
              ))}
            </Row>
          )}
          {a.vendor.present && (
            <Row label="vendor/">
              {a.vendor.consistent ? (
                <span>
                  consistent <Muted>— builds with -mod=vendor</Muted>
                </span>
              ) : (
                <span className="is-warning">{a.vendor.problems[0] ?? 'out of step with go.mod'}</span>
              )}
            </Row>
          )}
          {a.goWork && (
            <Row label="go.work">
              <span className="finding-line">
                <Muted>present, not used for the image</Muted>
                <EvidenceChip evidence={a.goWork} />
              </span>
            </Row>
          )}
          <Row label={several ? `Mains (${a.mains.length})` : 'Main package'}>
            {a.mains.length === 0 ? (
              <Muted>none found</Muted>
            ) : (
              a.mains.map((x) => <MainRow key={x.dir} m={x} selected={x.dir === a.selectedMain} several={several} />)
            )}
          </Row>
        </Group>

        <Group title="Needs at run time" aside={several && main ? <span className="mono">{main.dir}</span> : undefined}>
          <Row label="Listens on" testId="finding-listen">
            {n.listen.length === 0 ? <Muted>no server found</Muted> : n.listen.map((l, i) => <Listen key={i} l={l} />)}
          </Row>
          <Row label="CA certificates" testId="finding-certs">
            <Need needed={n.caCerts.length > 0} yes="needed — outbound TLS" no="not needed">
              <EvidenceChips evidence={n.caCerts} />
            </Need>
          </Row>
          <Row label="Time zone data" testId="finding-tzdata">
            {n.embedsTzdata ? (
              <span className="finding-line">
                <span>embedded</span> <Muted>(imports time/tzdata)</Muted>
              </span>
            ) : (
              <Need needed={n.tzdata.length > 0} yes="needed — loads zones" no="not needed">
                <EvidenceChips evidence={n.tzdata} />
              </Need>
            )}
          </Row>
          <Row label="cgo">
            <Need needed={n.cgo.length > 0} yes="needed — links C code" no="no — a static binary">
              <EvidenceChips evidence={n.cgo} />
            </Need>
          </Row>
          <Row label="Embedded files">
            <Need needed={n.embeds.length > 0} yes={`${n.embeds.length} //go:embed`} no="none">
              <EvidenceChips evidence={n.embeds} />
            </Need>
          </Row>
          <Row label="Run-time files">
            {n.runtimeFiles.length === 0 ? (
              <Muted>none opened by path</Muted>
            ) : (
              n.runtimeFiles.map((f) => (
                <span className="finding-line" key={f.path}>
                  <span className="mono">{f.path}</span>
                  {f.exists ? (
                    <Badge size="1" color="gray" variant="soft">
                      exists
                    </Badge>
                  ) : (
                    <Badge size="1" color={f.required ? 'red' : 'amber'} variant="soft">
                      missing
                    </Badge>
                  )}
                  {f.required && <Muted>required</Muted>}
                  <EvidenceChip evidence={f.evidence} />
                </span>
              ))
            )}
          </Row>
          <Row label="Environment" testId="finding-env">
            {n.env.length === 0 ? (
              <Muted>reads no variables</Muted>
            ) : (
              n.env.map((e) => (
                <span className="finding-line" key={e.name}>
                  <span className="mono">{e.name}</span>
                  {e.fallback !== undefined ? (
                    <Muted>
                      default <span className="mono">{e.fallback === '' ? '""' : e.fallback}</span>
                    </Muted>
                  ) : (
                    <Muted>no default</Muted>
                  )}
                  {e.required && (
                    <Badge size="1" color="amber" variant="soft" title="The program stops without it">
                      required
                    </Badge>
                  )}
                  <EvidenceChips evidence={e.evidence} max={1} />
                </span>
              ))
            )}
          </Row>
          <Row label="Needs to start">
            <Need needed={n.requiredArgs.length > 0 || n.env.some((e) => e.required)} yes={startsWith(n)} no="nothing extra">
              <EvidenceChips evidence={[...n.requiredArgs, ...n.env.filter((e) => e.required).flatMap((e) => e.evidence.slice(-1))]} />
            </Need>
          </Row>
        </Group>

        <NoticeList notices={a.notices.map(appDetail)} title="Notices" empty="Nothing to warn about." />
      </div>
    </section>
  )
}
