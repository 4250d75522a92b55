// The Dockerfile an expert would write for one project analysis on one base, every line with the
// reason it is there. Pure: the renderer previews recipes without a round trip.
import type { Evidence, ListenFinding, MainPackage, Notice, ProjectAnalysis, RuntimeFile, StampVar } from '../types/project'
import { BASE_CATALOG, builtinBase, cgoCapableBases, chooseBuilder, type BaseImage } from './bases'
import { shellQuote } from './build-command'
import { embedTargets, generateDockerignore } from './dockerignore'
import { imageRefProblem } from './image-ref'
import { contextPathProblem, displayText, goModulePathProblem, isEnvName, isFlagName, packageDirProblem, showText } from './safe-text'

/** One physical line of the Dockerfile, with why it is there and the findings that caused it. */
export interface RecipeLine {
  text: string
  /** Plain words for a hover or a side panel; empty for blank lines. */
  why: string
  evidence?: Evidence[]
}

/** What the recipe is generated for, beyond the analysis. */
export interface RecipeOptions {
  /** The runtime base (a catalog entry, possibly a user-defined one). */
  base: BaseImage
  /** A builder image from settings; otherwise chosen from go.mod. */
  builderImage?: string | null
  /** The engine has BuildKit: use cache mounts and cross-compile from the build platform. */
  buildkit: boolean
  /** Directory of the main package to build; default: the analysed one, or the first. */
  mainDir?: string | null
  /** Version stamped and labelled; default: the git tag, or "dev". */
  version?: string | null
  /** Commit stamped and labelled; default: the short git commit, or "unknown". */
  commit?: string | null
  /** Extra Go build tags. */
  tags?: string[]
  /** Repository URL for the `org.opencontainers.image.source` label; default: derived from a github.com/gitlab.com/… module path. */
  sourceUrl?: string | null
}

/** A generated recipe: the Dockerfile (as text and as explained lines), its .dockerignore, build args and notices. */
export interface Recipe {
  dockerfile: string
  lines: RecipeLine[]
  dockerignore: string
  /** Values for the Dockerfile's ARGs for this build (`VERSION`, `COMMIT`). */
  buildArgs: Record<string, string>
  /** The ports the final stage EXPOSEs (where the program listens), in order. */
  ports: number[]
  /**
   * What the user should know about this recipe on this base: what it did about a finding (loopback
   * fixed, .env not copied, cgo on a base that cannot run it, …). Facts about the project itself
   * (missing go.sum or files, several mains, unsuitable stamp variables) are the analysis' own
   * notices and are not repeated here: show both lists.
   */
  notices: Notice[]
}

/** Where the binary and run-time files live in the final image; also its working directory. */
export const APP_DIR = '/app'
/** The numeric user and group every recipe runs as (distroless' "nonroot"; works on bases without /etc/passwd). */
export const RUNTIME_USER = '65532:65532'
const MOD_CACHE = '/go/pkg/mod'
const BUILD_CACHE = '/root/.cache/go-build'
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'

interface Instr {
  lines: string[]
  why: string
  evidence?: Evidence[]
}

/**
 * Generates the multi-stage Dockerfile for `analysis` on `options.base`, with a matching
 * .dockerignore, the build args to pass, and notices about what the recipe did or cannot do.
 * Failure modes of the usual hand-written template are avoided by construction: a missing go.sum
 * or go.mod, `-X` on non-string variables, `USER nonroot` on bases without it, copying files that
 * do not exist, and loopback-only listeners.
 */
