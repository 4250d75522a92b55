// `slipway bases list|make`: the bases Slipway makes from the machine's Debian mirror (no image
// registry needed). Progress on stderr, results on stdout, the same data folder (package cache,
// settings' mirror and suite) as the app. Services load inside the actions (see index.ts).
import type { Command } from 'commander'
import { MADE_BASE_IDS, recipeFor, type MadeBaseId } from '../../shared/debian/recipes'
import { pointAtImage, type MakeOffer, type StandInTarget } from '../../shared/debian/stand-ins'
import type { MadeBase, MadeResult } from '../../shared/debian/types'
import type { PreflightFinding } from '../../shared/types/build'
import { formatBytes } from '../../shared/format'
import type { Services } from '../services'
import type { Output } from './engine'
import { withServices, type Listen } from './with-services'

const INTERRUPTED = 130

/** Adds `slipway bases list` and `slipway bases make` to the program. */
export function registerBasesCommands(program: Command, io: Output): void {
  const bases = program
    .command('bases')
    .description("Base images Slipway makes from the machine's Debian mirror (apt sources or Settings), for building where no image registry answers.")
  bases
    .command('list')
    .description('List the bases Slipway can make, whether the engine has them, and (with --packages) the exact packages inside.')
    .option('--json', 'print the list as JSON')
    .option('--packages', 'list the packages and versions inside each made base')
    .action(async (opts: { json?: boolean; packages?: boolean }) => {
      process.exitCode = await withServices(io, cancelMakes, async (s) => {
        const list = await s.bases.list()
        if (opts.json) io.out(JSON.stringify(list, null, 2))
        else io.out(basesTable(list, opts.packages ?? false))
        return 0
      })
    })
  bases
    .command('make')
    .description(`Make bases from Debian packages and load them into the engine (default: all). IDs: ${MADE_BASE_IDS.join(', ')}.`)
    .argument('[ids...]', 'the bases to make')
    .option('--json', 'print what was made as JSON')
    .option('--use', 'then point the catalog base (or the builder) each one stands in for at it, as Settings → Bases made here → Use does')
    .action(async (ids: string[], opts: { json?: boolean; use?: boolean }) => {
      const unknown = ids.filter((i) => !(MADE_BASE_IDS as readonly string[]).includes(i))
      if (unknown.length) {
        io.err(`Unknown base ${unknown.join(', ')}: choose from ${MADE_BASE_IDS.join(', ')}.`)
        process.exitCode = 2
        return
      }
      const chosen = (ids.length ? ids : [...MADE_BASE_IDS]) as MadeBaseId[]
      process.exitCode = await withServices(io, cancelMakes, (s, on, interrupted) => makeCommand(s, on, chosen, opts, io, interrupted))
    })
}


async function makeCommand(s: Services, on: Listen, ids: MadeBaseId[], opts: { json?: boolean; use?: boolean }, io: Output, interrupted: () => boolean): Promise<number> {
  const code = await makeWithProgress(s, on, ids, opts, io, interrupted)
  if (code !== 0 || !opts.use) return code
  for (const id of ids) {
    const standsFor = recipeFor(id).standsFor
    const target: StandInTarget = standsFor === 'builder' ? { kind: 'builder' } : { kind: 'base', id: standsFor, basedOn: standsFor }
    await useImage(s, target, await s.bases.imageOf(id), io)
  }
  return 0
}

/** Points `target` at `image` in the settings (the app's Use), and says so on stderr. */
async function useImage(s: Services, target: StandInTarget, image: string, io: Output): Promise<void> {
  const { settings } = await s.settings.load()
  await s.settings.update(pointAtImage(settings.customBases, target, image))
  io.err(`Settings: ${target.kind === 'builder' ? 'the builder image' : `the base ${target.id}`} is now ${image}.`)
}

/**
 * A build refused before it started because the builder or a base cannot be pulled, when Slipway can
 * make every such image (`findings` from `builds.preflight`): without `makeBases` it says so with
 * the offer and how to accept it (`again`, e.g. "Build again") and gives 1; with it, makes what is
 * not made yet and points the settings at it (0 when all are in place). null when nothing is offered.
 */
