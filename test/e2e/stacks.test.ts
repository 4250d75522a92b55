// The dev stack end to end, in Chromium through browser mode against the real engine and the real
// compose tool (docker-compose v1 here): a copy of the example opened as the project, the Stacks
// page proposes the stack (the Postgres stand-in through the normal Postgres image setting), Up
// builds the app and brings it up next to Postgres — both healthy — the app's "Open app" URL
// answers /readyz (it pings the database through DATABASE_URL), the merged log shows both
// services; a row written with psql survives Down and the next Up; "Down and delete data" names
// the volume and deletes it only after the confirmation.
import { execFile } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StackStatus } from '../../shared/stack/types'
import { ARTIFACTS, exampleCopy, launchChromium, pageErrors, removeTags, ROOT, SIZES, startWeb, writeSettings, type WebApp } from './support'

const run = promisify(execFile)
const docker = new Dockerode()
const RUN = `${Date.now().toString(36)}${process.pid}`
const NAME = `e2e-stack-${RUN}`
const POSTGRES = 'slipway-test/postgres:15'

let tmp = ''
let dir = ''
let web: WebApp
let browser: Awaited<ReturnType<typeof launchChromium>>
let context: BrowserContext
let page: Page
const errors: string[] = []
/** The command line on this run's data folder (the bundled CLI, rebuilt by bin/slipway.mjs when stale). */
const slipway = (args: string[]) =>
  run(process.execPath, [join(ROOT, 'bin/slipway.mjs'), ...args], { cwd: ROOT, env: { ...process.env, SLIPWAY_DATA_DIR: web.dataDir }, maxBuffer: 16 * 1024 * 1024 })

/** Containers, networks and volumes of this run's compose project (its name carries the folder name). */
async function leftovers(): Promise<{ containers: Dockerode.ContainerInfo[]; networks: Dockerode.NetworkInspectInfo[]; volumes: string[] }> {
  const mine = (labels: Record<string, string> | undefined) => (labels?.['com.docker.compose.project'] ?? '').includes(RUN)
  const containers = (await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project'] } })).filter((c) => mine(c.Labels))
  const networks = (await docker.listNetworks({ filters: { label: ['com.docker.compose.project'] } })).filter((n) => mine(n.Labels))
  const volumes = ((await docker.listVolumes({ filters: { label: ['com.docker.compose.project'] } })).Volumes ?? []).filter((v) => mine(v.Labels)).map((v) => v.Name)
  return { containers, networks, volumes }
}

/** The database container of this run's stack. */
async function dbContainer(): Promise<Dockerode.Container> {
  const c = (await leftovers()).containers.find((x) => x.Labels['com.docker.compose.service'] === 'db' && x.State === 'running')
  if (!c) throw new Error('the db container is not running')
  return docker.getContainer(c.Id)
}

/** psql inside the db container, as its own user and database (read from its environment), with arguments, not a shell. */
async function psql(sql: string): Promise<string> {
  const c = await dbContainer()
  const env = Object.fromEntries(((await c.inspect()).Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
  const { stdout } = await run('docker', ['exec', c.id, 'psql', '-U', env.POSTGRES_USER ?? 'app', '-d', env.POSTGRES_DB ?? 'app', '-tAc', sql])
  return stdout.trim()
}

/** Waits until an Up ends; its state, or the error it ended with. */
async function afterUp(timeout: number): Promise<string> {
  await expect.poll(async () => /Starting/.test((await state()) ?? ''), { timeout }).toBe(false)
  const error = page.getByTestId('stack-error')
  return (await error.count()) ? `failed: ${await error.textContent()}` : ((await state()) ?? '')
}

const phase = (service: string) => page.getByTestId(`stack-service-${service}`).getByTestId('stack-phase').textContent()
const state = () => page.getByTestId('stack-state').textContent()

async function shoot(name: string, theme: 'light' | 'dark' = 'light'): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.emulateMedia({ colorScheme: theme })
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(200)
    // Nothing of the page wider than the window: no cut-off toolbar, cards or panels.
    const main = page.getByTestId('stacks-main')
    const overflow = await main.evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow, `${name} overflows at ${width}`).toBeLessThanOrEqual(1)
    const box = await page.getByTestId('stack-up').or(page.getByRole('button', { name: 'Cancel' })).first().boundingBox()
    expect((box?.x ?? 0) + (box?.width ?? 0), `the Up button at ${width}`).toBeLessThanOrEqual(width)
    await page.screenshot({ path: join(ARTIFACTS, `e2e-stacks-${name}-${theme}-${width}.png`) })
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1280, height: 800 })
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-stack-'))
  dir = exampleCopy(tmp, NAME)
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  // The stand-ins through the normal settings, as a user behind a company mirror would set them.
  writeSettings(web, { recentProjects: [{ path: dir, name: NAME, openedAt: Date.now() }], postgresImage: POSTGRES })
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  page = await context.newPage()
  pageErrors(page, errors)
  await page.goto(web.url)
  await page.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 30_000 })
}, 120_000)