export function generateRecipe(analysis: ProjectAnalysis, options: RecipeOptions): Recipe {
  // Every string from the project (folder and file names, Go identifiers, go.mod) is checked
  // against an allowlist in safe-text.ts before it is written below; what fails is left out and
  // reported as a notice. Strings that are only shown (comments, label values) go through displayText.
  const notices: Notice[] = []
  const base = checkedBase(options.base, notices)
  const main = pickMain(analysis, options.mainDir, notices)
  const mainDir = main ? normDir(main.dir) : null
  // The chosen main's module folder (a nested or workspace module): go runs there with -C; its
  // name is a prefix of mainDir, which passed packageDirProblem (Go's import path rules).
  const moduleDir = main?.module !== undefined && mainDir !== null && packageDirProblem(normDir(main.module)) === null && (mainDir === normDir(main.module) || mainDir.startsWith(`${normDir(main.module)}/`)) ? normDir(main.module) : '.'
  const inModule = moduleDir !== '.'
  const keepWork = analysis.goWork !== null && analysis.workspace === 'workspace'
  const binary = binaryName(main?.binary ?? analysis.name, notices)
  const builder = chooseBuilder(analysis.module, options.builderImage)
  if (builder.rejected) {
    notices.push({
      code: 'builder-image-invalid',
      severity: 'warning',
      message: `The builder image in your settings, ${showText(builder.rejected.image)}, ${builder.rejected.problem}; ${builder.image} is used instead.`,
      detail: 'Correct the builder image in the settings, e.g. golang:1.23-bookworm or registry.example.com/mirror/golang:1.23-bookworm.',
    })
  }
  if (builder.unreleased) {
    const { goVersion, newestKnown } = builder.unreleased
    notices.push({
      code: 'go-version-unreleased',
      severity: 'warning',
      message: `go.mod asks for Go ${goVersion}, newer than any Go release Slipway knows (${newestKnown}): the builder image ${builder.image} may not exist, and the build would fail when it pulls it.`,
      detail: `If Go ${goVersion} is out, this is fine (or set a builder image in Settings). If not, the go or toolchain line in go.mod is a typo: Go ${newestKnown} is the newest release Slipway knows.`,
      ...(builder.evidence?.[0] ? { evidence: builder.evidence } : {}),
    })
  }
  const needs = analysis.needs
  const cgo = needs.cgo.length > 0
  const mod = analysis.module
  const vendored = mod !== null && analysis.vendor.present && analysis.vendor.consistent
  const hasRequires = (mod?.requires.length ?? 0) > 0
  const downloads = mod !== null && !vendored && hasRequires
  // The dependency layer is split off for a module at the root read in module mode; a module in a
  // subfolder or a workspace downloads in the build step (still with the module cache mount).
  const depsLayer = downloads && !inModule && !keepWork
  const keep: string[] = []
  const stanzas: Instr[][] = []

  // A tag when HEAD has one, else the short commit (like `git describe --always`), else "dev" outside git.
  const version = cleanArgValue(options.version ?? analysis.git?.tag ?? analysis.git?.commit ?? null, 'dev')
  const commit = cleanArgValue(options.commit ?? analysis.git?.commit ?? null, 'unknown')

  // ── Header and global ARGs ──
  stanzas.push([
    {
      lines: [`# Generated by Slipway for ${displayText(analysis.name)} on ${displayText(base.label)}.`],
      why: 'Says where this file came from. There is deliberately no "# syntax=" line: it would make BuildKit download a frontend image, which fails offline.',
    },
    {
      lines: ['ARG VERSION=dev', 'ARG COMMIT=unknown'],
      why: 'Version and commit arrive as build args (Slipway passes the git tag and commit), so this file does not change with every commit. The defaults keep a plain `docker build` working.',
    },
  ])

  // ── Build stage ──
  const build: Instr[] = []
  const crossCompile = options.buildkit && !cgo
  build.push({
    lines: [`FROM ${crossCompile ? '--platform=$BUILDPLATFORM ' : ''}${builder.image} AS build`],
    why:
      builder.why +
      (crossCompile
        ? ' `--platform=$BUILDPLATFORM` runs the compiler natively and lets Go cross-compile for the target platform, instead of emulating it.'
        : options.buildkit && cgo
          ? ' The builder runs on the target platform because cgo cannot cross-compile without a cross C toolchain.'
          : '') +
      (cgo ? ' The golang:*-bookworm images include gcc and the glibc headers cgo needs.' : ''),
    evidence: builder.evidence,
  })
  build.push({ lines: ['WORKDIR /src'], why: 'Sources go to /src in the builder stage; nothing from this stage ships except the binary.' })
  build.push({
    lines: ['ENV GOTOOLCHAIN=local'],
    why: 'The builder’s own Go compiles, always: a go.mod asking for a newer Go would otherwise make `go` download a toolchain in the middle of the build (slow, unreviewed, and impossible offline). Slipway checks the builder’s Go version before it builds instead.',
  })
  if (analysis.goWork && !keepWork)
    build.push({
      lines: ['ENV GOWORK=off'],
      why: `The folder has a go.work that uses a module outside the build context (or one without a go.mod), and go would read it. GOWORK=off builds ${inModule ? `the module in ${moduleDir}/` : 'this module'} alone, from its go.mod and go.sum.`,
      evidence: [analysis.goWork],
    })
  stanzas.push(build)

  const deps: Instr[] = []
  if (mod && depsLayer) {
    const localReplaces = mod.replaces.filter((r) => r.local && !r.outsideContext)
    keep.push('go.mod', 'go.sum')
    deps.push({
      lines: ['COPY go.mod go.sum* ./'],
      why: analysis.hasGoSum
        ? 'The dependency layer comes first: only go.mod and go.sum, so editing a .go file does not re-download modules. The `*` keeps the line valid if go.sum is ever missing.'
        : 'The dependency layer comes first: only go.mod (and go.sum once it exists — `go.sum*` matches nothing today, which Docker accepts because go.mod is matched).',
      evidence: [mod.evidence],
    })
    for (const r of localReplaces) {
      const dir = relDir(r.to, r.evidence, notices)
      if (dir === null) continue
      keep.push(`${dir}/go.mod`)
      deps.push({
        lines: [`COPY ${dir}/go.mod ${dir}/`],
        why: `go.mod replaces ${r.from} with the local folder ${r.to}: \`go mod download\` reads that module's go.mod, so it is copied with the dependency layer.`,
        evidence: [r.evidence],
      })
    }
    deps.push({
      lines: runLines(options.buildkit ? [`--mount=type=cache,target=${MOD_CACHE}`] : [], ['go mod download']),
      why:
        `Downloads the ${mod.requires.length} required module${mod.requires.length === 1 ? '' : 's'} once; this layer is reused until go.mod or go.sum change.` +
        (options.buildkit ? ' With BuildKit the modules also stay in a cache mount across builds.' : ''),
      evidence: [mod.evidence],
    })
  }
  if (deps.length > 0) stanzas.push(deps)

  const src: Instr[] = []
  keep.push('.')
  src.push({
    lines: ['COPY . .'],
    why: depsLayer
      ? 'Then the sources, after the dependency layer, so a source edit only re-runs the build.'
      : keepWork
        ? 'The whole folder with its go.work: every module the workspace uses is inside it, so go builds as it does in the workspace (modules it requires download in the build step).'
        : inModule
          ? `The whole folder: the program's module is in ${moduleDir}/${downloads ? ' (the modules it requires download in the build step)' : ''}, and a replace may point at a sibling folder.`
          : vendored
        ? 'The sources with vendor/: every dependency is in the context, so there is no download step.'
        : mod
          ? 'The sources. The module requires nothing outside the standard library, so there is no download step.'
          : 'The sources. There is no go.mod, so there is nothing to download ahead of them.',
  })
  if (!mod) {
    const modName = moduleNameFor(analysis.name)
    src.push({
      lines: runLines(options.buildkit ? [`--mount=type=cache,target=${MOD_CACHE}`] : [], [`go mod init ${modName} && go mod tidy`]),
      why: `There is no go.mod (a GOPATH-style program): the builder creates one (module "${modName}") and lets \`go mod tidy\` record any imports, so the sources build as a module without changing your folder.`,
    })
  }
  stanzas.push(src)

  // ── The go build ──
  const stamps = stampFlags(main)
  const tags = [...(options.tags ?? [])].map((t) => t.trim()).filter((t) => /^[\w.-]+$/.test(t))
  // Whatever the base: every base then shares one build stage and one binary (a comparison compares
  // the same program on each), and Go's time package still reads the base's own zone files first.
  const needsTz = needs.tzdata.length > 0 && !needs.embedsTzdata
  if (needsTz && !tags.includes('timetzdata')) tags.push('timetzdata')
  const buildArgsLines: Instr = {
    lines: ['ARG TARGETOS', 'ARG TARGETARCH', 'ARG VERSION', 'ARG COMMIT'],
    why:
      'Declared here, right before the build, so a new version or commit does not invalidate the layers above. TARGETOS/TARGETARCH have no defaults on purpose: ' +
      'BuildKit fills them from the target platform (a default written here would override that), and with the classic builder they stay empty, so the build below falls back to the builder’s own platform — the one the classic builder produces images for.',
  }
  const mounts = options.buildkit ? [...(vendored ? [] : [`--mount=type=cache,target=${MOD_CACHE}`]), `--mount=type=cache,target=${BUILD_CACHE}`] : []
  const modFlag = vendored ? ' -mod=vendor' : analysis.vendor.present && mod ? ' -mod=mod' : ''
  const ldflags = ['-s', '-w', ...stamps.map((s) => `-X main.${s.name}=\${${s.arg}}`)].join(' ')
  // mainDir passed packageDirProblem (Go's import path rules): a plain shell word after `./`.
  const mainInModule = mainDir === null ? null : inModule ? (mainDir === moduleDir ? '.' : mainDir.slice(moduleDir.length + 1)) : mainDir
  const pkg = mainInModule !== null && mainInModule !== '.' ? `./${mainInModule}` : '.'
  const env = `CGO_ENABLED=${cgo ? 1 : 0} GOOS=\${TARGETOS:-linux} GOARCH=\${TARGETARCH:-$(go env GOARCH)}`
  const goBuild = [
    env,
    `go${inModule ? ` -C ${moduleDir}` : ''} build -trimpath -buildvcs=false${modFlag}${tags.length > 0 ? ` -tags=${tags.join(',')}` : ''}`,
    `  -ldflags="${ldflags}"`,
    `  -o /out/${binary} ${pkg}`,
  ]
  const whyBuild = [
    cgo ? 'cgo is needed, so CGO_ENABLED=1 links against glibc.' : 'CGO_ENABLED=0 gives a static binary that runs on any base, even scratch.',
    ...(inModule ? [`-C ${moduleDir} runs go in the program's module folder (its go.mod), as \`cd ${moduleDir} && go build\` would.`] : []),
    ...(keepWork ? ['go.work is read: imports of the other workspace modules resolve to their folders.'] : []),
    '-trimpath drops local paths from the binary; -s -w drop the symbol table and debug info (smaller, same behaviour).',
    '-buildvcs=false: .git is not in the build context (a stray or submodule .git would make `go build` fail with "error obtaining VCS status"); version and commit come from the build args instead.',
    ...stamps.map((s) => `-X main.${s.name} stamps the ${s.arg} build arg into the plain string variable \`${s.name}\`.`),
    ...(needsTz
      ? [
          `-tags=timetzdata embeds the time zone database (about 450 kB), because the program loads zones: the same binary on every base; the base's own zone files are used first where it has them${base.tzdata ? ` (${base.label} has them)` : ` (${base.label} has none)`}.`,
        ]
      : []),
    ...(vendored ? ['-mod=vendor builds from vendor/ without downloading anything.'] : []),
    ...(modFlag === ' -mod=mod' ? ['-mod=mod ignores vendor/, which is out of step with go.mod.'] : []),
    ...(options.buildkit ? ['The cache mounts keep the module and build caches between builds, so a one-line change rebuilds in seconds.'] : []),
  ].join(' ')
  const buildEvidence = [
    ...(cgo ? needs.cgo : []),
    ...(needsTz ? needs.tzdata : []),
    ...stamps.map((s) => s.evidence),
  ]
  // A .env the program stops without is never copied (secrets): the image gets an empty one in its place.
  const envPlaceholders = needs.runtimeFiles.filter((f) => f.required && envPlaceholderPath(f.path) !== null)
  stanzas.push([
    buildArgsLines,
    { lines: runLines(mounts, goBuild), why: whyBuild, evidence: buildEvidence.length > 0 ? buildEvidence : undefined },
    ...(envPlaceholders.length > 0
      ? [{ lines: [`RUN : > ${EMPTY_FILE}`], why: 'An empty file for the final stage: the program stops without its .env, which is not copied (it holds secrets), so the image carries an empty one in its place.', evidence: envPlaceholders.map((f) => f.evidence) }]
      : []),
  ])

  // ── Final stage ──
  const fin: Instr[] = []
  fin.push({
    lines: [`FROM ${base.image}`],
    why: `Runtime base: ${base.label}${base.custom ? ` (your base, like ${base.basedOn})` : ''}. ${base.summary}`,
  })
  if (needs.caCerts.length > 0 && !base.caCerts) {
    fin.push({
      lines: [`COPY --from=build ${CA_BUNDLE} /etc/ssl/certs/`],
      why: `The program makes TLS connections and ${base.label} has no CA certificates: the builder's bundle is copied in, so HTTPS calls can verify servers.`,
      evidence: needs.caCerts,
    })
  }
  if (needs.tzdata.length > 0 && (needs.embedsTzdata || base.tzdata)) {
    // Nothing to add, but say so in the notices so the finding is visibly handled.
    notices.push({
      code: 'tzdata-available',
      severity: 'info',
      message: needs.embedsTzdata
        ? 'The program embeds its own time zone data (time/tzdata).'
        : `${base.label} ships time zone data, which the program reads first; the binary carries its own too (-tags=timetzdata), the same binary on every base.`,
      evidence: needs.tzdata,
    })
  }
  // The binary goes in before any step that depends on the base (WORKDIR makes /app owned by the
  // base's USER: 65532 on distroless), so its layer is root-owned and the same bytes on every base.
  fin.push({
    lines: [`COPY --from=build /out/${binary} ${APP_DIR}/${binary}`],
    why:
      `The only thing taken from the builder: the ${binary} binary${mainDir !== null ? ` built from ${mainDir === '.' ? 'the module root' : mainDir}` : ''}. ` +
      `Copied first, root-owned and read-only to the program, so its layer is the same on every base (a base that runs as a user of its own would otherwise own ${APP_DIR}).`,
  })
  fin.push({ lines: [`WORKDIR ${APP_DIR}`], why: `The binary and its files live in ${APP_DIR}, which is also the working directory, so relative paths in the code resolve as they do in the project folder.` })
  for (const f of needs.runtimeFiles) {
    const copy = runtimeFileCopy(f, notices, moduleDir, needs.env.map((e) => e.name).filter(isEnvName))
    if (!copy) continue
    if (copy.src !== EMPTY_FILE) keep.push(copy.src)
    fin.push({ lines: [copy.line], why: copy.why, evidence: [f.evidence] })
  }

  const listen = listenPlan(needs.listen, notices)
  for (const e of listen.env) fin.push({ lines: [`ENV ${e.name}=${e.value}`], why: e.why, evidence: [e.evidence] })
  fin.push({
    lines: [`USER ${RUNTIME_USER}`],
    why:
      'Runs as a non-root user. Numeric ids work on every base — the kernel only needs numbers; `USER nonroot` exists only in distroless' +
      (base.passwd ? '' : `, and ${base.label} has no /etc/passwd at all (Docker then sets HOME=/)`) +
      '. 65532 is the id distroless calls "nonroot".',
  })
  for (const p of listen.ports) {
    fin.push({ lines: [`EXPOSE ${p.port}`], why: `The program listens on port ${p.port}. EXPOSE documents it and lets \`docker run -P\` publish it.`, evidence: p.evidence })
  }
  const source = options.sourceUrl ?? sourceUrlFor(mod?.path ?? null)
  const labels = [
    `org.opencontainers.image.title="${labelValue(analysis.name)}"`,
    'org.opencontainers.image.version="${VERSION}"',
    'org.opencontainers.image.revision="${COMMIT}"',
    ...(source ? [`org.opencontainers.image.source="${labelValue(source)}"`] : []),
    ...(base.image !== 'scratch' ? [`org.opencontainers.image.base.name="${labelValue(base.image)}"`] : []),
  ]
  fin.push({ lines: ['ARG VERSION', 'ARG COMMIT'], why: 'The version and commit again, for the labels below (each stage sees only the ARGs it declares).' })
  fin.push({
    lines: continued('LABEL', labels, 6),
    why: `Standard OCI labels: registries and scanners show the image's ${['title', 'version', 'commit', ...(source ? ['source repository'] : []), ...(base.image !== 'scratch' ? ['base image'] : [])].join(', ').replace(/, ([^,]*)$/, ' and $1')}.`,
  })
  fin.push({
    lines: [`ENTRYPOINT ${jsonArray([`${APP_DIR}/${binary}`])}`],
    why: 'Exec form: the program is PID 1 and receives SIGTERM from `docker stop` directly (no shell in between — and most of these bases have no shell).',
  })
  if (listen.args.length > 0) {
    fin.push({
      lines: [`CMD ${jsonArray(listen.args.flatMap((a) => [`--${a.name}`, a.value]))}`],
      why:
        listen.args.map((a) => a.why).join(' ') +
        ' Two dashes work with both Go’s flag package and pflag/cobra. Arguments given to `docker run` replace this default.',
      evidence: listen.args.map((a) => a.evidence),
    })
  }
  stanzas.push(fin)

  // ── Notices that need the user ──
  addProjectNotices(analysis, options, { cgo }, notices)

  const lines: RecipeLine[] = []
  stanzas.forEach((stanza, i) => {
    if (i > 0) lines.push({ text: '', why: '' })
    for (const ins of stanza) for (const text of ins.lines) lines.push(ins.evidence && ins.evidence.length > 0 ? { text, why: ins.why, evidence: ins.evidence } : { text, why: ins.why })
  })
  return {
    dockerfile: `${lines.map((l) => l.text).join('\n')}\n`,
    lines,
    dockerignore: generateDockerignore({ keep: [...keep, ...(mainDir !== null ? [mainDir] : []), ...embedKeeps(needs.embeds, notices)] }),
    buildArgs: { VERSION: version, COMMIT: commit },
    ports: listen.ports.map((p) => p.port),
    notices,
  }
}

