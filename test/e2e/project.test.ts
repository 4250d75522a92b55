import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, ROOT, launchChromium, startWeb, type WebApp } from './support'

// The project page in browser mode against the real host: the bundled example opens by default,
// a temp copy of a fixture gets a Dockerfile written only after the confirm dialog, and a file
// changed behind the app's back is never overwritten.

const OLD_DOCKERFILE = 'FROM golang:latest\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nCMD ./server\n'
const OUTSIDE_EDIT = '# edited outside Slipway\nFROM golang:1.23\n'

let web: WebApp
let browser: Browser
let page: Page
let tmp: string
let project: string
let notGo: string
const errors: string[] = []

const tzLine = readFileSync(join(ROOT, 'examples/hello-api/main.go'), 'utf8')
  .split('\n')
  .findIndex((l) => l.includes('time.LoadLocation'))

/** The Dockerfile exactly as the preview shows it. */
async function preview(): Promise<string> {
  const lines = await page.locator('[data-testid="dockerfile-code"] .code-text').allTextContents()
  return `${lines.join('\n')}\n`
}

async function shoot(name: string): Promise<void> {
  // Let colour transitions finish before each picture.
  const settle = () => page.waitForTimeout(250)
  await page.emulateMedia({ colorScheme: 'light' })
  await settle()
  await page.screenshot({ path: join(ARTIFACTS, `e2e-project-${name}-light.png`) })
  await page.emulateMedia({ colorScheme: 'dark' })
  await settle()
  await page.screenshot({ path: join(ARTIFACTS, `e2e-project-${name}-dark.png`) })
  await page.emulateMedia({ colorScheme: 'light' })
}

async function openPath(path: string): Promise<void> {
  await page.keyboard.press('Control+o')
  const field = page.getByTestId('path-field')
  await expect.poll(() => field.evaluate((el) => el.matches(':focus'))).toBe(true)
  await field.fill(path)
  await field.press('Enter')
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-e2e-project-'))
  project = join(tmp, 'plain-server')
  cpSync(join(ROOT, 'test/fixtures/go/plain-server'), project, { recursive: true })
  writeFileSync(join(project, 'Dockerfile'), OLD_DOCKERFILE)
  notGo = join(tmp, 'just-docs')
  mkdirSync(notGo)
  writeFileSync(join(notGo, 'README.md'), '# Not a Go project\n')
})
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** Starts browser mode (with settings written by `settings` into its data folder first) and opens the page. */
async function launch(settings?: string): Promise<void> {
  ;[web, browser] = await Promise.all([startWeb(), launchChromium()])
  // Settings are read on the first request, which the page makes: writing them now is in time.
  if (settings !== undefined) writeFileSync(join(web.dataDir, 'settings.json'), settings)
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(web.url)
}

async function close(): Promise<void> {
  await browser?.close()
  await web?.stop()
  errors.length = 0
}

