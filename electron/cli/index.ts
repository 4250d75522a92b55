import { Command } from 'commander'
import { engineCommand, type Output } from './engine'

const io: Output = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }

/** The `slipway` command line: the same services as the app, headless. */
export function createProgram(): Command {
  const program = new Command('slipway')
    .description('Turn a Go project into a tiny, production-grade container image, and see what is inside it.')
    .showHelpAfterError()
  program
    .command('engine')
    .description('Show the Docker Engine Slipway talks to (found like the docker CLI: DOCKER_HOST, context, default socket).')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await engineCommand(opts, io)
    })
  return program
}

await createProgram().parseAsync(process.argv)