export async function offerOrMake(
  s: Services,
  on: Listen,
  findings: readonly PreflightFinding[],
  opts: { makeBases?: boolean | undefined; again: string },
  io: Output,
  interrupted: () => boolean,
): Promise<number | null> {
  const blocking = findings.filter((f) => f.level === 'blocking')
  const offers = blocking.flatMap((f) => (f.make ? [f.make] : []))
  if (!offers.length || offers.length !== blocking.filter((f) => f.code === 'builder-missing' || f.code === 'base-missing').length) return null
  if (!opts.makeBases) {
    for (const f of blocking) io.err(`${f.message}\n    ${f.detail}`)
    const todo = offers.map((o) => (o.present ? `use the ${o.base} made here` : `make ${o.base} and use it`))
    io.err(`${opts.again} with --make-bases to ${todo.join(' and ')}.`)
    return 1
  }
  return makeOffered(s, on, offers, io, interrupted)
}

/**
 * `slipway build --make-bases`: makes the bases the offers name that are not made yet (one job,
 * progress on stderr), then points each offer's base or builder at its image. 0 when all are in place.
 */
export async function makeOffered(s: Services, on: Listen, offers: readonly MakeOffer[], io: Output, interrupted: () => boolean): Promise<number> {
  const missing = [...new Set(offers.filter((o) => !o.present).map((o) => o.base))]
  if (missing.length) {
    io.err(`Making ${missing.join(', ')} from Debian packages (the images could not be pulled)…`)
    const code = await makeWithProgress(s, on, missing, { json: false, quiet: true }, io, interrupted)
    if (code !== 0) return code
  }
  for (const o of offers) await useImage(s, o.target, o.image, io)
  return 0
}

async function makeWithProgress(
  s: Services,
  on: Listen,
  ids: MadeBaseId[],
  opts: { json?: boolean; quiet?: boolean },
  io: Output,
  interrupted: () => boolean,
): Promise<number> {
  const jobId = crypto.randomUUID()
  let last = ''
  let lastAt = 0
  on('bases.progress', (p) => {
    if (p.jobId !== jobId) return
    const line = p.phase === 'downloading' ? `downloading ${formatBytes(p.done)} of ${formatBytes(p.total)}` : `${p.base}: ${p.message}`
    const now = Date.now()
    // Downloads report often: one line a second is enough on a terminal or in a CI log.
    if (line === last || (p.phase === 'downloading' && p.done < p.total && now - lastAt < 1000)) return
    last = line
    lastAt = now
    io.err(line)
  })
  let notices: string[] = []
  on('bases.done', (d) => {
    if (d.jobId === jobId) notices = d.notices
  })
  try {
    const made = await s.bases.makeAndWait(jobId, ids)
    for (const n of notices) io.err(`note: ${n}`)
    if (opts.json) io.out(JSON.stringify(made, null, 2))
    else if (opts.quiet) io.err(madeTable(made))
    else io.out(madeTable(made))
    return 0
  } catch (e) {
    if (interrupted()) {
      io.err('Cancelled: nothing was loaded.')
      return INTERRUPTED
    }
    const err = e as { message?: string; detail?: string }
    io.err([err.message, err.detail].filter(Boolean).join('\n'))
    return 1
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')
}

/** The list as a table; with `packages`, each made base's packages below it. */
export function basesTable(list: MadeBase[], packages: boolean): string {
  const rows = [['ID', 'IMAGE', 'STATE', 'SIZE', 'PACKAGES']]
  for (const b of list) {
    const state = !b.present ? 'not made' : b.current ? 'made' : 'made (older recipe)'
    rows.push([b.id, b.image, state, b.sizeBytes !== null ? formatBytes(b.sizeBytes) : '-', b.present ? String(b.packages.length) : b.packages.map((p) => p.name).join(' ')])
  }
  let out = table(rows)
  if (packages) {
    for (const b of list.filter((x) => x.present)) out += `\n\n${b.image}\n${b.packages.map((p) => `  ${p.name} ${p.version}`).join('\n')}`
  }
  return out
}

function madeTable(made: MadeResult[]): string {
  return table([
    ['ID', 'IMAGE', 'IMAGE ID', 'SIZE', 'PACKAGES', 'TIME'],
    ...made.map((m) => [m.id, m.image, m.imageId.slice(7, 19), formatBytes(m.sizeBytes), String(m.packages.length), `${m.seconds.toFixed(1)} s`]),
  ])
}

const cancelMakes = (s: Services) => s.bases.cancelAll()
