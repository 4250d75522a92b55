import type { Evidence, Notice, ProjectAnalysis, StampVar } from '../../shared/types/project'
import { toWireError } from '../../shared/errors'
import { GoProjects } from '../services/go-project'
import type { Output } from './engine'

/** `slipway analyze DIR [--json] [--main DIR]`: prints the analysis; exit code 1 (with the reason) when the folder cannot be analysed. */
export async function analyzeCommand(dir: string, opts: { json?: boolean; main?: string }, io: Output, projects = new GoProjects()): Promise<number> {
  try {
    const a = await projects.analyze(dir, opts.main === undefined ? {} : { main: opts.main })
    io.out(opts.json ? JSON.stringify(a, null, 2) : describeAnalysis(a))
    return 0
  } catch (e) {
    const w = toWireError(e)
    io.err([w.message, w.detail].filter(Boolean).join('\n'))
    return 1
  }
}

const at = (e: Evidence) => `${e.file}:${e.line}`
const ats = (list: readonly Evidence[], max = 3) => list.slice(0, max).map(at).join(', ') + (list.length > max ? ` (+${list.length - max})` : '')

function stamp(s: StampVar): string {
  if (s.kind === 'missing') return 'none'
  if (s.kind === 'string') return `string var (${at(s.evidence)})`
  return `unsuitable for -X (${at(s.evidence)})`
}

/** A notice's detail with the advice that holds on the command line (the app says its own). */
export function cliDetail(n: Notice): string | undefined {
  return n.code === 'several-mains' ? `${n.detail ?? ''} Use --main FOLDER, e.g. --main ${n.message.match(/\(([^,)]+)/)?.[1] ?? 'cmd/api'}.`.trim() : n.detail
}

/** The analysis as a short, readable report: module, mains, needs with evidence, notices. */
export function describeAnalysis(a: ProjectAnalysis): string {
  const rows: [string, string][] = []
  const m = a.module
  rows.push(['Project', `${a.name}  (${a.root})`])
  if (m) {
    rows.push(['Module', `${m.path}  (${at(m.evidence)})`])
    rows.push(['Go', `${m.goVersion ?? 'no go directive'}${m.toolchain ? `, toolchain ${m.toolchain}` : ''}`])
    const direct = m.requires.filter((r) => !r.indirect).length
    rows.push(['Requires', m.requires.length === 0 ? 'none (standard library only)' : `${m.requires.length} (${direct} direct)${a.hasGoSum ? '' : ', no go.sum'}`])
    if (m.replaces.length > 0) rows.push(['Replaces', m.replaces.map((r) => `${r.from} => ${r.to}${r.outsideContext ? ' (outside the folder)' : ''}`).join('; ')])
  } else rows.push(['Module', 'no go.mod (built with a generated module)'])
  if (a.goWork) rows.push(['go.work', `${at(a.goWork)}  ${a.workspace === 'workspace' ? '(kept: every module it uses is inside the folder)' : '(GOWORK=off: the module is built alone)'}`])
  if (a.vendor.present) rows.push(['vendor/', a.vendor.consistent ? 'consistent with go.mod (-mod=vendor)' : `inconsistent: ${a.vendor.problems[0] ?? ''}`])
  rows.push(['Git', a.git ? `${a.git.tag ?? 'no tag'} · ${a.git.commit}${a.git.dirty ? ' · dirty' : ''}` : 'not a git repository'])
  rows.push(['Existing', [a.existing.dockerfile !== null ? 'Dockerfile' : '', a.existing.dockerignore !== null ? '.dockerignore' : ''].filter(Boolean).join(', ') || 'no Dockerfile'])
  rows.push(['Scanned', `${a.stats.files.toLocaleString('en-US')} files, ${a.stats.goFiles.toLocaleString('en-US')} Go files in ${a.stats.durationMs} ms`])

  const width = Math.max(...rows.map(([k]) => k.length))
  const out = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)

  out.push('', `Main packages (${a.mains.length})`)
  for (const p of a.mains) {
    const mark = p.dir === a.selectedMain ? '*' : ' '
    out.push(`${mark} ${p.dir.padEnd(24)} → ${p.binary.padEnd(16)} version: ${stamp(p.version)}; commit: ${stamp(p.commit)}${p.module ? `; module ${p.module}/` : ''}`)
  }

  if (a.selectedMain !== null) {
    const n = a.needs
    out.push('', `Needs of ${a.selectedMain}`)
    const need = (label: string, value: string) => out.push(value ? `  ${label.padEnd(14)} ${value}` : `  ${label}`)
    need('listen', n.listen.length === 0 ? 'nothing (no server found)' : '')
    for (const l of n.listen) {
      const via = l.via.kind === 'literal' ? 'fixed in the code' : l.via.kind === 'env' ? `set by env ${l.via.name}` : `set by flag -${l.via.name}`
      const also = (l.alsoVia ?? []).map((x) => (x.kind === 'env' ? `env ${x.name}` : `flag -${x.name}`))
      out.push(`    ${l.host || '*'}:${l.port ?? '?'}  ${l.loopbackOnly ? 'LOOPBACK ONLY, ' : ''}${via}${also.length ? ` (also ${also.join(', ')})` : ''}  ${at(l.evidence)}`)
    }
    need('CA certs', n.caCerts.length ? `yes  ${ats(n.caCerts)}` : 'no')
    need('tz data', n.tzdata.length ? `yes  ${ats(n.tzdata)}${n.embedsTzdata ? ' (embeds time/tzdata)' : ''}` : n.embedsTzdata ? 'embedded (time/tzdata)' : 'no')
    need('cgo', n.cgo.length ? `yes  ${ats(n.cgo)}` : 'no')
    need('embeds', n.embeds.length ? ats(n.embeds) : 'none')
    need('files', n.runtimeFiles.length ? '' : 'none')
    for (const f of n.runtimeFiles) out.push(`    ${f.path}  ${f.required ? 'required' : 'optional'}, ${f.exists ? 'present' : 'MISSING'}  ${at(f.evidence)}`)
    need('env', n.env.length ? '' : 'none')
    for (const e of n.env) out.push(`    ${e.name}${e.fallback !== undefined ? ` (default ${JSON.stringify(e.fallback)})` : ''}${e.required ? ' REQUIRED' : ''}  ${ats(e.evidence)}`)
    if (n.requiredArgs.length) need('needs args', `${n.requiredFlags.length ? `${n.requiredFlags.map((f) => `--${f.name}`).join(' ')}  ` : ''}${ats(n.requiredArgs)}`)
  }

  if (a.notices.length > 0) {
    out.push('', 'Notices')
    for (const x of a.notices) {
      out.push(`  ${x.severity.padEnd(7)} ${x.message}${x.evidence?.length ? `  (${ats(x.evidence)})` : ''}`)
      const detail = cliDetail(x)
      if (detail) for (const line of detail.split('\n')) out.push(`          ${line}`)
    }
  }
  return out.join('\n')
}
