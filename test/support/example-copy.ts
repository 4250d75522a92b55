import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'hello-api')

/** A copy of the bundled example at `parent/name`, its module named `name`: the image tags a build gives it are the test's own. */
export function exampleCopy(parent: string, name: string): string {
  const dir = join(parent, name)
  cpSync(EXAMPLE, dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${name}`))
  return dir
}
