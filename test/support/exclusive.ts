// A vitest setup file for the integration and e2e projects: a file listed in LOCKS
// (test/support/lanes.ts) holds its locks from before its first hook to after its last.
//
// A lock is a folder: `writer/` (mkdir is atomic) for the one file that holds it exclusively, and
// one `readers/<pid>` file per file that shares it. A writer takes `writer/` first, so no new
// reader comes in, then waits for the readers to finish; a reader comes in only while there is no
// writer, and checks again after it has written its file. Locks are taken in name order, so two
// files never wait on each other. A holder that died (a killed run) is recognised by its pid and
// its entry removed.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { locksOf, type LockMode } from './lanes'
import { processAlive } from '../../electron/services/pid'

const ROOT = join(import.meta.dirname, '..', '..')
/** Long enough for every other holder to finish on a loaded machine; the hook then fails rather than hang. */
const WAIT_MS = 30 * 60_000
const pause = () => new Promise((r) => setTimeout(r, 250))

/** The pid in a holder's file, or null when it cannot be read yet (just made). */
function pidIn(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8'))
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** Whether a writer holds the lock; a dead one's entry is removed. */
function writerHolds(dir: string): boolean {
  const pid = pidIn(join(dir, 'writer', 'pid'))
  if (pid !== null && !processAlive(pid)) {
    rmSync(join(dir, 'writer'), { recursive: true, force: true })
    return false
  }
  try {
    readdirSync(join(dir, 'writer'))
    return true
  } catch {
    return false
  }
}

/** The live readers other than this process; dead ones' entries are removed. */
function otherReaders(dir: string): number {
  let n = 0
  for (const name of readdirSync(join(dir, 'readers'))) {
    const pid = Number(name)
    if (pid === process.pid) continue
    if (Number.isInteger(pid) && processAlive(pid)) n++
    else rmSync(join(dir, 'readers', name), { force: true })
  }
  return n
}

async function acquire(name: string, mode: LockMode): Promise<() => void> {
  const dir = join(tmpdir(), `slipway-test-lock-${name}`)
  mkdirSync(join(dir, 'readers'), { recursive: true })
  if (mode === 'shared') {
    const mine = join(dir, 'readers', String(process.pid))
    for (;;) {
      if (!writerHolds(dir)) {
        writeFileSync(mine, '')
        if (!writerHolds(dir)) return () => rmSync(mine, { force: true })
        rmSync(mine, { force: true })
      }
      await pause()
    }
  }
  const writer = join(dir, 'writer')
  for (;;) {
    try {
      mkdirSync(writer)
      writeFileSync(join(writer, 'pid'), String(process.pid))
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      writerHolds(dir)
      await pause()
    }
  }
  while (otherReaders(dir) > 0) await pause()
  return () => rmSync(writer, { recursive: true, force: true })
}

const held: (() => void)[] = []

beforeAll(async () => {
  const file = expect.getState().testPath
  if (!file) return
  for (const [name, mode] of locksOf(relative(ROOT, file))) held.push(await acquire(name, mode))
}, WAIT_MS)

afterAll(() => {
  for (const release of held.splice(0).reverse()) release()
})
