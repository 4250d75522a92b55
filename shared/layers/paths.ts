import type { PathTableData } from './types'

/**
 * Interns paths as a tree of segments: each distinct directory or file name under a given parent gets
 * one node id. Ids grow in the order paths are first seen and a parent is always interned before its
 * children. The directory cache makes the common case (many files in one directory) one map lookup.
 */
export class PathTable {
  readonly names: string[] = ['']
  readonly parents: number[] = [-1]
  private readonly children = new Map<string, number>()
  private readonly dirs = new Map<string, number>([['', 0]])

  /** Number of nodes, the root included. */
  get size(): number {
    return this.names.length
  }

  /** The node for a clean relative path (`a/b/c`, no leading slash); '' is the root. Creates it if new. */
  intern(path: string): number {
    const cached = this.dirs.get(path)
    if (cached !== undefined) return cached
    const slash = path.lastIndexOf('/')
    const parent = slash < 0 ? 0 : this.internDir(path.slice(0, slash))
    return this.child(parent, slash < 0 ? path : path.slice(slash + 1))
  }

  /** Like intern(), and remembers the path as a directory so its children are found in one lookup. */
  internDir(path: string): number {
    let id = this.dirs.get(path)
    if (id === undefined) {
      const slash = path.lastIndexOf('/')
      const parent = slash < 0 ? 0 : this.internDir(path.slice(0, slash))
      id = this.child(parent, slash < 0 ? path : path.slice(slash + 1))
      this.dirs.set(path, id)
    }
    return id
  }

  /** The node named `name` under `parent`, created if new. */
  child(parent: number, name: string): number {
    const key = `${parent}/${name}`
    let id = this.children.get(key)
    if (id === undefined) {
      id = this.names.length
      this.names.push(name)
      this.parents.push(parent)
      this.children.set(key, id)
    }
    return id
  }

  /** The plain data, for the index. */
  data(): PathTableData {
    return { names: this.names, parents: this.parents }
  }
}

/**
 * A tar entry name as a clean relative path: no `./` or leading `/`, no trailing `/`, no empty or `.`
 * segments, `..` resolved without leaving the root (as Go's path.Clean does for dive).
 */
export function cleanPath(name: string): string {
  if (!/(^\.?\/)|\/\/|\/\.\.?(\/|$)|^\.\.?(\/|$)|\/$/.test(name)) return name
  const out: string[] = []
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return out.join('/')
}

/** The absolute path of a node: `/usr/bin/go`; the root is `/`. */
export function nodePath(paths: PathTableData, node: number): string {
  if (node <= 0) return '/'
  const segs: string[] = []
  for (let n = node; n > 0; n = paths.parents[n] ?? 0) segs.push(paths.names[n] ?? '')
  return `/${segs.reverse().join('/')}`
}

/** Finds the node of an absolute or relative path without creating it; -1 when the index has no such path. */
export function findNode(paths: PathTableData, path: string, lookup = childLookup(paths)): number {
  const clean = cleanPath(path)
  if (clean === '') return 0
  let node = 0
  for (const seg of clean.split('/')) {
    const next = lookup.get(`${node}/${seg}`)
    if (next === undefined) return -1
    node = next
  }
  return node
}

/** A `parent/name → node` map for repeated findNode calls. */
export function childLookup(paths: PathTableData): Map<string, number> {
  const map = new Map<string, number>()
  for (let i = 1; i < paths.names.length; i++) map.set(`${paths.parents[i]}/${paths.names[i]}`, i)
  return map
}
