// The build log view holding 200,000 lines, measured in Chromium against browser mode: scroll (a
// page, to the middle, to the end), search (many matches, next/previous) and filter by a step. Goal:
// each under 50 ms from the input to the updated DOM. Run: npx tsx bench/build-log-ui.bench.ts
// (prints figures; no pass/fail).
//
// The host runs in this process, wired as electron/host/web.ts wires it (EventHub, the real services
// on a temp data folder with the offline stand-ins, the handler table, the WebSocket host). The page
// builds a private copy of examples/hello-api for real; once the build's steps are out, 200,000
// synthetic lines are emitted for that real job id through the same hub the services emit on, so
// they travel the WebSocket and land in the store as `build.log` chunks as a chatty build's would.
// Figures are taken after the build ended, on the finished job (nothing else loads the machine).
//
// Each figure is timed inside the page (bench/support/chromium-timing.ts): performance.now() before the
// input, then the first DOM mutation that shows the result ("DOM"), then the next frame ("paint").
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import type { Emit } from '../shared/contract'
import type { BuildStep, LogStream } from '../shared/types/build'
import { appInfo } from '../electron/host/app-info'
import { EventHub } from '../electron/host/events'
import { createHandlers } from '../electron/host/handlers'
import { startWsHost } from '../electron/host/ws-host'
import { createServices } from '../electron/services'
import { STAND_IN_BASES, STAND_IN_BUILDER } from '../test/support/services'
import { launchChromium, ROOT } from '../test/e2e/support'
import { inPage, installTimer, report, type Row, type Timing } from './support/chromium-timing'

const LINES = Number(process.env.LINES ?? 200_000)
/** Lines per `build.log` event (a run of one stream is never split across steps). */
const CHUNK = 2_000
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const GOAL_MS = 50
const NAME = 'slipway-bench-buildlog'
const run = promisify(execFile)

// ---------------------------------------------------------------------------------------------
// The synthetic log: blocks of 10,000 lines, 9,000 on stdout (compile lines, every 50th an
// ANSI-coloured "ok"), then 1,000 warnings on stderr with a coloured prefix. So "warning" matches 10%
// of the lines, "pkg0042/" 0.05% (every 2,000th line), "example.com" the stdout lines.

function lineText(i: number): { stream: LogStream; text: string } {
  const pkg = `pkg${String(i % 2000).padStart(4, '0')}`
  const file = `${pkg}/file${String(i % 97).padStart(2, '0')}.go`
  if (i % 10_000 >= 9_000) return { stream: 'stderr', text: `\x1b[33mwarning:\x1b[0m ${file}:${(i % 400) + 1}:${(i % 60) + 1}: result of fmt.Sprintf call not used (vet #${i})` }
  if (i % 50 === 3) return { stream: 'stdout', text: `\x1b[1m\x1b[32mok\x1b[0m   example.com/bench/${pkg}\t0.${String(i % 1000).padStart(3, '0')}s` }
  return { stream: 'stdout', text: `# compile example.com/bench/${file} -trimpath -p ${pkg} -lang=go1.23 -complete -buildid ${(i * 2654435761) % 4294967296}` }
}

/** Emits the synthetic lines for `jobId`: the first quarter written by `early`, the rest by `late`. */
async function streamLog(emit: Emit, jobId: string, early: string, late: string): Promise<number> {
  let chunk: string[] = []
  let stream: LogStream = 'stdout'
  let stepId = early
  let events = 0
  const flush = async () => {
    if (chunk.length === 0) return
    emit('build.log', { jobId, stepId, stream, lines: chunk })
    chunk = []
    // Let the socket write and the page keep up, as a real build's output arrives over time.
    events++
    await new Promise((r) => setTimeout(r, 5))
  }
  for (let i = 0; i < LINES; i++) {
    const { stream: s, text } = lineText(i)
    const step = i < LINES / 4 ? early : late
    if (s !== stream || step !== stepId || chunk.length >= CHUNK) {
      await flush()
      stream = s
      stepId = step
    }
    chunk.push(text)
  }
  await flush()
  return events
}

// ---------------------------------------------------------------------------------------------
// In-page helpers of the log view (source text, as bench/support/chromium-timing.ts explains).

