#!/usr/bin/env node
// The `slipway` command. It runs the bundle in out/cli/ (made by `npm ci`/`npm install` through the
// `prepare` script, see build-cli.mjs) and rebuilds it first when a source changed since, so a
// checkout never runs a stale command line and never compiles TypeScript at start.
import { CLI_ENTRY, runBundled } from './build-cli.mjs'

await runBundled(CLI_ENTRY, 'slipway')
