import { defineConfig } from 'vitest/config'
import { LaneSequencer, SERIAL } from './test/support/lanes'

// Projects: `unit` (pure logic and services on temp dirs), `integration` (a real Docker Engine),
// `e2e` (browser mode in a real Chromium), and `integration-serial` / `e2e-serial` for the few files
// that must have the engine to themselves. `npm test` runs all of them after provisioning.
//
// Files run one at a time by default. SLIPWAY_TEST_WORKERS=2 runs two at once, in one group across
// the projects, ordered by test/support/lanes.ts so that files sharing a lock
// (test/support/exclusive.ts) run beside files that do not; the serial files run after that group,
// one at a time. Measured on this 2-core machine, two workers did not yet pay: the `net` lock keeps
// e2e files away from the stack files, and page waits of 20 s timed out at load ~12.
const WORKERS = Math.max(1, Number(process.env.SLIPWAY_TEST_WORKERS) || 1)

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
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: SERIAL.e2e, ...e2e, maxWorkers: WORKERS } },
      {
        test: { name: 'integration-serial', include: SERIAL.integration, ...integration, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      { test: { name: 'e2e-serial', include: SERIAL.e2e, ...e2e, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
})
