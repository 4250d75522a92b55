// Hostile project analyses for the injection tests: every string a project folder controls (folder
// and file names, Go identifiers, go.mod) drawn either benign or hostile, together with the
// analysis a careful recipe must treat it as — the same project with the hostile items removed.
// Which items are hostile is known by construction here, not asked of the validators under test.
import fc from 'fast-check'
import { DockerfileParser } from 'dockerfile-ast'
import { builtinBase, BASE_CATALOG, type BaseImage } from '../../../shared/dockerfile/bases'
import type { EnvRead, GoReplace, ListenFinding, MainPackage, ProjectAnalysis, RuntimeFile } from '../../../shared/types/project'
import { analysis, ev, mainPkg } from './analysis'

/** Text that must never become part of a Dockerfile word, a .dockerignore line or a shell command. */
export const HOSTILE_FRAGMENTS = [
  ';id',
  '$(id)',
  '`id`',
  '${HOME}',
  '\nRUN id',
  '\r',
  '\rRUN id',
  '"',
  "'",
  '\\',
  '\\\nRUN id',
  '[',
  ']',
  '{',
  '}',
  '|',
  '&',
  '>',
  '<',
  '*',
  '?',
  '#',
  '!',
  ':',
  '\t',
  '\x00',
  '\x1b[2J',
  '\u0085',
  '\u202e',
  '\u2028',
  '["x"]',
  '\u00a0',
] as const

/** Also hostile in a Go package folder (Go's import path rules), though fine in a file name. */
const PACKAGE_ONLY_FRAGMENTS = [' ', 'é', '@', ',', '=', '%'] as const

/** Fragments that `//go:embed` argument splitting would turn into something else (white space, globs). */
const EMBED_UNSPLITTABLE = (f: string) => !/[\s*?[]/.test(f)

/** A value for one slot of the analysis, and whether it was drawn hostile. */
export interface Slot {
  value: string
  hostile: boolean
}

const word = fc.stringMatching(/^x[a-z0-9]{0,4}$/)
const ext = fc.constantFrom('', '.txt', '.yaml', '.tmpl')

/** Inserts `fragment` at the start, the end or in the middle of `s`. */
const spliced = (s: fc.Arbitrary<string>, fragments: readonly string[]) =>
  fc.tuple(s, fc.constantFrom(...fragments), fc.nat()).map(([base, frag, at]) => {
    const i = at % (base.length + 1)
    return base.slice(0, i) + frag + base.slice(i)
  })

const slot = (benign: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>): fc.Arbitrary<Slot> =>
  fc.oneof({ weight: 3, arbitrary: benign.map((value) => ({ value, hostile: false })) }, { weight: 2, arbitrary: hostile.map((value) => ({ value, hostile: true })) })

const benignPackageDir = fc.oneof(
  fc.constant('.'),
  fc.array(fc.oneof(word, fc.tuple(word, fc.constantFrom('.', '-', '_', '~', '+'), fc.stringMatching(/^[a-z][a-z0-9]{0,2}$/)).map((p) => p.join(''))), { minLength: 1, maxLength: 3 }).map((e) => e.join('/')),
)
const hostilePackageDir = fc.oneof(
  spliced(
    benignPackageDir.filter((d) => d !== '.'),
    [...HOSTILE_FRAGMENTS, ...PACKAGE_ONLY_FRAGMENTS],
  ),
  benignPackageDir.map((d) => `${d}/..`),
  benignPackageDir.map((d) => `-${d}`),
  benignPackageDir.map((d) => `${d}//x`),
)

/** A path in the build context, often under an excluded folder so the .dockerignore has to name it. */
const benignContextPath = fc
  .tuple(fc.constantFrom('', 'bin/', 'tmp/', 'conf/'), word, fc.constantFrom('', ' file', 'é', '-1'), ext)
  .map(([dir, w, tail, e]) => `${dir}${w}${tail}${e}`)
const hostileContextPath = spliced(benignContextPath, HOSTILE_FRAGMENTS)

const benignEnvName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/)
const hostileEnvName = fc.oneof(spliced(benignEnvName, [...HOSTILE_FRAGMENTS, ' ', '=', '-', '.', 'é', 'X=1\nRUN id']), benignEnvName.map((n) => `1${n}`))
const benignFlagName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)
const hostileFlagName = fc.oneof(spliced(benignFlagName, [...HOSTILE_FRAGMENTS, ' ', '=', 'é']), benignFlagName.map((n) => `-${n}`))

/** Any text at all, for what is only ever shown (the project name, a binary name, a base label). */
export const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  spliced(word, HOSTILE_FRAGMENTS),
)

interface ListenSpec {
  finding: ListenFinding
  /** The flag or variable name is written into the recipe, so a hostile one must be left out. */
  nameUsed: boolean
  name: Slot | null
}

