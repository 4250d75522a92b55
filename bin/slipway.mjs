#!/usr/bin/env node
// The `slipway` command. It runs the bundle in out/cli/ (made by `npm ci`/`npm install` through the
// `prepare` script, see build-cli.mjs) and rebuilds it first when a source changed since, so a
// checkout never runs a stale command line and never compiles TypeScript at start.
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { CLI_ENTRY, buildCli, cliIsFresh } from './build-cli.mjs'

if (!cliIsFresh()) {
  try {
    await buildCli()
  } catch (err) {
    // Without esbuild (an install without devDependencies) the bundle there is the one to run; a
    // source that does not compile is an error, never a reason to run an older command line.
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(CLI_ENTRY)) {
      process.stderr.write(`slipway: could not build the command line from its sources (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).\n`)
      process.exit(1)
    }
  }
}
await import(pathToFileURL(CLI_ENTRY).href)
