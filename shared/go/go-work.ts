// go.work, read as the go command reads its `use` directives, to decide what a workspace means for a
// container build (see decideWorkspace): the context holds the project folder only, so a workspace
// can be built as one only when every module it uses is inside that folder.

/** The `use` directives of a go.work: folders inside the project (plain relative paths) and the others (`../x`, `/abs`, odd names). */
export interface GoWorkUses {
  /** Relative folders inside the project, normalised (`./api/` → `api`, `.` → `.`). */
  inside: string[]
  /** Entries as written that point outside the folder or cannot be used safely (`../x`, `/abs`, `C:\x`, names with odd characters). */
  outside: string[]
}

const MAX_USES = 200

/** Parses the `use` lines of a go.work (`use ./api`, `use ( ./api "./lib" )`, comments allowed). */
export function parseGoWorkUses(text: string): GoWorkUses {
  const inside: string[] = []
  const outside: string[] = []
  const body = text.replace(/\/\/[^\n]*/g, '')
  for (const m of body.matchAll(/^\s*use\s*(?:\(([^)]*)\)|(\S+))/gm)) {
    for (const raw of (m[1] ?? m[2] ?? '').split(/\s+/)) {
      if (raw === '' || inside.length + outside.length >= MAX_USES) continue
      const unquoted = raw.replace(/^"(.*)"$/, '$1').replace(/^`(.*)`$/, '$1')
      const dir = unquoted.replace(/\\/g, '/').replace(/^(?:\.\/+)+/, '').replace(/\/+$/, '') || '.'
      const plain = dir === '.' || (/^[\w.+-]+(?:\/[\w.+-]+)*$/.test(dir) && !dir.split('/').some((p) => p === '..' || p === '.'))
      if (plain && !unquoted.startsWith('/') && !/^[A-Za-z]:/.test(unquoted)) {
        if (!inside.includes(dir)) inside.push(dir)
      } else outside.push(unquoted)
    }
  }
  return { inside, outside }
}

/** How a go.work is honoured in the build (one rule for the notice and the Dockerfile). */
export type WorkspaceMode =
  /** Every `use` is inside the folder: the build keeps go.work, as `go build` does in the workspace. */
  | 'workspace'
  /** Some `use` is outside the folder (or none is usable): GOWORK=off builds the chosen main's module alone. */
  | 'off'

/** The rule: keep the workspace when every module it uses is in the build context, else build one module with GOWORK=off. */
export function workspaceMode(uses: GoWorkUses, hasModule: (dir: string) => boolean): WorkspaceMode {
  // A used folder without a go.mod stops go too ("cannot load module … listed in go.work").
  return uses.outside.length === 0 && uses.inside.length > 0 && uses.inside.every(hasModule) ? 'workspace' : 'off'
}
