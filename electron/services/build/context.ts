// The build context: the project folder, read only, minus what the .dockerignore leaves out, plus
// the generated Dockerfile in memory — the way `docker build -f - DIR` sends it. The client applies
// the .dockerignore itself: BuildKit behind the API ignores one inside a tar context (measured on
// dockerd 20.10: `COPY . /c/` copied it), so the CLI's own behaviour has to be reproduced here.
import type { Stats } from 'node:fs'
import { lstat, readdir, readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import ignore from '@balena/dockerignore'
import { pack, type Pack } from 'tar-stream'

/** One entry of the context as it will be sent. */
export interface ContextEntry {
  /** Relative, forward slashes. */
  path: string
  stat: Stats
  kind: 'directory' | 'file' | 'symlink'
}

/** The .dockerignore's patterns, comments and blanks left out. */
export function ignorePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

/**
 * Walks `dir` in sorted order, yielding what a build context holds: files, directories and
 * symlinks (as links, never followed) that `dockerignore` keeps. Sockets, fifos and devices are
 * not part of a context. `reserved` paths are skipped (the in-memory Dockerfile's name).
 */
export async function* walkContext(dir: string, dockerignore: string, reserved: ReadonlySet<string> = new Set()): AsyncGenerator<ContextEntry> {
  const patterns = ignorePatterns(dockerignore)
  const ig = ignore({ ignorecase: false }).add(patterns)
  // With `!exception` lines an ignored directory may still hold kept files, so it is walked.
  const hasExceptions = patterns.some((p) => p.startsWith('!'))
  const stack: string[] = ['']
  while (stack.length > 0) {
    const rel = stack.pop() as string
    const names = (await readdir(join(dir, rel))).sort()
    const subdirs: string[] = []
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`
      if (reserved.has(path)) continue
      const ignored = ig.ignores(path)
      const stat = await lstat(join(dir, path))
      if (stat.isDirectory()) {
        if (ignored && !hasExceptions) continue
        if (!ignored) yield { path, stat, kind: 'directory' }
        subdirs.push(path)
      } else if (!ignored && stat.isFile()) {
        yield { path, stat, kind: 'file' }
      } else if (!ignored && stat.isSymbolicLink()) {
        yield { path, stat, kind: 'symlink' }
      }
    }
    // Depth first, in name order: the same order `tar` and the docker CLI use.
    for (const d of subdirs.reverse()) stack.push(d)
  }
}

/** What a context will cost to send: its bytes, file count and the biggest files. */
export interface ContextSize {
  bytes: number
  files: number
  biggest: { path: string; bytes: number }[]
}

/** Sums the files a build of `dir` would send, keeping the `top` biggest. */
export async function measureContext(dir: string, dockerignore: string, top = 5): Promise<ContextSize> {
  let bytes = 0
  let files = 0
  const biggest: { path: string; bytes: number }[] = []
  for await (const e of walkContext(dir, dockerignore)) {
    if (e.kind !== 'file') continue
    files++
    bytes += e.stat.size
    if (biggest.length < top || e.stat.size > (biggest.at(-1)?.bytes ?? 0)) {
      biggest.push({ path: e.path, bytes: e.stat.size })
      biggest.sort((a, b) => b.bytes - a.bytes)
      biggest.length = Math.min(biggest.length, top)
    }
  }
  return { bytes, files, biggest }
}

/**
 * The tar of `dir` minus what `dockerignore` excludes, plus the Dockerfile as `dockerfileName`. With
 * `forEngine` (the classic builder honours it) also a .dockerignore that names the Dockerfile and
 * itself, so the engine drops both from the context, as the docker CLI arranges for `-f -`.
 */
export function packContext(dir: string, o: { dockerfile: string; dockerfileName: string; dockerignore: string; forEngine?: boolean }): Pack {
  const tar = pack()
  const entry = (header: Parameters<Pack['entry']>[0], body?: Buffer | string) =>
    new Promise<void>((resolve, reject) => {
      if (body === undefined) tar.entry(header, (err) => (err ? reject(err) : resolve()))
      else tar.entry(header, body, (err) => (err ? reject(err) : resolve()))
    })
  const reserved = new Set([o.dockerfileName, '.dockerignore'])
  const ignoreForEngine = `${o.dockerignore.replace(/\n?$/, '\n')}.dockerignore\n${o.dockerfileName}\n`
  void (async () => {
    for await (const e of walkContext(dir, o.dockerignore, reserved)) {
      if (tar.destroyed) return
      const common = { name: e.path, mode: e.stat.mode & 0o7777, mtime: e.stat.mtime, uid: 0, gid: 0 }
      if (e.kind === 'directory') await entry({ ...common, type: 'directory' })
      else if (e.kind === 'file') await entry({ ...common, type: 'file' }, await readFile(join(dir, e.path)))
      else await entry({ ...common, type: 'symlink', linkname: await readlink(join(dir, e.path)) })
    }
    await entry({ name: o.dockerfileName, mode: 0o644, mtime: new Date(0) }, o.dockerfile)
    if (o.forEngine) await entry({ name: '.dockerignore', mode: 0o644, mtime: new Date(0) }, ignoreForEngine)
    tar.finalize()
  })().catch((e: Error) => tar.destroy(e))
  return tar
}