/** The log's own page helpers, installed with the shared timer (bench/support/chromium-timing.ts). */
const HELPERS = `// The rows the virtualiser has in the DOM, as [first top, last bottom] in px from the top of the
// log's viewport (from layout: the transforms serialise as 1.79957e+06px, too coarse to read back).
window.__rendered = () => {
  const el = document.querySelector('[data-testid="build-log"]')
  const rows = el.querySelectorAll('.log-row')
  if (rows.length === 0) return [NaN, NaN]
  const top = el.getBoundingClientRect().top
  let lo = Infinity, hi = -Infinity
  for (const r of rows) {
    const b = r.getBoundingClientRect()
    if (b.top - top < lo) lo = b.top - top
    if (b.bottom - top > hi) hi = b.bottom - top
  }
  return [lo, hi]
}
// The rows on screen are in the DOM and the virtualiser's window follows the scroll position (its
// first row is within the overscan of 24 rows above the top): the view is up to date. The log has 4 px
// of padding at either end.
window.__showsScroll = () => {
  const el = document.querySelector('[data-testid="build-log"]')
  const [lo, hi] = window.__rendered()
  return lo <= 8 && hi >= Math.min(el.clientHeight, el.scrollHeight - el.scrollTop - 18) && lo >= -26 * 18
}
// The current match is highlighted in a row on screen.
window.__currentShown = () => {
  const el = document.querySelector('[data-testid="build-log"]')
  const mark = el.querySelector('.log-mark.is-current')
  if (!mark) return false
  const box = el.getBoundingClientRect()
  const row = mark.closest('.log-row').getBoundingClientRect()
  return row.top >= box.top && row.bottom <= box.top + el.clientHeight
}
window.__state = () => {
  const el = document.querySelector('[data-testid="build-log"]')
  return { top: el.scrollTop, height: el.clientHeight, scrollHeight: el.scrollHeight, rendered: window.__rendered(), rows: document.querySelectorAll('[data-testid="build-log"] .log-row').length, first: document.querySelector('[data-testid="build-log"] .log-row')?.style.transform, matches: window.__matches(), count: window.__count() }
}
window.__matches = () => document.querySelector('[data-testid="log-matches"]')?.textContent ?? ''
window.__count = () => document.querySelector('[data-testid="log-count"]')?.textContent ?? ''
window.__setQuery = (q) => {
  const input = document.querySelector('input[data-testid="log-search"]')
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, q)
  input.dispatchEvent(new Event('input', { bubbles: true }))
}`

type Step = (page: Page) => Promise<Timing>

/** Sets the log's scroll position (what the scrollbar, PageDown or Home do) and waits for the rows there. */
const scrollTo =
  (expr: string): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const el = document.querySelector('[data-testid="build-log"]')
        return window.__time(() => { el.scrollTop = (${expr}) }, () => window.__showsScroll())
      })()`,
    )

/** Clicks "Jump to the end" (shown when scrolled away) and waits for the last rows. */
const jumpToEnd: Step = (page) =>
  inPage(
    page,
    `(() => {
      const el = document.querySelector('[data-testid="build-log"]')
      const button = document.querySelector('[data-testid="log-jump"]')
      if (!button) throw new Error('no jump button')
      return window.__time(() => button.click(), () => el.scrollHeight - el.scrollTop - el.clientHeight < 18 && window.__showsScroll())
    })()`,
  )

/** Types a whole query into the search box as one input event; waits for "1 of N" and the first match highlighted on screen. */
const search =
  (query: string): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const q = ${JSON.stringify(query)}
        return window.__time(() => window.__setQuery(q), () => q === ''
          ? window.__matches() === '' && !document.querySelector('.log-mark')
          : /^1 of [\\d,]+$/.test(window.__matches()) && window.__currentShown())
      })()`,
    )

