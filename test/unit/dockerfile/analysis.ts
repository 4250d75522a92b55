// Hand-written ProjectAnalysis objects for the recipe tests: a plain stdlib HTTP server by
// default, changed per scenario. The analyzer is tested on real fixtures elsewhere.
import type { Evidence, ListenFinding, MainPackage, ProjectAnalysis, RuntimeFile, RuntimeNeeds, StampVar } from '../../../shared/types/project'

/** Evidence at `file:line` with its source text. */
export const ev = (file: string, line: number, text?: string): Evidence => (text === undefined ? { file, line } : { file, line, text })

/** A plain `var NAME = "dev"` in main.go. */
export const stringVar = (name: string, line = 10): StampVar => ({ kind: 'string', evidence: ev('main.go', line, `var ${name} = "dev"`) })

/** A main package in `dir` (binary named after the folder, or "hello" for the root). */
export function mainPkg(dir: string, extra: Partial<MainPackage> = {}): MainPackage {
  return {
    dir,
    binary: dir === '.' ? 'hello' : (dir.split('/').pop() as string),
    files: [dir === '.' ? 'main.go' : `${dir}/main.go`],
    version: { kind: 'missing' },
    commit: { kind: 'missing' },
    ...extra,
  }
}

/** A listener on all interfaces, port 8080, set by the `-addr` flag. */
export function listen(extra: Partial<ListenFinding> = {}): ListenFinding {
  return { port: 8080, host: '', loopbackOnly: false, via: { kind: 'flag', name: 'addr' }, evidence: ev('main.go', 20, 'addr := flag.String("addr", ":8080", "listen address")'), ...extra }
}

/** A file the program opens at run time. */
export function runtimeFile(path: string, exists: boolean, required = true): RuntimeFile {
  return { path, exists, required, evidence: ev('main.go', 30, `os.ReadFile("${path}")`) }
}

function needs(extra: Partial<RuntimeNeeds>): RuntimeNeeds {
  return { cgo: [], caCerts: [], tzdata: [], embedsTzdata: false, embeds: [], runtimeFiles: [], listen: [listen()], env: [], requiredArgs: [], requiredFlags: [], ...extra }
}

export interface AnalysisChanges extends Partial<Omit<ProjectAnalysis, 'needs'>> {
  needs?: Partial<RuntimeNeeds>
}

/** The plain server: module example.com/hello (go 1.23), stdlib only, one main at the root, `-addr :8080`. */
export function analysis(changes: AnalysisChanges = {}): ProjectAnalysis {
  const { needs: n, ...rest } = changes
  return {
    root: '/projects/hello',
    name: 'hello',
    module: { path: 'example.com/hello', goVersion: '1.23', toolchain: null, requires: [], replaces: [], evidence: ev('go.mod', 1, 'module example.com/hello') },
    hasGoSum: false,
    goWork: null,
    vendor: { present: false, consistent: false, problems: [] },
    mains: [mainPkg('.')],
    selectedMain: '.',
    git: { tag: 'v1.2.3', commit: 'abc1234', dirty: false },
    existing: { dockerfile: null, dockerignore: null },
    notices: [],
    stats: { files: 3, goFiles: 1, durationMs: 1 },
    ...rest,
    needs: needs(n ?? {}),
  }
}

/** A module with one third-party requirement and its go.sum. */
export function withDeps(changes: AnalysisChanges = {}): ProjectAnalysis {
  const a = analysis(changes)
  if (a.module) a.module.requires = [{ path: 'github.com/google/uuid', version: 'v1.6.0', indirect: false }]
  if (changes.hasGoSum === undefined) a.hasGoSum = true
  return a
}
