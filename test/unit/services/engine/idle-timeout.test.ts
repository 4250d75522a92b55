// The stall guards on real Node streams and real sockets: a unix socket that accepts connections and
// never answers (how a frozen engine looks from outside), and an HTTP server that answers slowly.
// The frozen real daemon is in test/integration/engine-stalls.test.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, type Readable } from 'node:stream'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_ENGINE_IDLE_MS,
  dial,
  engineAnswers,
  engineIdleMs,
  guardStream,
  pingLiveness,
  untilAnswered,
  type Liveness,
} from '../../../../electron/services/engine/idle-timeout'

const IDLE = 200
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const dir = mkdtempSync(join(tmpdir(), 'slipway-idle-'))

/** Reads the stream to the end; resolves with the byte count, rejects with its error. */
async function drain(s: Readable): Promise<number> {
  let n = 0
  for await (const c of s) n += (c as Buffer).length
  return n
}

/** A liveness check whose engine answers (or not) as told, counting the questions. */
function liveness(answer: boolean, quietAllowed: (bytes: number) => boolean = () => true): Liveness & { asked: number } {
  const l = {
    asked: 0,
    quietAllowed,
    answers: async () => {
      l.asked++
      return answer
    },
  }
  return l
}

// A socket that accepts and never answers: the kernel queues connections to a stopped process the same way.
const frozenSocket = join(dir, 'frozen.sock')
let frozen: Server
const held = new Set<Socket>()
let closedByClient = 0
// An engine that answers pings at once and `/slow` after 3 × IDLE.
const slowSocket = join(dir, 'slow.sock')
let slow: HttpServer

beforeAll(async () => {
  frozen = createServer((s) => {
    held.add(s)
    // Reads (and drops) the request, so the client closing its end shows as 'close' here.
    s.resume()
    s.on('close', () => {
      closedByClient++
      held.delete(s)
    })
    s.on('error', () => undefined)
  })
  slow = createHttpServer((req, res) => {
    if (req.url?.endsWith('/_ping')) res.end('OK')
    else setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 3 * IDLE)
  })
  await Promise.all([new Promise<void>((r) => frozen.listen(frozenSocket, r)), new Promise<void>((r) => slow.listen(slowSocket, r))])
})
afterAll(async () => {
  for (const s of held) s.destroy()
  await Promise.all([new Promise((r) => frozen.close(r)), new Promise((r) => slow.close(r))])
  rmSync(dir, { recursive: true, force: true })
})

describe('guardStream', () => {
  it('fails a stream that goes silent with EngineStalled, and closes the source', async () => {
    const source = new PassThrough()
    source.write(Buffer.alloc(1000))
    const t0 = performance.now()
    const err = await drain(guardStream(source, { idleMs: IDLE, doing: 'saving alpine:3.20' })).catch((e: unknown) => e)
    const ms = performance.now() - t0
    expect(err).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 0.2 s while saving alpine:3.20.' })
    expect((err as { detail: string }).detail).toMatch(/frozen or overloaded: check `docker info`.*Slipway stopped waiting/)
    expect(ms).toBeGreaterThanOrEqual(IDLE - 5)
    expect(ms).toBeLessThan(IDLE + 1000)
    expect(source.destroyed).toBe(true)
  })

  it('lets a slow but steady stream finish', async () => {
    const source = new PassThrough()
    const feed = (async () => {
      for (let i = 0; i < 8; i++) {
        source.write(Buffer.alloc(10))
        await sleep(IDLE / 4)
      }
      source.end()
    })()
    // 8 × IDLE/4 = twice the limit in all, never more than a quarter of it silent.
    expect(await drain(guardStream(source, { idleMs: IDLE, doing: 'x' }))).toBe(80)
    await feed
  })

  it('does not count the time the reader is behind', async () => {
    const source = new PassThrough()
    // More than the buffers hold, so the source is held back by backpressure and sends nothing new.
    for (let i = 0; i < 64; i++) source.write(Buffer.alloc(16 * 1024))
    const guarded = guardStream(source, { idleMs: IDLE, doing: 'x' })
    const it = guarded[Symbol.asyncIterator]()
    await it.next()
    await sleep(3 * IDLE)
    source.end()
    let n = 0
    for (let r = await it.next(); !r.done; r = await it.next()) n += (r.value as Buffer).length
    expect(n).toBe(63 * 16 * 1024)
  })

  it('waits through silence where it is allowed while the engine answers, and stops when it does not', async () => {
    const quiet = liveness(true)
    const source = new PassThrough()
    const guarded = guardStream(source, { idleMs: IDLE, doing: 'building app', liveness: quiet })
    const done = drain(guarded)
    await sleep(3.5 * IDLE)
    source.end(Buffer.alloc(5))
    expect(await done).toBe(5)
    expect(quiet.asked).toBeGreaterThanOrEqual(2)

    const dead = liveness(false)
    const err = await drain(guardStream(new PassThrough(), { idleMs: IDLE, doing: 'building app', liveness: dead })).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 0.2 s while building app, and does not answer a ping.' })
    expect(dead.asked).toBe(1)
  })

  it('allows silence only where quietAllowed says so (a save before its first byte)', async () => {
    const l = liveness(true, (bytes) => bytes === 0)
    const source = new PassThrough()
    const guarded = guardStream(source, { idleMs: IDLE, doing: 'saving a', liveness: l })
    const done = drain(guarded).catch((e: unknown) => e)
    await sleep(2.5 * IDLE)
    expect(l.asked).toBeGreaterThanOrEqual(1) // quiet before the first byte: asked, and waited
    const asked = l.asked
    source.write(Buffer.alloc(1))
    expect(await done).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 0.2 s while saving a.' })
    expect(l.asked).toBe(asked) // after it, silence alone ends the stream
  })

  it("passes the source's own error on, and destroying the guard destroys the source", async () => {
    const broken = new PassThrough()
    const guarded = guardStream(broken, { idleMs: IDLE, doing: 'x' })
    setTimeout(() => broken.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 10)
    await expect(drain(guarded)).rejects.toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' })

    const source = new PassThrough()
    const g = guardStream(source, { idleMs: IDLE, doing: 'x' })
    g.on('error', () => undefined)
    g.destroy(new Error('cancelled'))
    await sleep(10)
    expect(source.destroyed).toBe(true)
  })
})

