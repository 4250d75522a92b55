#!/usr/bin/env node
// Runs the TypeScript CLI straight from the sources (tsx), so `npx slipway` works right after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api'

register()
await import('../electron/cli/index.ts')
