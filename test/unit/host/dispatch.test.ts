import { describe, expect, it } from 'vitest'
import type { Handlers } from '../../../shared/contract'
import { EngineUnavailable, SlipwayError } from '../../../shared/errors'
import { MAX_REQUEST_BYTES } from '../../../shared/rpc'
import { handlersWith } from './stub-handlers'
import { dispatch } from '../../../electron/host/dispatch'

const state = { status: 'connecting', endpoint: { host: 'unix:///x.sock', source: 'default', tls: false } } as const
const handlers: Handlers = handlersWith({
  'app.info': () => ({ name: 'Slipway', version: '0.0.0', platform: 'linux', transport: 'websocket', defaultProject: null }),
  'engine.state': () => state,
  'engine.reconnect': () => {
    throw new EngineUnavailable('not-running', 'Docker is not running.', 'Start it with `sudo systemctl start docker`.')
  },
  // Echoes what it was called with, so a test can tell the arguments reached the handler intact.
  'project.analyze': (dir, opts) => {
    throw new SlipwayError('NotFound', `${dir} does not exist.`, JSON.stringify(opts ?? null))
  },
})

describe('dispatch', () => {
  it('runs a valid request and returns its result with the same id', async () => {
    expect(await dispatch(handlers, { id: 7, method: 'engine.state', args: [] })).toEqual({ id: 7, result: state })
  })

  it('refuses an unknown method by name', async () => {
    const r = await dispatch(handlers, { id: 1, method: 'fs.delete', args: [] })
    expect(r.error).toEqual({ name: 'BadRequest', message: 'Unknown method "fs.delete".' })
  })

  it('does not treat Object.prototype members as methods', async () => {
    const r = await dispatch(handlers, { id: 2, method: 'constructor', args: [] })
    expect(r.error?.message).toBe('Unknown method "constructor".')
  })

  it('refuses wrong argument types and says which argument', async () => {
    const r = await dispatch(handlers, { id: 3, method: 'engine.state', args: ['surprise'] })
    expect(r.error?.name).toBe('BadRequest')
    expect(r.error?.message).toBe('Invalid arguments for "engine.state".')
    expect(r.error?.detail).toMatch(/arguments/)
  })

  it('passes a project folder and options through to project.analyze', async () => {
    expect(await dispatch(handlers, { id: 8, method: 'project.analyze', args: ['/src/app'] })).toEqual({
      id: 8,
      error: { name: 'NotFound', message: '/src/app does not exist.', detail: 'null' },
    })
    const r = await dispatch(handlers, { id: 9, method: 'project.analyze', args: ['/src/app', { main: 'cmd/api' }] })
    expect(r.error).toEqual({ name: 'NotFound', message: '/src/app does not exist.', detail: '{"main":"cmd/api"}' })
  })

  it('refuses project.analyze with a folder that is not a non-empty string, or unknown options', async () => {
    for (const args of [[42], [null], [''], [['/src']], [{ dir: '/src' }], [], ['/src', { main: 3 }], ['/src', { main: 'x', write: true }], ['/src', {}, 'extra']]) {
      const r = await dispatch(handlers, { id: 10, method: 'project.analyze', args })
      expect(r.error?.name, JSON.stringify(args)).toBe('BadRequest')
      expect(r.error?.message).toBe('Invalid arguments for "project.analyze".')
    }
  })

  it('refuses a malformed envelope', async () => {
    for (const raw of [null, 'engine.state', { method: 'engine.state' }, { id: 1, method: 'engine.state', args: 'x' }]) {
      const r = await dispatch(handlers, raw)
      expect(r.error).toMatchObject({ name: 'BadRequest', message: 'Malformed request.' })
    }
  })

  it('refuses an oversized payload before parsing it', async () => {
    const r = await dispatch(handlers, { id: 4, method: 'engine.state', args: ['x'.repeat(MAX_REQUEST_BYTES)] })
    expect(r).toMatchObject({ id: 4, error: { name: 'BadRequest' } })
    expect(r.error?.message).toMatch(/^Request too large/)
  })

  it('carries a thrown error across as {name, message, detail}', async () => {
    const r = await dispatch(handlers, { id: 5, method: 'engine.reconnect', args: [] })
    expect(r).toEqual({
      id: 5,
      error: { name: 'EngineUnavailable', message: 'Docker is not running.', detail: 'Start it with `sudo systemctl start docker`.' },
    })
  })

  it('turns a plain Error into an InternalError that keeps the message', async () => {
    const r = await dispatch({ ...handlers, 'app.info': () => Promise.reject(new Error('disk full')) }, { id: 6, method: 'app.info', args: [] })
    expect(r.error).toEqual({ name: 'InternalError', message: 'disk full' })
  })
})