afterAll(async () => {
  if (process.env.E2E_DEBUG) console.log(web?.output())
  await browser?.close()
  await web?.stop()
  const left = await leftovers().catch(() => null)
  for (const c of left?.containers ?? []) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)
  for (const n of left?.networks ?? []) await docker.getNetwork(n.Id).remove().catch(() => undefined)
  for (const v of left?.volumes ?? []) await docker.getVolume(v).remove().catch(() => undefined)
  await removeTags(`slipway/*${RUN}*`)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('Stacks page', () => {
  it('brings the example up next to Postgres, both healthy; the app answers through "Open app"; merged logs; Down keeps the data', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Stacks/ }).click()
    // The proposal: no build yet, the Postgres image from the setting, free ports, the variables the code reads.
    const config = page.getByTestId('stack-config')
    await config.waitFor({ timeout: 30_000 })
    await expect.poll(() => page.getByTestId('stack-app-image').textContent()).toMatch(/^Built on distroless-static first/)
    expect(await config.getByLabel('Postgres image').inputValue()).toBe(POSTGRES)
    expect(Number(await config.getByLabel('Host port for the app').inputValue())).toBeGreaterThan(0)
    expect(await state()).toBe('Down')
    expect(await page.getByTestId('stack-row').first().textContent()).toContain(NAME)
    await shoot('proposed')

    // A host port another program holds: Up says so and offers a free one, and nothing starts.
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const heldPort = (holder.address() as AddressInfo).port
    try {
      await config.getByLabel('Host port for the app').fill(String(heldPort))
      await page.getByTestId('stack-up').click()
      const error = page.getByTestId('stack-error')
      await expect.poll(() => error.textContent(), { timeout: 60_000 }).toMatch(new RegExp(`Port ${heldPort} .*in use`))
      expect((await leftovers()).containers).toEqual([])
      await error.getByRole('button', { name: /^Use \d+$/ }).click()
      expect(Number(await config.getByLabel('Host port for the app').inputValue())).not.toBe(heldPort)
      expect(await error.count()).toBe(0)
    } finally {
      holder.close()
    }

    await page.getByTestId('stack-up').click()
    // (The error, if any, is in the message when this fails.)
    await expect.poll(async () => `${await state()} ${(await page.getByTestId('stack-error').count()) ? await page.getByTestId('stack-error').textContent() : ''}`).toMatch(/Starting/)
    // The image is built first, then both services come up; the end state says so.
    await expect.poll(() => phase('app'), { timeout: 240_000, interval: 500 }).toMatch(/Building the image|Pulling|Starting|Running/)
    expect(await afterUp(240_000)).toBe('Up')
    expect(await phase('db')).toBe('Healthy')
    expect(await phase('app')).toBe('Running')
    await page.getByTestId('stack-done').waitFor()

    // Open app: the published port on loopback; /readyz pings the database through DATABASE_URL.
    const open = page.getByTestId('stack-open-app')
    const href = (await open.getAttribute('href')) ?? ''
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await open.getAttribute('target')).toBe('_blank')
    let ready = 0
    await expect
      .poll(
        async () => {
          ready = await fetch(`${href}/readyz`).then(
            (r) => r.status,
            () => 0,
          )
          return ready
        },
        { timeout: 30_000 },
      )
      .toBe(200)
    // The database URL is shown masked and points at the published port.
    expect(await page.getByTestId('stack-db-url').textContent()).toMatch(/^postgres:\/\/\w+:••••••@127\.0\.0\.1:\d+\/\w+/)

    // The merged log: both services, tagged; the request the test made shows up.
    const log = page.getByTestId('stack-log')
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toMatch(/app\s+.*\/readyz/)
    expect(await log.locator('.log-tag', { hasText: 'db' }).count()).toBeGreaterThan(0)
    await shoot('up')
    await shoot('up', 'dark')

    // A row written now survives Down and the next Up.
    await psql('CREATE TABLE e2e_kept (v text); INSERT INTO e2e_kept VALUES (\'still here\')')
    await page.getByTestId('stack-down').click()
    await expect.poll(state, { timeout: 60_000 }).toBe('Down')
    const afterDown = await leftovers()
    expect(afterDown.containers).toEqual([])
    expect(afterDown.volumes).toHaveLength(1)

    await page.getByTestId('stack-up').click()
    expect(await afterUp(120_000)).toBe('Up')
    expect(await psql('SELECT v FROM e2e_kept')).toBe('still here')

    // Restart one service: it comes back running.
    const restart = page.getByRole('button', { name: 'Restart app' })
    await restart.click()
    await expect.poll(() => restart.isDisabled()).toBe(true)
    await expect.poll(() => restart.isEnabled(), { timeout: 60_000 }).toBe(true)
    await expect.poll(() => phase('app'), { timeout: 60_000 }).toBe('Running')
    expect(errors).toEqual([])
  }, 420_000)

  it('stays live when the stack is driven by hand, and a reopened page shows it as it is', async () => {
    const app = (await leftovers()).containers.find((c) => c.Labels['com.docker.compose.service'] === 'app')
    expect(app).toBeDefined()
    // Stopped outside Slipway (as `docker compose stop app` would): the page follows the engine's events.
    await run('docker', ['stop', app?.Id as string])
    await expect.poll(() => phase('app'), { timeout: 20_000 }).toBe('Exited (0)')
    // It says so without being asked, with the service's last lines.
    const trouble = page.getByTestId('stack-trouble')
    await expect.poll(() => trouble.textContent(), { timeout: 10_000 }).toMatch(/app exited with code 0\.[\s\S]*server stopped/)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-stacks-exited-1280.png') })

    // Reopening the app shows the stack as the engine has it.
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Stacks/ }).click()
    await expect.poll(() => phase('app'), { timeout: 20_000 }).toBe('Exited (0)')
    expect(await phase('db')).toBe('Healthy')
    expect(await state()).toBe('Partly up')

    await run('docker', ['start', app?.Id as string])
    await expect.poll(() => phase('app'), { timeout: 20_000 }).toBe('Running')
    await expect.poll(state).toBe('Up')
    expect(await trouble.count()).toBe(0)
    expect(errors).toEqual([])
  }, 120_000)

  it('deletes the data only after a confirmation that names the volume', async () => {
    const volume = (await leftovers()).volumes[0] as string
    expect(volume).toContain(RUN)
    await page.getByTestId('stack-down-more').click()
    await page.getByRole('menuitem', { name: 'Down and delete data…' }).click()
    const dialog = page.getByRole('alertdialog')
    expect(await dialog.getByTestId('stack-delete-volume').textContent()).toBe(volume)
    await page.waitForTimeout(300) // the dialog's opening animation
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-stacks-delete-1024.png') })
    // Keep the data: nothing happens.
    await dialog.getByRole('button', { name: 'Keep the data' }).click()
    expect((await leftovers()).volumes).toEqual([volume])
    expect(await state()).toBe('Up')

    await page.getByTestId('stack-down-more').click()
    await page.getByRole('menuitem', { name: 'Down and delete data…' }).click()
    await page.getByRole('alertdialog').getByTestId('stack-delete-confirm').click()
    await expect.poll(state, { timeout: 60_000 }).toBe('Down')
    await expect.poll(async () => (await leftovers()).volumes, { timeout: 60_000 }).toEqual([])
    const left = await leftovers()
    expect(left.containers).toEqual([])
    expect(left.networks).toEqual([])
    expect(errors).toEqual([])
  }, 120_000)

  it('shows a stack that `slipway up` started, live; `slipway ps` shows the one the page started; `slipway down` shows at once', async () => {
    expect(await state()).toBe('Down')
    // The CLI on the same data folder, as a person runs it beside the app: the page is not reloaded.
    const up = await slipway(['up', dir, '--detach'])
    expect(up.stderr).toMatch(/^The stack is up:$/m)
    await expect.poll(state, { timeout: 30_000 }).toBe('Up')
    expect(await phase('db')).toBe('Healthy')
    expect(await phase('app')).toBe('Running')
    const cliApp = (await leftovers()).containers.find((c) => c.Labels['com.docker.compose.service'] === 'app')
    expect(cliApp?.State).toBe('running')
    await slipway(['down', dir])
    await expect.poll(state, { timeout: 30_000 }).toBe('Down')
    expect((await leftovers()).containers).toEqual([])

    // Up from the page: the CLI lists it, with the same containers the engine has.
    await page.getByTestId('stack-up').click()
    expect(await afterUp(180_000)).toBe('Up')
    const ps = JSON.parse((await slipway(['ps', dir, '--json'])).stdout) as StackStatus
    expect(ps).toMatchObject({ up: true, defined: true })
    const engine = (await leftovers()).containers
    expect(ps.services.map((s) => `${s.service} ${s.containerId}`).sort()).toEqual(engine.map((c) => `${c.Labels['com.docker.compose.service']} ${c.Id}`).sort())
    expect(ps.services.find((s) => s.service === 'db')?.health).toBe('healthy')
    expect((await slipway(['ps', dir])).stdout).toMatch(/^db +healthy +127\.0\.0\.1:\d+->5432 /m)
    await page.getByTestId('stack-down').click()
    await expect.poll(state, { timeout: 60_000 }).toBe('Down')
    expect(errors).toEqual([])
  }, 420_000)

  it('says why an app that exits at once failed, with its exit code and last lines, and leaves nothing running', async () => {
    const config = page.getByTestId('stack-config')
    await config.getByLabel('Value of TZ_NAME').fill('Nowhere/Bogus')
    await page.getByTestId('stack-up').click()
    const error = page.getByTestId('stack-error')
    await expect.poll(() => error.textContent(), { timeout: 120_000 }).toMatch(/The app service exited with code 1\.[\s\S]*load time zone \\?"Nowhere\/Bogus\\?"/)
    await expect.poll(state, { timeout: 30_000 }).toBe('Down')
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-stacks-crashed-1280.png') })
    // Taken down again (the data volume is kept, as always).
    const left = await leftovers()
    expect(left.containers).toEqual([])
    expect(left.networks).toEqual([])
    await config.getByLabel('Value of TZ_NAME').fill('UTC')
    expect(errors).toEqual([])
  }, 180_000)

  it('says which image cannot be pulled, before anything starts', async () => {
    const config = page.getByTestId('stack-config')
    const missing = `slipway-test/no-such-postgres:${RUN}`
    await config.getByLabel('Postgres image').fill(missing)
    await config.getByLabel('Postgres image').press('Enter')
    await page.getByTestId('stack-up').click()
    const error = page.getByTestId('stack-error')
    await expect.poll(() => error.textContent(), { timeout: 90_000 }).toContain(missing)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-stacks-pull-failed-1280.png') })
    expect((await leftovers()).containers).toEqual([])
    await config.getByLabel('Postgres image').fill(POSTGRES)
    await config.getByLabel('Postgres image').press('Enter')
    expect(errors).toEqual([])
  }, 120_000)

  it('cancels an Up that is on its way, and takes down what had started', async () => {
    await page.getByTestId('stack-up').click()
    await expect.poll(state).toMatch(/Starting/)
    // The focus moved to the button that took Up's place.
    expect(await page.getByRole('button', { name: 'Cancel' }).evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true)
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByText('Cancelled: what had started was taken down again. The data is kept.').waitFor({ timeout: 60_000 })
    await expect.poll(state, { timeout: 30_000 }).toBe('Down')
    await expect.poll(async () => (await leftovers()).containers.length, { timeout: 30_000 }).toBe(0)
    expect(errors).toEqual([])
  }, 120_000)
})