// ── Pieces ────────────────────────────────────────────────────────────────────────────────────

const normDir = (d: string): string => d.replace(/^\.\//, '').replace(/\/+$/, '') || '.'

function pickMain(a: ProjectAnalysis, wanted: string | null | undefined, notices: Notice[]): MainPackage | null {
  const norm = normDir
  // No main package: the analysis says so (notice "no-main"); the recipe still builds the root.
  if (a.mains.length === 0) return null
  // A folder name Go could not build is never a candidate: it would go into `go build ./DIR` and
  // the .dockerignore (a folder `cmd/a;id` would run `id` in the builder).
  const safe = a.mains.filter((m) => packageDirProblem(norm(m.dir)) === null)
  const dir = norm(wanted ?? a.selectedMain ?? safe[0]?.dir ?? '.')
  let wantedUnsafe = false
  for (const m of a.mains) {
    const problem = packageDirProblem(norm(m.dir))
    if (problem === null) continue
    const isWanted = norm(m.dir) === dir
    wantedUnsafe ||= isWanted
    notices.push({
      code: 'unsafe-main-dir',
      // An error when the recipe cannot build what was asked for (or anything at all).
      severity: isWanted || safe.length === 0 ? 'error' : 'warning',
      message: `The main package in ${showText(m.dir)} is left out: the folder name ${problem}.`,
      detail: `Go cannot build a package in that folder, and Slipway does not write its name into a Dockerfile. Rename it using letters, digits and - . _ ~ +${isWanted && safe.length > 0 ? `; meanwhile the recipe builds ${safe[0]?.dir}` : ''}.`,
      evidence: m.files.length > 0 ? [{ file: m.files[0] as string, line: 1 }] : undefined,
    })
  }
  if (wantedUnsafe || safe.length === 0) return safe[0] ?? null
  const main = safe.find((m) => norm(m.dir) === dir)
  if (!main) {
    notices.push({
      code: 'main-not-found',
      severity: 'error',
      message: `There is no main package in ${showText(dir)}.`,
      detail: `Main packages found: ${safe.map((m) => m.dir).join(', ')}.`,
    })
    return safe[0] ?? null
  }
  if (a.selectedMain !== null && norm(a.selectedMain) !== dir) {
    notices.push({
      code: 'main-not-analysed',
      severity: 'warning',
      message: `The run-time findings are for ${quoted(a.selectedMain)}, not ${dir}.`,
      detail: 'Analyse the project again with this main package selected, so ports, files and needs match it.',
    })
  }
  return main
}

interface Stamp {
  name: 'version' | 'commit'
  arg: 'VERSION' | 'COMMIT'
  evidence: Evidence
}

function stampFlags(main: MainPackage | null): Stamp[] {
  if (!main) return []
  const out: Stamp[] = []
  const one = (name: Stamp['name'], arg: Stamp['arg'], v: StampVar) => {
    if (v.kind === 'string') out.push({ name, arg, evidence: v.evidence })
    // 'unsuitable' is not stamped; the analysis already explains why (notice "stamp-unsuitable").
  }
  one('version', 'VERSION', main.version)
  one('commit', 'COMMIT', main.commit)
  return out
}

interface FileCopy {
  src: string
  line: string
  why: string
}

const SECRET_FILE = /(^|\/)\.env(\.[^/]*)?$|\.key$/i
/** The empty file the build stage makes for a required .env (see envPlaceholderPath). */
const EMPTY_FILE = '/out/.slipway-empty'

/** The path of a .env-style file the image can carry empty in place of the real one (null for others, or paths it cannot hold). */
function envPlaceholderPath(raw: string): string | null {
  const path = raw.replace(/^\.\//, '').replace(/\/+$/, '')
  if (!/(^|\/)\.env(\.[^/]*)?$/i.test(path) || path.startsWith('/') || path.split('/').includes('..') || contextPathProblem(path) !== null) return null
  return path
}

function runtimeFileCopy(f: RuntimeFile, notices: Notice[], moduleDir = '.', envNames: readonly string[] = []): FileCopy | null {
  const path = f.path.replace(/^\.\//, '').replace(/\/+$/, '')
  if (path.startsWith('/') || path.split('/').includes('..') || path === '' || path === '.') {
    notices.push({
      code: 'runtime-file-outside',
      severity: f.required ? 'warning' : 'info',
      message: `The program opens ${quoted(f.path)}, which is outside the project folder, so the image cannot contain it.`,
      detail: `Mount it when you run the container: \`docker run -v ${shellQuote(`/host/path:${path.startsWith('/') ? path : '/app/' + path}:ro`)} …\`.`,
      evidence: [f.evidence],
    })
    return null
  }
  const problem = contextPathProblem(path)
  if (problem !== null) {
    notices.push(unsafePath(f.path, problem, 'is not copied into the image', f.evidence, f.required ? 'warning' : 'info'))
    return null
  }
  const placeholder = f.required ? envPlaceholderPath(f.path) : null
  if (placeholder !== null) {
    const names = envNames.length > 0 ? ` (${envNames.slice(0, 8).join(', ')}${envNames.length > 8 ? ', …' : ''})` : ''
    notices.push({
      code: 'runtime-file-secret',
      severity: 'warning',
      message: `The program reads ${path} and stops without it; it is not copied into the image because it usually holds secrets, so the image carries an empty ${path} and the program starts.`,
      detail: `Pass the variables it reads with \`docker run -e NAME=value\`${names} or \`--env-file ${shellQuote(path)}\`, or mount your file over the empty one: \`-v "$PWD/${path}:${APP_DIR}/${path}:ro"\`. The dev stack mounts the one it generates.`,
      evidence: [f.evidence],
    })
    const dest = `${APP_DIR}/${placeholder}`
    return {
      src: EMPTY_FILE,
      line: /^[\w./@%+=,:-]+$/.test(dest) ? `COPY --from=build ${EMPTY_FILE} ${dest}` : `COPY --from=build ${jsonArray([EMPTY_FILE, dest])}`,
      why: `An empty ${path} where the program looks for it: it stops without the file, whose real one holds secrets and is never copied. Its variables come from the environment.`,
    }
  }
  if (SECRET_FILE.test(path)) {
    // The path passed contextPathProblem: nothing in it is special inside double quotes.
    notices.push({
      code: 'runtime-file-secret',
      severity: f.required ? 'warning' : 'info',
      message: `The program reads ${path}${f.required ? ' and stops without it' : ''}; it is not copied into the image because it usually holds secrets.`,
      detail: path.includes('.env')
        ? `Pass the variables at run time instead: \`docker run --env-file ${shellQuote(path)} …\`, or mount the file: \`-v "$PWD/${path}:${APP_DIR}/${path}:ro"\`.`
        : `Mount it at run time: \`docker run -v "$PWD/${path}:${APP_DIR}/${path}:ro" …\`, or use a secret store.`,
      evidence: [f.evidence],
    })
    return null
  }
  // A missing file is not copied; the analysis reports it (notice "runtime-file-missing").
  if (!f.exists) return null
  const dest = `${APP_DIR}/${path}`
  // Relative to the working directory, which is the module's folder when the program is run there.
  const src = moduleDir === '.' ? path : `${moduleDir}/${path}`
  const plain = (s: string) => /^[\w./@%+=,:-]+$/.test(s) && !/[*?[]/.test(s)
  const line = plain(src) ? `COPY ${src} ${dest}` : `COPY ${jsonArray([src, dest])}`
  return {
    src,
    line,
    why: `The program opens ${path} by a relative path at run time${f.required ? ' and stops without it' : ''}: it is copied to ${dest}, next to the binary, in the working directory.`,
  }
}

interface ListenPlan {
  ports: { port: number; evidence: Evidence[] }[]
  env: { name: string; value: string; why: string; evidence: Evidence }[]
  args: { name: string; value: string; why: string; evidence: Evidence }[]
}

const HOST_ONLY = /(^|_|-)(host|hostname|ip|bind_?ip|interface)$/i

function listenPlan(findings: ListenFinding[], notices: Notice[]): ListenPlan {
  const plan: ListenPlan = { ports: [], env: [], args: [] }
  const addPort = (port: number, e: Evidence) => {
    const known = plan.ports.find((p) => p.port === port)
    if (known) known.evidence.push(e)
    else plan.ports.push({ port, evidence: [e] })
  }
  for (const l of findings) {
    const portOk = l.port !== null && Number.isInteger(l.port) && l.port > 0 && l.port < 65536
    // The flag or variable name is written into ENV, CMD and suggested commands only in these cases;
    // a name that is not a plain identifier is left out with the finding it belongs to.
    const named = l.via.kind !== 'literal' && (l.loopbackOnly || (!portOk && l.via.kind === 'env' && /port$/i.test(l.via.name)))
    if (named && l.via.kind !== 'literal' && !(l.via.kind === 'env' ? isEnvName(l.via.name) : isFlagName(l.via.name))) {
      const what = l.via.kind === 'env' ? 'environment variable' : 'flag'
      notices.push({
        code: l.via.kind === 'env' ? 'unsafe-env-name' : 'unsafe-flag-name',
        severity: 'warning',
        message: `The program's listen address is set by the ${what} ${showText(l.via.name)}, which is not a plain ${what} name; the image does not set it.`,
        detail:
          l.via.kind === 'env'
            ? 'Environment variable names Slipway writes into a Dockerfile are letters, digits and _, not starting with a digit.'
            : 'Flag names Slipway writes into a Dockerfile are letters, digits, ".", "_" and "-", starting with a letter or digit.',
        evidence: [l.evidence],
      })
      continue
    }
    if (!l.loopbackOnly) {
      if (portOk) addPort(l.port as number, l.evidence)
      else if (l.via.kind === 'env' && /port$/i.test(l.via.name) && !plan.env.some((e) => e.name === (l.via as { name: string }).name)) {
        // `os.Getenv("PORT")` with no fallback: give the image one, or it listens on a random port.
        const name = l.via.name
        plan.env.push({ name, value: '8080', why: `The program reads its port from ${name} and has no default: the image sets one, so it listens on a known port.`, evidence: l.evidence })
        addPort(8080, l.evidence)
      } else if (!portOk && l.via.kind !== 'literal' && (l.via.kind === 'env' ? isEnvName(l.via.name) : isFlagName(l.via.name))) {
        // The port comes from outside with no default, under a name that does not say "port": the image cannot guess a value.
        const how = l.via.kind === 'env' ? `the environment variable ${l.via.name}` : `the flag --${l.via.name}`
        notices.push({
          code: 'listen-port-unset',
          severity: 'info',
          message: `The program listens where ${how} says, and the code gives it no default: the image exposes no port.`,
          detail:
            l.via.kind === 'env'
              ? `Set ${l.via.name} when it runs (\`docker run -e ${l.via.name}=:8080 -p 8080:8080 IMAGE\`); the Run dialog and the dev stack ask for it.`
              : `Pass --${l.via.name} when it runs (\`docker run -p 8080:8080 IMAGE --${l.via.name} :8080\`); the Run dialog asks for it.`,
          evidence: [l.evidence],
        })
      }
      continue
    }
    const where = `${l.host || 'loopback'}${portOk ? `:${l.port}` : ''}`
    if (l.via.kind === 'literal') {
      notices.push({
        code: 'loopback-literal',
        severity: 'error',
        message: `The program listens on ${where} only, written into the code: it cannot be reached from outside the container.`,
        detail: `Change the code to listen on ":${portOk ? l.port : 'PORT'}" (all interfaces), or read the address from a flag or environment variable so the image can set it.`,
        evidence: [l.evidence],
      })
      continue
    }
    const hostOnly = HOST_ONLY.test(l.via.name)
    const value = hostOnly ? '0.0.0.0' : portOk ? `:${l.port}` : null
    if (value === null) {
      notices.push({
        code: 'loopback-unknown-port',
        severity: 'warning',
        message: `The program listens on ${where} only by default, and its port could not be told, so the image cannot set a container-friendly ${l.via.kind === 'flag' ? `--${l.via.name}` : l.via.name}.`,
        detail: `Set it at run time to all interfaces, e.g. ${l.via.kind === 'flag' ? `\`docker run IMAGE --${l.via.name} :8080\`` : `\`docker run -e ${l.via.name}=:8080 …\``}.`,
        evidence: [l.evidence],
      })
      continue
    }
    if (portOk) addPort(l.port as number, l.evidence)
    const why = `By default the program listens on ${where} only — unreachable from outside a container — so the image sets ${l.via.kind === 'flag' ? `--${l.via.name}` : l.via.name} to ${value} (all interfaces).`
    if (l.via.kind === 'flag') {
      if (!plan.args.some((a) => a.name === (l.via as { name: string }).name)) plan.args.push({ name: l.via.name, value, why, evidence: l.evidence })
    } else if (!plan.env.some((e) => e.name === (l.via as { name: string }).name)) {
      plan.env.push({ name: l.via.name, value, why, evidence: l.evidence })
    }
    notices.push({
      code: 'loopback-fixed',
      severity: 'info',
      message: `The program listens on ${where} only by default; the image sets ${l.via.kind === 'flag' ? `\`--${l.via.name} ${value}\` as its default arguments` : `${l.via.name}=${value}`} so it can be reached.`,
      evidence: [l.evidence],
    })
  }
  plan.ports.sort((a, b) => a.port - b.port)
  return plan
}

function addProjectNotices(
  a: ProjectAnalysis,
  o: RecipeOptions,
  s: { cgo: boolean },
  notices: Notice[],
): void {
  const { base } = o
  if (s.cgo) {
    if (!base.runsCgo) {
      const can = cgoCapableBases()
      notices.push({
        code: 'cgo-base',
        severity: 'error',
        message: `The program needs cgo, and ${base.label} cannot run a cgo binary (${base.libc === 'musl' ? 'musl instead of glibc' : 'no C library'}).`,
        detail: `Pick a glibc base: ${can.map((b) => `${b.label} (${b.image})`).join(' or ')}.`,
        evidence: a.needs.cgo,
      })
    } else {
      notices.push({
        code: 'cgo-enabled',
        severity: 'info',
        message: `The program needs cgo: it is built with CGO_ENABLED=1 against glibc, which ${base.label} provides at run time.`,
        evidence: a.needs.cgo,
      })
    }
  }
  const setByImage = new Set<string>(a.needs.listen.filter((l) => l.via.kind === 'env').map((l) => (l.via as { name: string }).name))
  const badEnv = a.needs.env.filter((e) => !isEnvName(e.name))
  if (badEnv.length > 0) {
    notices.push({
      code: 'unsafe-env-name',
      severity: 'info',
      message: `The program reads environment variables with names that are not plain identifiers: ${badEnv.map((e) => showText(e.name)).join(', ')}. Slipway leaves them out of its suggestions.`,
      evidence: badEnv.flatMap((e) => e.evidence.slice(0, 1)),
    })
  }
  // Required ones have their own notice (required-env, from the analysis).
  const envNoDefault = a.needs.env.filter((e) => isEnvName(e.name) && e.fallback === undefined && !setByImage.has(e.name) && e.required !== true)
  if (envNoDefault.length > 0) {
    notices.push({
      code: 'env-vars',
      severity: 'info',
      message: `The program reads ${envNoDefault.map((e) => e.name).join(', ')} from the environment, with no default in the code.`,
      detail: `Pass ${envNoDefault.length === 1 ? 'it' : 'them'} at run time: \`docker run ${envNoDefault.map((e) => `-e ${e.name}=…`).join(' ')} IMAGE\`.`,
      evidence: envNoDefault.flatMap((e) => e.evidence.slice(0, 1)),
    })
  }
  if (!o.buildkit) {
    notices.push({
      code: 'classic-builder',
      severity: 'info',
      message: 'Recipe for the classic builder: no cache mounts, so every source change rebuilds from an empty Go build cache.',
      detail: 'With BuildKit a one-line change typically rebuilds an order of magnitude faster.',
    })
  }
}

// ── Formatting helpers ────────────────────────────────────────────────────────────────────────

/** A RUN instruction with its flags and shell lines, continued with ` \` and indented. */
function runLines(flags: string[], body: string[]): string[] {
  const parts = [...flags, ...body]
  if (parts.length === 1) return [`RUN ${parts[0]}`]
  return parts.map((p, i) => `${i === 0 ? 'RUN ' : '    '}${p}${i < parts.length - 1 ? ' \\' : ''}`)
}

/** `LABEL a=1 \` / `      b=2`: one item per line, aligned under the first. */
function continued(keyword: string, items: string[], indent: number): string[] {
  return items.map((it, i) => `${i === 0 ? `${keyword} ` : ' '.repeat(indent)}${it}${i < items.length - 1 ? ' \\' : ''}`)
}

function jsonArray(items: string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(', ')}]`
}

/** A double-quoted LABEL value: shown text only, with the characters Docker treats specially escaped. */
function labelValue(s: string): string {
  return displayText(s, 500).replace(/["\\$]/g, '\\$&')
}

/** A name in a notice: as is when it is plain, else quoted with its control characters visible. */
function quoted(s: string): string {
  return /^[\w./@%+=,:~-]+$/.test(s) ? s : showText(s)
}

/** The notice for a project path that cannot go into a Dockerfile or .dockerignore. */
function unsafePath(path: string, problem: string, outcome: string, evidence: Evidence, severity: Notice['severity'] = 'warning'): Notice {
  return {
    code: 'unsafe-path',
    severity,
    message: `${showText(path)} ${outcome}: the path ${problem}.`,
    detail: 'Slipway writes only plain relative paths into a Dockerfile or .dockerignore (letters, digits, spaces and - . _ ~ + @ , = %). Rename the file or folder to include it.',
    evidence: [evidence],
  }
}

/**
 * The runtime base, after checking its image reference again: a BaseImage can be built by any
 * front end, and a bad reference would be written into `FROM`. Falls back to the built-in it is
 * based on.
 */
function checkedBase(base: BaseImage, notices: Notice[]): BaseImage {
  const problem = base.image === 'scratch' ? null : imageRefProblem(base.image)
  if (problem === null) return base
  const fallback = BASE_CATALOG.find((b) => b.id === base.basedOn) ?? builtinBase('distroless-static')
  notices.push({
    code: 'base-image-invalid',
    severity: 'error',
    message: `The base ${showText(base.label)} names the image ${showText(base.image)}, which ${problem}; the recipe uses ${fallback.image} instead.`,
    detail: 'Correct the image reference of this base in the settings.',
  })
  return fallback
}

/** Binary names become file names and JSON strings: keep them to a safe alphabet (and say so when that changed the name). */
function binaryName(name: string, notices: Notice[]): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '')
  const binary = clean.length > 0 ? clean.slice(0, 64) : 'app'
  if (binary !== name) {
    notices.push({
      code: 'binary-renamed',
      severity: 'info',
      message: `The binary is called ${binary}: ${showText(name)} has characters that do not belong in a file name in the image.`,
    })
  }
  return binary
}

/** The paths `//go:embed` directives read, for the .dockerignore to keep; unsafe ones are reported and left out. */
function embedKeeps(embeds: Evidence[], notices: Notice[]): string[] {
  const out: string[] = []
  for (const e of embeds) {
    for (const path of embedTargets(e)) {
      // `//go:embed *` at the root names the whole context, which is kept anyway.
      if (path === '' || path === '.') continue
      const problem = contextPathProblem(path)
      if (problem === null) out.push(path)
      else notices.push(unsafePath(path, problem, 'is embedded by the program, but not named in the .dockerignore', e, 'warning'))
    }
  }
  return out
}

function moduleNameFor(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '')
  return clean.length > 0 ? clean : 'app'
}

/** Build-arg values go into `-ldflags="…"`: no quotes, spaces or `$`, which would break the flag. */
function cleanArgValue(v: string | null, fallback: string): string {
  const clean = (v ?? '').trim().replace(/[^\w.+\-/:]+/g, '-')
  return clean.length > 0 ? clean.slice(0, 128) : fallback
}

/** A local replace target as a context-relative folder (`./libs/x` → `libs/x`), or null (reported when its name is the reason). */
function relDir(to: string, evidence: Evidence, notices: Notice[]): string | null {
  const d = to.replace(/^\.\//, '').replace(/\/+$/, '')
  // Outside the context: the analysis reports it; the root: go.mod is copied anyway.
  if (d === '' || d === '.' || d.startsWith('/') || d.split('/').includes('..')) return null
  const problem = contextPathProblem(d)
  // The plain COPY form below needs no quoting, so names with spaces or other scripts are left out too.
  const plain = problem === null && /^[\w./@%+=,-]+$/.test(d)
  if (!plain) notices.push(unsafePath(to, problem ?? 'needs quoting', 'is a local replacement whose go.mod is not copied with the dependency layer', evidence))
  return plain ? d : null
}

const FORGES = ['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']

/** `github.com/acme/app/v2` → `https://github.com/acme/app`; null for module paths that are not a known forge (or not valid). */
export function sourceUrlFor(modulePath: string | null): string | null {
  if (!modulePath || goModulePathProblem(modulePath) !== null) return null
  const parts = modulePath.split('/')
  if (!FORGES.includes(parts[0] ?? '') || parts.length < 3) return null
  return `https://${parts.slice(0, 3).join('/')}`
}