describe('untilAnswered', () => {
  const frozenEngine = new Dockerode({ socketPath: frozenSocket })
  const slowEngine = new Dockerode({ socketPath: slowSocket })

  it('gives up on an engine that accepts the request and never answers, and closes the connection', async () => {
    const before = closedByClient
    const t0 = performance.now()
    const err = await untilAnswered((abortSignal) => frozenEngine.pull('alpine:3.20', { abortSignal }), { idleMs: IDLE, doing: 'pulling alpine:3.20' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 0.2 s while pulling alpine:3.20.' })
    expect(performance.now() - t0).toBeLessThan(IDLE + 1000)
    await expect.poll(() => closedByClient).toBe(before + 1)
  })

  it('waits for a slow answer while the engine answers pings, and not without that', async () => {
    const call = (signal: AbortSignal) => dial<{ ok: boolean }>(slowEngine, { path: '/slow', method: 'GET', statusCodes: { 200: true } }, signal)
    await expect(untilAnswered(call, { idleMs: IDLE, doing: 'building a', liveness: pingLiveness(slowEngine, IDLE) })).resolves.toEqual({ ok: true })
    await expect(untilAnswered(call, { idleMs: IDLE, doing: 'building a' })).rejects.toMatchObject({ name: 'EngineStalled' })
  })

  it('asks a frozen engine and gives up when the ping gets no answer either', async () => {
    const t0 = performance.now()
    const err = await untilAnswered((abortSignal) => frozenEngine.pull('alpine:3.20', { abortSignal }), {
      idleMs: IDLE,
      doing: 'building a',
      liveness: pingLiveness(frozenEngine, IDLE),
    }).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'EngineStalled', message: 'Docker stopped sending data for 0.2 s while building a, and does not answer a ping.' })
    const ms = performance.now() - t0
    expect(ms).toBeGreaterThanOrEqual(2 * IDLE - 5) // the silence, then the ping's own limit
    expect(ms).toBeLessThan(2 * IDLE + 1000)
  })

  it("ends at once with the request's own error when the caller cancels", async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(new Error('cancelled by the person')), 20)
    const t0 = performance.now()
    const err = await untilAnswered((abortSignal) => frozenEngine.pull('alpine:3.20', { abortSignal }), { idleMs: 10_000, doing: 'x', signal: ac.signal }).catch((e: unknown) => e)
    expect((err as Error).name).not.toBe('EngineStalled')
    expect(performance.now() - t0).toBeLessThan(1000)
  })
})

describe('engineAnswers and the limit from the environment', () => {
  it('tells an answering engine from a frozen one within the timeout', async () => {
    expect(await engineAnswers(new Dockerode({ socketPath: slowSocket }), 1000)).toBe(true)
    const t0 = performance.now()
    expect(await engineAnswers(new Dockerode({ socketPath: frozenSocket }), IDLE)).toBe(false)
    expect(performance.now() - t0).toBeLessThan(IDLE + 1000)
  })

  it('reads SLIPWAY_ENGINE_IDLE_TIMEOUT_MS as whole milliseconds, else 60 s', () => {
    expect(DEFAULT_ENGINE_IDLE_MS).toBe(60_000)
    expect(engineIdleMs({})).toBe(60_000)
    expect(engineIdleMs({ SLIPWAY_ENGINE_IDLE_TIMEOUT_MS: '2000' })).toBe(2000)
    expect(engineIdleMs({ SLIPWAY_ENGINE_IDLE_TIMEOUT_MS: ' 1500 ' })).toBe(1500)
    for (const bad of ['', '0', '-5', '2s', '1e3', 'soon', '99999999999999999999']) expect(engineIdleMs({ SLIPWAY_ENGINE_IDLE_TIMEOUT_MS: bad })).toBe(60_000)
  })
})
