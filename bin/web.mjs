#!/usr/bin/env node
// Browser mode's host (`npm run web` runs it after building the renderer): the bundle in out/cli/,
// rebuilt first when a source changed since, as bin/slipway.mjs does for the command line.
import { WEB_ENTRY, runBundled } from './build-cli.mjs'

await runBundled(WEB_ENTRY, 'slipway web')
