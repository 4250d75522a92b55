// How the test files share the machine. Two files run at once (vitest.config.ts): most of an
// integration or e2e file's time is spent waiting on the engine, Postgres or Chromium. Every file
// names what it makes uniquely and filters the engine by its own labels, so two files rarely meet.
// Where they would, this module says so once:
//
// - SERIAL files assert on the engine's global state (the count of every image, every container
//   and image before and after a cancelled build): they run after everything else, one at a time.
// - LOCKS (test/support/exclusive.ts takes them around the file): `ports` — the default ports a
//   stack or a run proposes (8080, 5432), which the test then expects to get: one file at a time.
//   `made` — the files that remove the one made base of each kind (slipway-made/*) and make it
//   again, and count the made images: one at a time, beside files that build on the stand-ins
//   (slipway-test/*, the same image ids under tags of their own, which those files never remove).
//   `net` — only where Chromium cannot have a network namespace of its own (test/e2e/loopback-proxy.ts;
//   it can wherever the tests run as root): a file that makes a Compose network then holds it alone,
//   because a bridge or a container's interface coming up on the host makes Chromium abort what it
//   is loading (net::ERR_NETWORK_CHANGED) in any e2e file that runs meanwhile; e2e files share it.
// - LaneSequencer orders the files so that files that would wait on each other's locks are spread
//   out, and the two workers rarely wait.
import { statSync } from 'node:fs'
import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { chromiumHasOwnNetwork } from '../e2e/loopback-proxy'

export const SERIAL = {
  integration: ['test/integration/image-list.test.ts', 'test/integration/engine.test.ts', 'test/integration/builds-cancel.test.ts'],
}

export type LockMode = 'shared' | 'exclusive'

/** Files that remove and make the made bases. */
const MADE = [
  'test/integration/bases.test.ts',
  'test/integration/make-offer.test.ts',
  'test/e2e/bases.test.ts',
  'test/e2e/make-offer.test.ts',
  'test/e2e/offline-default.test.ts',
]
/** Files that make Compose networks (stacks). */
const NETWORKS = [
  'test/integration/make-offer.test.ts',
  'test/integration/stacks.test.ts',
  'test/integration/stacks-cli.test.ts',
  'test/integration/stacks-failures.test.ts',
  'test/integration/stacks-project.test.ts',
  'test/integration/stacks-required.test.ts',
  'test/e2e/stacks.test.ts',
  'test/e2e/stacks-required.test.ts',
]
/** Files that start a stack or a run on the ports it proposes. */
const PORTS = [
  ...NETWORKS,
  'test/integration/runs.test.ts',
  'test/e2e/run.test.ts',
  'test/e2e/newcomer.test.ts',
  'test/e2e/layout.test.ts',
]

/** The locks a file (a path relative to the repository) holds while it runs, in the order they are taken. */
export function locksOf(file: string): [string, LockMode][] {
  const locks: [string, LockMode][] = []
  if (MADE.includes(file)) locks.push(['made', 'exclusive'])
  if (!chromiumHasOwnNetwork()) {
    if (NETWORKS.includes(file)) locks.push(['net', 'exclusive'])
    else if (file.startsWith('test/e2e/')) locks.push(['net', 'shared'])
  }
  if (PORTS.includes(file)) locks.push(['ports', 'exclusive'])
  return locks
}

/** Files that would wait on each other share a lane: the strictest lock they take. */
function laneOf(file: string): string {
  const locks = locksOf(file)
  return locks.find(([, mode]) => mode === 'exclusive')?.[0] ?? locks[0]?.[0] ?? ''
}

export class LaneSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root
    const rel = (f: TestSpecification) => relative(root, f.moduleId)
    // The expected length of a file: its last duration, else its size (a fresh clone has no cache).
    const weight = (f: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${f.project.name}:${rel(f)}`)?.duration ?? statSync(f.moduleId).size / 10
    const byGroup = new Map<number, TestSpecification[]>()
    for (const f of files) {
      const order = f.project.config.sequence.groupOrder
      if (!byGroup.has(order)) byGroup.set(order, [])
      byGroup.get(order)?.push(f)
    }
    const out: TestSpecification[] = []
    for (const order of [...byGroup.keys()].sort((a, b) => a - b)) {
      const group = (byGroup.get(order) ?? []).sort((a, b) => weight(b) - weight(a))
      // One lane per kind of lock and one for the rest; the next file comes from the lane that
      // has been given the least time so far, as two workers would take them.
      const lanes = new Map<string, { files: TestSpecification[]; time: number }>()
      for (const f of group) {
        const lane = laneOf(rel(f))
        if (!lanes.has(lane)) lanes.set(lane, { files: [], time: 0 })
        lanes.get(lane)?.files.push(f)
      }
      for (;;) {
        const open = [...lanes.values()].filter((l) => l.files.length > 0)
        if (open.length === 0) break
        const next = open.reduce((a, b) => (b.time < a.time ? b : a))
        const f = next.files.shift() as TestSpecification
        next.time += weight(f)
        out.push(f)
      }
    }
    return out
  }
}
