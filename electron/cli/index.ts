// The command definitions load at once; what a command runs (services, dockerode, zod) is imported
// inside its action, so `slipway --help` and a mistyped flag answer in a fraction of a second.
// Keep it that way in every command module: `await import('./cli-services')` in the action, never
// at the top (test/unit/cli/bundle.test.ts checks the bundle's start-up imports).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { findAppRoot } from '../host/app-info'
import { registerBasesCommands } from './bases'
import { registerBuildCommands } from './build'
import type { DockerfileCommandOptions } from './dockerfile'
import type { Output } from './engine'
import { registerLayersCommand } from './layers'
import { registerRunCommand } from './run'
import { registerStackCommands } from './stack'

const io: Output = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }

/** The `slipway` command line: the same services as the app, headless. */
export function createProgram(): Command {
  const program = new Command('slipway')
    .description('Turn a Go project into a tiny, production-grade container image, and see what is inside it.')
    .version((JSON.parse(readFileSync(join(findAppRoot(import.meta.dirname), 'package.json'), 'utf8')) as { version: string }).version)
    .showHelpAfterError()
  program
    .command('engine')
    .description('Show the Docker Engine Slipway talks to (found like the docker CLI: DOCKER_HOST, context, default socket).')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { engineCommand } = await import('./engine')
      process.exitCode = await engineCommand(opts, io)
    })
  program
    .command('analyze')
    .description('Read a Go project folder (never writing to it) and report its module, main packages and run-time needs, with evidence.')
    .argument('<dir>', 'the project folder')
    .option('--json', 'print the analysis as JSON')
    .option('--main <dir>', 'the main package to analyse when there are several (its folder, e.g. cmd/api)')
    .action(async (dir: string, opts: { json?: boolean; main?: string }) => {
      const { analyzeCommand } = await import('./analyze')
      process.exitCode = await analyzeCommand(dir, opts, io)
    })
  program
    .command('dockerfile')
    .description('Print the Dockerfile Slipway writes for a Go project (notices on stderr; exit 1 when a notice is an error).')
    .argument('<dir>', 'the project folder')
    .option('--base <id>', 'runtime base: scratch, distroless-static, distroless-base, alpine, debian-slim (default: distroless-static, or distroless-base for cgo)')
    .option('--builder <image>', 'builder image instead of golang:<go version>-bookworm')
    .option('--classic', 'for the classic builder: no BuildKit cache mounts')
    .option('--main <dir>', 'the main package to build when there are several (its folder, e.g. cmd/api)')
    .option('--dockerignore', 'print the matching .dockerignore instead')
    .option('--explain', 'precede each instruction with a comment saying why it is there')
    .action(async (dir: string, opts: DockerfileCommandOptions) => {
      // The same settings as the app (custom and mirrored bases, the builder image), so the CLI
      // prints the Dockerfile the app shows.
      const [{ cliServices }, { dockerfileCommand }, { resolveBases }] = await Promise.all([
        import('./cli-services'),
        import('./dockerfile'),
        import('../../shared/dockerfile/bases'),
      ])
      const services = cliServices()
      const { settings, notice } = await services.settings.load()
      if (notice) io.err(`warning: ${notice}`)
      const { bases, problems } = resolveBases(settings.customBases)
      for (const p of problems) io.err(`warning: ${p}`)
      process.exitCode = await dockerfileCommand(dir, { ...opts, builder: opts.builder ?? settings.builderImage ?? undefined }, io, {
        analyze: (d, o) => services.projects.analyze(d, o),
        bases,
      })
    })
  registerBuildCommands(program, io)
  registerLayersCommand(program, io)
  registerRunCommand(program, io)
  registerStackCommands(program, io)
  registerBasesCommands(program, io)
  return program
}

await createProgram().parseAsync(process.argv)
// A command that failed has said why: it ends now, even when a request to a frozen engine (a ping
// that never answers, a stalled stream) still holds a socket open. Output is written synchronously
// to files and pipes on POSIX, so nothing printed is lost.
if (process.exitCode) process.exit()
