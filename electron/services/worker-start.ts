import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type ResourceLimits } from 'node:worker_threads'

/**
 * Starts a worker thread from its module. From the TypeScript sources (CLI through tsx, tests,
 * benchmarks) the worker registers tsx first; a bundled build points at its emitted `.js`.
 */
export function startWorker(target: URL, resourceLimits?: ResourceLimits): Worker {
  const opts = resourceLimits ? { resourceLimits } : {}
  if (!target.pathname.endsWith('.ts')) return new Worker(target, opts)
  const tsx = tsxEsmApi()
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}) })`
  return new Worker(code, { eval: true, ...opts })
}

/** The worker module `name` next to `base`: its bundled `.js` when there is one, else the `.ts` source. */
export function workerModuleUrl(name: string, base: string | URL): URL {
  const js = new URL(`./${name}.js`, base)
  return existsSync(fileURLToPath(js)) ? js : new URL(`./${name}.ts`, base)
}

/** tsx's ESM register API, found through its package exports (the CommonJS entry cannot be imported from a worker). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url)
  const pkgPath = require.resolve('tsx/package.json')
  const pkg = require(pkgPath) as { exports: Record<string, { import: { default: string } }> }
  const rel = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs'
  return new URL(rel, pathToFileURL(pkgPath)).href
}