describe('project page', () => {
  beforeAll(() => launch())
  afterAll(close)

  it('opens the bundled example at first start and shows its findings with evidence', async () => {
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 20_000 }).toBe('hello-api')
    const listen = page.getByTestId('finding-listen')
    await expect.poll(() => listen.textContent()).toContain(':8080')
    expect(await listen.textContent()).toContain('$PORT')
    const tz = page.getByTestId('finding-tzdata')
    expect(await tz.textContent()).toContain('needed')
    expect(await tz.getByTestId('evidence').allTextContents()).toEqual([`main.go:${tzLine + 1}`])
    // The tooltip of an evidence chip shows the source line.
    await tz.getByTestId('evidence').first().hover()
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain('time.LoadLocation(tzName)')
    await page.mouse.move(0, 0)
    expect(await preview()).toContain('FROM gcr.io/distroless/static-debian12:nonroot')
    await shoot('example')
  })

  it('changes the preview when another base is picked', async () => {
    // The program loads zones: tz data is embedded on every base (the same binary), distroless included.
    expect(await preview()).toContain('-tags=timetzdata')
    await page.getByRole('radio', { name: 'Scratch' }).click()
    await expect.poll(preview).toContain('\nFROM scratch\n')
    expect(await preview()).not.toContain('FROM gcr.io/distroless')
    expect(await preview()).toContain('-tags=timetzdata')
    expect(await page.getByRole('radio', { name: 'Scratch' }).getAttribute('aria-checked')).toBe('true')
  })

  it('explains a line on hover and on keyboard focus', async () => {
    const explanation = page.getByTestId('line-explanation')
    await page.locator('[data-testid="dockerfile-code"] .code-line', { hasText: /^\d+FROM scratch$/ }).hover()
    await expect.poll(() => explanation.textContent()).toContain('Runtime base: Scratch')
    // Keyboard: focus the EXPOSE line, then move up one instruction.
    const expose = page.locator('[data-testid="dockerfile-code"] .code-line', { hasText: /EXPOSE 8080/ })
    await page.mouse.move(0, 0)
    await expose.focus()
    await expect.poll(() => explanation.textContent()).toContain('listens on port 8080')
    expect(await explanation.getByTestId('evidence').allTextContents()).toContain('main.go:65')
    await shoot('explain')
    await page.keyboard.press('ArrowUp')
    await expect.poll(() => explanation.textContent()).toContain('non-root user')
  })

  it('shows the diff against an existing Dockerfile and writes only after the confirmation', async () => {
    await openPath(project)
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 15_000 }).toBe('plain-server')
    await page.getByTestId('diff-tab').click()
    const status = page.getByTestId('diff-dockerfile-status')
    await expect.poll(() => status.textContent()).toMatch(/\+\d+ −\d+/)
    expect(await page.getByTestId('diff-dockerfile').textContent()).toContain('FROM golang:latest')
    await shoot('diff')

    await page.getByTestId('save-dockerfile').click()
    const dialog = page.getByTestId('save-dialog')
    await dialog.waitFor()
    const shown = await dialog.getByTestId('save-diff').textContent()
    expect(shown).toContain('FROM golang:latest')
    expect(shown).toContain('FROM gcr.io/distroless/static-debian12:nonroot')
    expect(readFileSync(join(project, 'Dockerfile'), 'utf8')).toBe(OLD_DOCKERFILE)
    await shoot('save-dialog')
    await dialog.getByTestId('save-confirm').click()
    await dialog.waitFor({ state: 'detached' })

    await page.getByRole('tab', { name: 'Dockerfile' }).click()
    const written = readFileSync(join(project, 'Dockerfile'), 'utf8')
    expect(written).toBe(await preview())
    await page.getByTestId('diff-tab').click()
    await expect.poll(() => status.textContent()).toContain('No differences')
  })

  it('refuses to overwrite a Dockerfile that changed on disk, and re-reads it on request', async () => {
    writeFileSync(join(project, 'Dockerfile'), OUTSIDE_EDIT)
    await page.getByRole('radio', { name: 'Alpine' }).click()
    await page.getByTestId('save-dockerfile').click()
    const dialog = page.getByTestId('save-dialog')
    await dialog.getByTestId('save-confirm').click()
    const error = dialog.getByTestId('save-error')
    await expect.poll(() => error.getAttribute('data-error')).toBe('FileChanged')
    expect(await error.textContent()).toContain('changed on disk')
    expect(readFileSync(join(project, 'Dockerfile'), 'utf8')).toBe(OUTSIDE_EDIT)
    await shoot('file-changed')

    await dialog.getByTestId('save-reread').click()
    await expect.poll(() => dialog.getByTestId('save-diff').textContent()).toContain('edited outside Slipway')
    expect(await dialog.getByTestId('save-confirm').isEnabled()).toBe(true)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(readFileSync(join(project, 'Dockerfile'), 'utf8')).toBe(OUTSIDE_EDIT)
  })

  it('says when a folder is not a Go project, and keeps working', async () => {
    await openPath(notGo)
    const error = page.getByTestId('project-error')
    await expect.poll(() => error.getAttribute('data-error'), { timeout: 10_000 }).toBe('NotAGoProject')
    expect(await error.textContent()).toContain('No Go source files')
    await shoot('not-go')
    // The project on screen is untouched and still answers.
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('project-name').textContent()).toBe('plain-server')
    await page.getByRole('tab', { name: 'Dockerfile' }).click()
    await page.getByRole('radio', { name: 'Scratch' }).click()
    await expect.poll(preview).toContain('\nFROM scratch\n')
    // And a recent project opens again.
    await page.getByTestId('open-project').click()
    await page.getByRole('button', { name: /^hello-api/ }).click()
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 15_000 }).toBe('hello-api')
    expect(errors).toEqual([])
  })
})

describe('intake', () => {
  afterAll(close)

  it('shows why the last project cannot be opened, and forgets it on request', async () => {
    const gone = join(tmp, 'deleted-service')
    await launch(JSON.stringify({ version: 1, recentProjects: [{ path: gone, name: 'deleted-service', openedAt: Date.now() - 3_600_000 }] }))
    const error = page.getByTestId('project-error')
    await expect.poll(() => error.getAttribute('data-error'), { timeout: 20_000 }).toBe('NotFound')
    expect(await error.textContent()).toContain(gone)
    expect(await page.getByTestId('project-dropzone').isVisible()).toBe(true)
    // The path field has the focus: typing starts at once.
    expect(await page.getByTestId('path-field').evaluate((el) => el.matches(':focus'))).toBe(true)
    await shoot('intake-error')
    await error.getByRole('button', { name: 'Remove from recent projects' }).click()
    await expect.poll(() => error.count()).toBe(0)
    expect(await page.getByRole('button', { name: /^deleted-service/ }).count()).toBe(0)
    await shoot('intake')
  })

  it('asks for the path of a folder dropped in browser mode', async () => {
    // What a browser hands a page for a dropped folder: a File with a name and no path.
    const dt = await page.evaluateHandle("(() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'my-service')); return d })()")
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt })
    await page.dispatchEvent('main', 'drop', { dataTransfer: dt })
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'my-service' }).textContent()).toContain('Type or paste its path')
    expect(await page.getByTestId('path-field').evaluate((el) => el.matches(':focus'))).toBe(true)
    await page.getByTestId('path-field').fill(join(ROOT, 'examples/hello-api'))
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 15_000 }).toBe('hello-api')
    expect(errors).toEqual([])
    await close()
  })

  it('sets a corrupt settings file aside with a dismissible notice', async () => {
    await launch('{ this is not json')
    const notice = page.getByTestId('settings-notice')
    await expect.poll(() => notice.textContent(), { timeout: 20_000 }).toContain('could not be read')
    // Defaults apply, so the bundled example opens as on a first start.
    await expect.poll(() => page.getByTestId('project-name').textContent(), { timeout: 20_000 }).toBe('hello-api')
    await shoot('settings-notice')
    await notice.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => notice.count()).toBe(0)
    expect(errors).toEqual([])
  })
})