/** Clicks next or previous and waits for the counter to move and the new current match to show. */
const step =
  (dir: 'next' | 'prev'): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const button = document.querySelector(${JSON.stringify(dir === 'next' ? 'button[aria-label^="Next match"]' : 'button[aria-label^="Previous match"]')})
        const m = /^([\\d,]+) of ([\\d,]+)$/.exec(window.__matches())
        if (!button || !m) throw new Error('no match counter')
        const n = (s) => Number(s.replace(/,/g, ''))
        const total = n(m[2])
        const want = ((n(m[1]) - 1 + ${dir === 'next' ? 1 : -1} + total) % total) + 1
        return window.__time(() => button.click(), () => n(window.__matches().split(' of ')[0]) === want && window.__currentShown())
      })()`,
    )

/** Clicks a step in the step list (filters the log to it, or back to all) and waits for the line count to change. */
const clickStep =
  (index: number): Step =>
  (page) =>
    inPage(
      page,
      `(() => {
        const row = [...document.querySelectorAll('[data-testid="build-step"]')].find((b) => b.querySelector('.step-index')?.textContent === '${index}')
        if (!row) throw new Error('no step ${index}')
        const before = window.__count()
        return window.__time(() => row.click(), () => window.__count() !== before && window.__showsScroll())
      })()`,
    )

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-log-'))
  const dataDir = join(tmp, 'data')
  const dir = join(tmp, NAME)
  cpSync(join(ROOT, 'examples/hello-api'), dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace(/^module .*$/m, `module example.com/${NAME}`))
  mkdirSync(dataDir)
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({ version: 1, recentProjects: [{ path: dir, name: NAME, openedAt: Date.now() }], customBases: STAND_IN_BASES, builderImage: STAND_IN_BUILDER }),
  )

  // The host, as web.ts wires it; `emit` also tells this script about the build's steps and its end.
  const hub = new EventHub()
  const steps = new Map<string, BuildStep>()
  let jobId: string | null = null
  let ended: string | null = null
  const emit: Emit = (event, payload) => {
    if (event === 'build.step') {
      const e = payload as { jobId: string; step: BuildStep }
      jobId ??= e.jobId
      if (e.jobId === jobId) steps.set(e.step.id, e.step)
    }
    if (event === 'build.done' || event === 'build.failed') ended = event
    hub.emit(event, payload)
  }
  const info = appInfo(ROOT, 'websocket', dir)
  const services = createServices({ emit, dataDir, appVersion: info.version })
  await services.engine.start()
  const host = await startWsHost({ handlers: createHandlers(services, info), hub, staticDir: join(ROOT, 'out', 'renderer') })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()))
    if (process.env.DEBUG) page.on('console', (m) => console.log('page:', m.text()))
    await page.goto(host.url)
    await page.getByTestId('project-name').filter({ hasText: NAME }).waitFor({ timeout: 30_000 })
    await page.getByTestId('build-button').click()

    // The page registered the job before asking for it; its first step event names it here.
    const t0 = Date.now()
    const buildRun = () => [...steps.values()].find((s) => /RUN .*go build/.test(s.name))
    while (!buildRun()) {
      if (ended || Date.now() - t0 > 600_000) throw new Error(`the build ${ended ? 'ended' : 'did not reach its go build step'}: ${[...steps.values()].map((s) => s.name).join(' | ')}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    const late = buildRun() as BuildStep
    // Another step writes the first quarter: a RUN before the compile when the recipe has one, else the step just before it.
    const before = [...steps.values()].filter((s) => !s.internal && s.index < late.index).sort((a, b) => a.index - b.index)
    const early = before.filter((s) => /RUN /.test(s.name)).pop() ?? before.pop()
    if (!early || !jobId) throw new Error('no second step to write lines')
    const t1 = Date.now()
    const events = await streamLog(emit, jobId, early.id, late.id)
    const emitted = Date.now() - t1
    console.log(`build ${jobId}: ${LINES.toLocaleString('en-US')} lines emitted in ${emitted} ms (${events} build.log events of up to ${CHUNK.toLocaleString('en-US')} lines; the build was ${ended ? 'over' : 'still running'} when they were all sent)`)
    const short = (n: string) => (n.length > 50 ? `${n.slice(0, 49)}…` : n)
    console.log(`  lines by #${early.index} ${short(early.name)} (${(LINES / 4).toLocaleString('en-US')}) and #${late.index} ${short(late.name)} (${((LINES * 3) / 4).toLocaleString('en-US')})`)

    // Measure on the finished build, with every line in the page's store.
    while (!ended) await new Promise((r) => setTimeout(r, 100))
    const count = async () => Number((await page.getByTestId('log-count').textContent())?.replace(/\D/g, ''))
    const phase = () => page.getByTestId('build-status').getAttribute('data-phase')
    for (const t2 = Date.now(); (await count()) < LINES || !/succeeded|failed/.test((await phase()) ?? ''); await page.waitForTimeout(200)) {
      if (process.env.DEBUG) console.log(Date.now() - t2, await count(), await phase())
      if (Date.now() - t2 > 600_000) throw new Error(`the page shows ${await count()} lines, phase ${await phase()}`)
    }
    console.log(`the page shows ${(await count()).toLocaleString('en-US')} lines ${Date.now() - t1} ms after the first chunk was sent (build ${ended === 'build.done' ? 'succeeded' : 'failed'})`)
    await page.waitForTimeout(1000)
    await installTimer(page, 10_000, 'window.__state()')
    await page.evaluate(HELPERS)

    const runRounds = async (name: string, act: Step, undo?: Step, note?: string): Promise<Row> => {
      const first = await act(page)
      const rest: Timing[] = []
      for (let i = 1; i < ROUNDS; i++) {
        if (undo) await undo(page)
        rest.push(await act(page))
      }
      return { name, first, rest, ...(note ? { note } : {}) }
    }

    const rows: Row[] = []
    // Scroll. The view follows the end after loading; a page is the log's visible height.
    const mid = 'Math.round(el.scrollHeight / 2)'
    rows.push(await runRounds('scroll to the middle (from the end)', scrollTo(mid), scrollTo('el.scrollHeight'), 'scrollbar drag'))
    await scrollTo('Math.round(el.scrollHeight / 4)')(page)
    rows.push(await runRounds('scroll down a page', scrollTo('el.scrollTop + el.clientHeight'), undefined, 'PageDown, one more each time'))
    rows.push(await runRounds('scroll up a page', scrollTo('el.scrollTop - el.clientHeight'), undefined, 'PageUp'))
    rows.push(await runRounds('scroll to the start (from the middle)', scrollTo('0'), scrollTo(mid), 'Home'))
    rows.push(await runRounds('"Jump to the end" (from the middle)', jumpToEnd, scrollTo(mid), 'the button'))
    await scrollTo(mid)(page)

    // Search: each query is a new scan of every line; the first match is scrolled into view.
    const warnings = LINES / 10
    rows.push(await runRounds(`search "warning" (${warnings.toLocaleString('en-US')} matches)`, search('warning'), search(''), 'then clear'))
    rows.push(await runRounds(`search "pkg0042/" (${(LINES / 2000).toLocaleString('en-US')} matches)`, search('pkg0042/'), search('')))
    rows.push(await runRounds('search "example.com" (most lines)', search('example.com'), search('')))
    await search('warnin')(page)
    rows.push(await runRounds('type one more letter: "warnin" → "warning"', search('warning'), search('warnin'), 'keystroke'))
    rows.push(await runRounds('next match (Enter / ↓)', step('next')))
    rows.push(await runRounds('previous match (Shift+Enter / ↑)', step('prev')))
    await search('')(page)
    await search('warning')(page)
    rows.push(await runRounds('previous from the first (wraps to the last)', step('prev'), step('next'), 'jumps 200,000 rows'))
    rows.push(await runRounds(`clear a ${warnings.toLocaleString('en-US')}-match search`, search(''), search('warning')))
    await search('')(page)

    // Filter by a step: clicking it in the step list shows only its lines; clicking it again, all.
    rows.push(await runRounds(`filter to step #${early.index} (${(LINES / 4).toLocaleString('en-US')} lines)`, clickStep(early.index), clickStep(early.index), 'then all again'))
    await clickStep(early.index)(page)
    rows.push(await runRounds(`back to all steps (from #${early.index})`, clickStep(early.index), clickStep(early.index)))
    await clickStep(early.index)(page)
    rows.push(await runRounds(`filter to step #${late.index} (${((LINES * 3) / 4).toLocaleString('en-US')} lines)`, clickStep(late.index), clickStep(late.index)))
    await search('warning')(page)
    rows.push(await runRounds(`filter to step #${early.index} while searching "warning"`, clickStep(early.index), clickStep(early.index)))
    report(rows, ROUNDS, GOAL_MS, 48)
    const heap = (await page.evaluate('performance.memory?.usedJSHeapSize ?? 0')) as number
    if (heap) console.log(`\npage JS heap after the run: ${(heap / 1024 / 1024).toFixed(0)} MiB`)
    if (errors.length) console.log(`page errors:\n${errors.join('\n')}`)
  } finally {
    await browser.close()
    await host.close()
    services.engine.stop()
    const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `--filter=reference=slipway/*${NAME}*`]).catch(() => ({ stdout: '' }))
    const tags = stdout.split('\n').filter(Boolean)
    if (tags.length) await run('docker', ['image', 'rm', '-f', ...tags]).catch(() => undefined)
    rmSync(tmp, { recursive: true, force: true })
  }
}

await main()