const listenSpec: fc.Arbitrary<ListenSpec> = fc.oneof(
  // Loopback by default, changeable by a flag or variable: the image sets it (CMD / ENV).
  fc
    .tuple(fc.boolean(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }), fc.constantFrom('127.0.0.1', 'localhost'))
    .chain(([isEnv, port, host]) =>
      (isEnv ? slot(benignEnvName, hostileEnvName) : slot(benignFlagName, hostileFlagName)).map((name) => ({
        finding: { port, host, loopbackOnly: true, via: isEnv ? { kind: 'env' as const, name: name.value } : { kind: 'flag' as const, name: name.value }, evidence: ev('main.go', 20) },
        nameUsed: true,
        name,
      })),
    ),
  // `os.Getenv("…PORT")` without a default: the image sets the variable.
  slot(benignEnvName, hostileEnvName).map((n) => {
    const name = { value: `${n.value}PORT`, hostile: n.hostile }
    return { finding: { port: null, host: '', loopbackOnly: false, via: { kind: 'env' as const, name: name.value }, evidence: ev('main.go', 21) }, nameUsed: true, name }
  }),
  // All interfaces on a known port: only the port is used, so any name is harmless and kept.
  fc.tuple(fc.integer({ min: 1, max: 65535 }), anyText).map(([port, name]) => ({
    finding: { port, host: '', loopbackOnly: false, via: { kind: 'flag' as const, name }, evidence: ev('main.go', 22) },
    nameUsed: false,
    name: null,
  })),
)

interface MainSpec {
  dir: Slot
  binary: string
}

/** A generated case: the hostile analysis, the analysis the recipe must treat it as, and the hostile values in it. */
export interface HostileCase {
  hostile: ProjectAnalysis
  /** `hostile` without the hostile items (what "reported and left out" means). */
  expected: ProjectAnalysis
  /** `expected` with every shown-only text (project name, binary names) replaced by plain words: the instructions a benign project of the same shape gets. */
  benign: ProjectAnalysis
  base: BaseImage
  benignBase: BaseImage
  buildkit: boolean
  /** Every hostile value that reaches a recipe, so a notice must name it. */
  reported: string[]
}