describe('Export to project', () => {
  it('writes compose.yaml and .env.example only after each diff is confirmed, without the password', async () => {
    await page.getByTestId('stack-export-open').click()
    const dialog = page.getByTestId('stack-export')
    const rows = dialog.getByTestId('stack-export-file')
    await expect.poll(() => rows.allTextContents(), { timeout: 20_000 }).toEqual([expect.stringMatching(/^compose\.yaml\s*new/), expect.stringMatching(/^\.env\.example\s*new/)])
    // Review, then cancel: nothing is written.
    await rows.nth(0).getByRole('button', { name: 'Review and write…' }).click()
    await page.getByTestId('save-dialog').getByRole('button', { name: 'Cancel' }).click()
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false)
    // Review and confirm each.
    await rows.nth(0).getByRole('button', { name: 'Review and write…' }).click()
    await page.getByTestId('save-confirm').click()
    await expect.poll(() => rows.nth(0).textContent()).toMatch(/up to date/)
    await rows.nth(1).getByRole('button', { name: 'Review and write…' }).click()
    await page.getByTestId('save-confirm').click()
    await expect.poll(() => rows.nth(1).textContent()).toMatch(/up to date/)
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-stacks-export-1280.png') })
    await dialog.getByRole('button', { name: 'Close' }).click()

    const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8')
    const example = readFileSync(join(dir, '.env.example'), 'utf8')
    expect(compose).toMatch(/services:[\s\S]*db:/)
    // The password Slipway generated stays in its data folder.
    const stacks = join(web.dataDir, 'stacks')
    const envFile = readdirSync(stacks).map((d) => join(stacks, d, '.env')).find((f) => existsSync(f)) as string
    const password = /SLIPWAY_DB_PASSWORD=(\S+)/.exec(readFileSync(envFile, 'utf8'))?.[1] ?? ''
    expect(password.length).toBeGreaterThan(10)
    expect(compose).not.toContain(password)
    expect(example).not.toContain(password)
    expect(compose).not.toContain(tmp)
    expect(errors).toEqual([])
  }, 60_000)
})

describe('Stacks page without a compose tool', () => {
  it('says so before Up, with how to install one, and offers no Up', async () => {
    // PATH without docker or docker-compose: the host process still reaches the engine by its socket.
    const bare = await startWeb({ PATH: '/nonexistent' })
    try {
      writeFileSync(join(bare.dataDir, 'settings.json'), JSON.stringify({ version: 1, recentProjects: [{ path: dir, name: NAME, openedAt: Date.now() }], postgresImage: POSTGRES }))
      const p = await context.newPage()
      await p.goto(bare.url)
      await p.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 30_000 })
      await p.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Stacks/ }).click()
      const callout = p.getByTestId('stack-no-compose')
      await expect.poll(() => callout.textContent(), { timeout: 30_000 }).toMatch(/docker compose.*docker-compose.*Install Docker Compose/)
      expect(await p.getByTestId('stack-up').isDisabled()).toBe(true)
      await p.screenshot({ path: join(ARTIFACTS, 'e2e-stacks-no-compose-1280.png') })
      await p.close()
    } finally {
      await bare.stop()
    }
  }, 60_000)
})
