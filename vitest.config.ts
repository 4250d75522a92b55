import { defineConfig } from 'vitest/config'

// Three projects: `unit` (pure logic and services on temp dirs), `integration` (a real Docker
// Engine), `e2e` (browser mode in a real Chromium). `npm test` runs all three after provisioning.
export default defineConfig({
  test: {
    projects: [
      // Property tests run hundreds of cases: a generous timeout keeps a busy 2-core machine from failing them.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