/** Arbitrary hostile analyses with their expected twins. */
export const hostileCase: fc.Arbitrary<HostileCase> = fc
  .record({
    name: anyText,
    mains: fc.array(fc.record({ dir: slot(benignPackageDir, hostilePackageDir), binary: anyText }), { maxLength: 3 }),
    selected: fc.option(fc.nat(), { nil: null }),
    modulePath: fc.option(slot(fc.constant('github.com/acme/app'), spliced(fc.constant('github.com/acme/app'), HOSTILE_FRAGMENTS)), { nil: null }),
    requires: fc.boolean(),
    replaces: fc.array(slot(fc.stringMatching(/^libs\/x[a-z0-9]{0,4}$/), spliced(fc.constant('libs/xa'), [...HOSTILE_FRAGMENTS, ' ', 'é'])), { maxLength: 2 }),
    runtimeFiles: fc.array(fc.record({ path: slot(benignContextPath, hostileContextPath), required: fc.boolean() }), { maxLength: 3 }),
    // Inside the word: an opening quote or backtick would make it a quoted //go:embed argument.
    embeds: fc.array(slot(benignContextPath.filter((p) => !p.includes(' ')), fc.constantFrom(...HOSTILE_FRAGMENTS.filter(EMBED_UNSPLITTABLE)).map((f) => `dist/x${f}a`)), { maxLength: 2 }),
    listen: fc.array(listenSpec, { maxLength: 3 }),
    env: fc.array(slot(benignEnvName, hostileEnvName), { maxLength: 3 }),
    cgo: fc.boolean(),
    caCerts: fc.boolean(),
    tzdata: fc.boolean(),
    baseId: fc.constantFrom(...BASE_CATALOG.map((b) => b.id)),
    baseLabel: fc.option(anyText, { nil: null }),
    buildkit: fc.boolean(),
  })
  .map((g) => {
    const mainOf = (m: MainSpec): MainPackage => ({ ...mainPkg(m.dir.value), binary: m.binary })
    const selectedSpec = g.selected === null || g.mains.length === 0 ? null : (g.mains[g.selected % g.mains.length] as MainSpec)
    const replaceOf = (s: Slot): GoReplace => ({ from: 'example.com/lib', to: `./${s.value}`, local: true, outsideContext: false, evidence: ev('go.mod', 5, `replace example.com/lib => ./${s.value}`) })
    const fileOf = (f: { path: Slot; required: boolean }): RuntimeFile => ({ path: f.path.value, exists: true, required: f.required, evidence: ev('main.go', 30) })
    const embedOf = (s: Slot) => ev('main.go', 8, `//go:embed ${s.value}`)
    const envOf = (s: Slot): EnvRead => ({ name: s.value, evidence: [ev('main.go', 40)] })
    const moduleOf = (path: string, replaces: Slot[]) => ({
      path,
      goVersion: '1.23',
      toolchain: null,
      requires: g.requires ? [{ path: 'github.com/google/uuid', version: 'v1.6.0', indirect: false }] : [],
      replaces: replaces.map(replaceOf),
      evidence: ev('go.mod', 1),
    })
    const keep = (s: { hostile: boolean }) => !s.hostile
    const build = (benign: boolean, shownText: (s: string) => string): ProjectAnalysis => {
      const pick = <T extends { hostile: boolean }>(xs: T[]) => (benign ? xs.filter(keep) : xs)
      const ms = benign ? g.mains.filter((m) => !m.dir.hostile) : g.mains
      return analysis({
        name: shownText(g.name),
        module: g.modulePath === null ? null : moduleOf(benign && g.modulePath.hostile ? 'example.com/app' : g.modulePath.value, g.requires ? pick(g.replaces) : []),
        hasGoSum: g.requires,
        mains: ms.map((m) => ({ ...mainOf(m), binary: shownText(m.binary) })),
        selectedMain: selectedSpec === null || (benign && selectedSpec.dir.hostile) ? null : selectedSpec.dir.value,
        needs: {
          cgo: g.cgo ? [ev('db.go', 3, 'import "C"')] : [],
          caCerts: g.caCerts ? [ev('client.go', 12)] : [],
          tzdata: g.tzdata ? [ev('main.go', 40)] : [],
          runtimeFiles: g.runtimeFiles.filter((f) => !benign || !f.path.hostile).map(fileOf),
          embeds: pick(g.embeds).map(embedOf),
          listen: g.listen.filter((l) => !benign || !(l.nameUsed && l.name?.hostile)).map((l) => l.finding),
          env: pick(g.env).map(envOf),
        },
      })
    }
    const hostile = build(false, (s) => s)
    const expected = build(true, (s) => s)
    const benign = build(true, () => 'app')
    const builtin = builtinBase(g.baseId as Parameters<typeof builtinBase>[0])
    const base = g.baseLabel === null ? builtin : { ...builtin, label: g.baseLabel, custom: true }
    const reported = [
      ...g.mains.filter((m) => m.dir.hostile).map((m) => m.dir.value),
      ...(g.modulePath !== null && g.requires ? g.replaces.filter((s) => s.hostile).map((s) => `./${s.value}`) : []),
      ...g.runtimeFiles.filter((f) => f.path.hostile).map((f) => f.path.value),
      ...g.embeds.filter((s) => s.hostile).map((s) => s.value),
      ...g.listen.filter((l) => l.nameUsed && l.name?.hostile).map((l) => (l.name as Slot).value),
      ...g.env.filter((s) => s.hostile).map((s) => s.value),
    ]
    return { hostile, expected, benign, base, benignBase: builtin, buildkit: g.buildkit, reported }
  })

/** The instructions of a Dockerfile as dockerfile-ast reads them: keyword and arguments (flags left out). */
export function instructionsOf(dockerfile: string): { keyword: string; args: string; flags: string[] }[] {
  return DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((i) => ({
      keyword: i.getKeyword(),
      args: (i.getArgumentsContent() ?? '').replace(/\s+/g, ' ').trim(),
      flags: 'getFlags' in i && typeof i.getFlags === 'function' ? (i.getFlags() as { toString(): string }[]).map((f) => f.toString()) : [],
    }))
}

/**
 * The only RUN bodies a recipe writes, with the parts a project decides reduced to the alphabets
 * they must have. Project text with a shell metacharacter, a quote or white space cannot match.
 */
export const RUN_GRAMMAR = [
  /^go mod download$/,
  /^go mod init [a-z0-9._-]+ && go mod tidy$/,
  new RegExp(
    '^CGO_ENABLED=[01] GOOS=\\$\\{TARGETOS:-linux\\} GOARCH=\\$\\{TARGETARCH:-\\$\\(go env GOARCH\\)\\} ' +
      'go build -trimpath -buildvcs=false(?: -mod=(?:vendor|mod))?(?: -tags=[\\w.,-]+)? ' +
      '-ldflags="-s -w(?: -X main\\.(?:version|commit)=\\$\\{(?:VERSION|COMMIT)\\})*" ' +
      '-o /out/[A-Za-z0-9._-]+ (?:\\.|\\./[A-Za-z0-9._~+-]+(?:/[A-Za-z0-9._~+-]+)*)$',
  ),
]
