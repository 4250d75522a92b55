import { defineConfig } from 'vitest/config'
import { LaneSequencer, SERIAL } from './test/support/lanes'

// Projects: `unit` (pure logic and services on temp dirs), `integration` (a real Docker Engine),
// `e2e` (browser mode in a real Chromium), and `integration-serial` for the few files
// that must have the engine to themselves. `npm test` runs all of them after provisioning.
//
// Two files run at once (SLIPWAY_TEST_WORKERS=1 runs them one at a time), in one group across the
// projects, ordered by test/support/lanes.ts so that files sharing a lock (test/support/exclusive.ts)
// run beside files that do not; the serial files run after that group, one at a time. Most of an
// integration or e2e file's time is waiting on the engine, Postgres or Chromium: one file alone
// left this 2-core machine ~40 % idle. e2e Chromium has a network namespace of its own
// (test/e2e/loopback-proxy.ts), so containers another file starts do not disturb its pages.
const WORKERS = Math.max(1, Number(process.env.SLIPWAY_TEST_WORKERS) || 2)

const integration = {
  environment: 'node' as const,
  testTimeout: 120_000,
  hookTimeout: 300_000,
  setupFiles: ['test/support/exclusive.ts'],
}
const e2e = { environment: 'node' as const, testTimeout: 90_000, hookTimeout: 180_000, setupFiles: ['test/support/exclusive.ts'] }

export default defineConfig({
  test: {
    sequence: { sequencer: LaneSequencer },
    projects: [
      // Property tests run hundreds of cases: a generous timeout keeps a busy 2-core machine from failing them.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000, maxWorkers: WORKERS } },
      {
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], exclude: SERIAL.integration, ...integration, maxWorkers: WORKERS },
      },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], ...e2e, maxWorkers: WORKERS } },
      {
        test: { name: 'integration-serial', include: SERIAL.integration, ...integration, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
})
