// The in-page timing the Chromium benchmarks share (layers-ui, layers-transfer, build-log-ui): a timer
// from an input to the DOM that shows its result and the next frame, a watcher of long tasks and frame
// gaps, and the figures' formatting. The page-side parts are source text: the bench files are
// type-checked without the DOM library, and tsx would wrap named functions in a helper the page lacks.
import type { Page } from 'playwright-core'

/** From the input to the DOM mutation that shows the result ("DOM"), and to the next frame ("paint"). */
export interface Timing {
  dom: number
  paint: number
}

/**
 * Source that installs `window.__time(act, done)`: runs `act`, resolves when `done()` holds after a DOM
 * mutation (or at once), then after the next frame (requestAnimationFrame + a task, so layout and
 * paint are in). Rejects after `timeoutMs`; with `state`, an expression whose JSON the error carries.
 */
export function timerSource(timeoutMs: number, state?: string): string {
  const said = state ? ` + ': ' + JSON.stringify(${state})` : ''
  return `window.__time = (act, done) => new Promise((resolve, reject) => {
  let dom = -1
  const t0 = performance.now()
  let mo = null
  let timer = 0
  const finish = () => {
    dom = performance.now() - t0
    mo.disconnect()
    clearTimeout(timer)
    requestAnimationFrame(() => setTimeout(() => resolve({ dom, paint: performance.now() - t0 }), 0))
  }
  mo = new MutationObserver(() => { if (dom < 0 && done()) finish() })
  timer = setTimeout(() => { mo.disconnect(); reject(new Error('the page did not show the result within ${timeoutMs / 1000} s'${said})) }, ${timeoutMs})
  mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  act()
  if (dom < 0 && done()) finish()
})`
}

/** Installs `window.__time` in the page (see timerSource). */
export async function installTimer(page: Page, timeoutMs = 10_000, state?: string): Promise<void> {
  await page.evaluate(timerSource(timeoutMs, state))
}

/** What `window.__watch` saw: the time to the result, the long tasks, the longest gap between frames. */
export interface Watched {
  ms: number
  long: number[]
  maxGap: number
  frames: number
  /** What ran in long animation frames (Chromium's LoAF script attribution): `invoker · function` → ms. */
  scripts: Record<string, number>
}

/**
 * Installs `window.__watch(act, done)`: runs `act` and polls `done()`; meanwhile records the page's long
 * tasks (PerformanceObserver 'longtask', > 50 ms) and the longest gap between animation frames, until
 * one more frame after `done()` held (so a long task that painted the result is counted).
 */
export async function installWatch(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.evaluate(`window.__watch = (act, done) => new Promise((resolve, reject) => {
  const long = []
  const scripts = {}
  const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e.duration) })
  po.observe({ type: 'longtask' })
  const lo = new PerformanceObserver((l) => {
    for (const f of l.getEntries()) for (const s of f.scripts ?? []) {
      if (s.duration < 20) continue
      const k = (s.invoker || s.invokerType) + ' · ' + (s.sourceFunctionName || '?')
      scripts[k] = (scripts[k] ?? 0) + s.duration
    }
  })
  try { lo.observe({ type: 'long-animation-frame' }) } catch {}
  let last = performance.now()
  let maxGap = 0
  let frames = 0
  let running = true
  const tick = () => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; frames++; if (running) requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
  const t0 = performance.now()
  const timer = setTimeout(() => { running = false; po.disconnect(); reject(new Error('no result within ${timeoutMs / 1000} s')) }, ${timeoutMs})
  const poll = () => {
    if (done()) {
      const ms = performance.now() - t0
      requestAnimationFrame(() => setTimeout(() => { running = false; clearTimeout(timer); po.disconnect(); lo.disconnect(); resolve({ ms, long, maxGap, frames, scripts }) }, 60))
    } else setTimeout(poll, 5)
  }
  act()
  poll()
})`)
}

/** The scripts that ran longest in long animation frames over several watches, as one line. */
export function topScripts(watched: Watched[], n = 5): string {
  const sum: Record<string, number> = {}
  for (const w of watched) for (const [k, v] of Object.entries(w.scripts ?? {})) sum[k] = (sum[k] ?? 0) + v
  const top = Object.entries(sum)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
  return top.length ? top.map(([k, v]) => `${k} ${(v / watched.length).toFixed(0)} ms`).join(' · ') : '(none)'
}

/** Evaluates page-side source that returns a Timing. */
export const inPage = (page: Page, source: string) => page.evaluate(source) as Promise<Timing>

/** Page source of a function that clicks the first element matching `selector` whose text includes `text`. */
export const clickIn = (selector: string, text: string) =>
  `() => [...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => e.textContent.includes(${JSON.stringify(text)})).click()`

/** The page's User Timing measures named `prefix…` since the last clear, by name (durations, ms), then cleared. */
export async function takeMeasures(page: Page, prefix = 'slipway:'): Promise<Record<string, number>> {
  return (await page.evaluate(`(() => {
    const out = {}
    for (const m of performance.getEntriesByType('measure')) if (m.name.startsWith(${JSON.stringify(prefix)})) out[m.name] = (out[m.name] ?? 0) + m.duration
    performance.clearMeasures()
    return out
  })()`)) as Record<string, number>
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
/** `12.3` padded to 6. */
export const fmt = (n: number) => n.toFixed(1).padStart(6)
/** `   12.3 ms`. */
export const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`

/** One interaction: its first timing and the repeats. */
export interface Row {
  name: string
  first: Timing
  rest: Timing[]
  note?: string
}

/** The table the UI benchmarks print: first and median DOM/paint per interaction against the goal. */
export function report(rows: Row[], rounds: number, goalMs: number, width = 44): void {
  console.log(`\n${'interaction'.padEnd(width)}  first: DOM  paint   then (median of ${rounds - 1}): DOM  paint   goal`)
  for (const r of rows) {
    const worst = Math.max(r.first.dom, ...r.rest.map((t) => t.dom))
    const verdict = worst <= goalMs ? 'ok' : 'OVER'
    const rest = r.rest.length ? `${fmt(median(r.rest.map((t) => t.dom)))} ${fmt(median(r.rest.map((t) => t.paint)))}` : `${'—'.padStart(6)} ${'—'.padStart(6)}`
    console.log(`${r.name.padEnd(width)}  ${fmt(r.first.dom)} ${fmt(r.first.paint)}                      ${rest}   < ${goalMs} ms ${verdict}${r.note ? `  (${r.note})` : ''}`)
  }
}
