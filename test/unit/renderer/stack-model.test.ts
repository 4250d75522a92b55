import { describe, expect, it } from 'vitest'
import type { StackService } from '../../../shared/stack/types'
import {
  buildStepsWords,
  draftOf,
  draftProblems,
  requiredEmpty,
  lastLinesOf,
  maskPassword,
  offeredPort,
  phaseView,
  serviceColour,
  stackState,
  takenPort,
  troubles,
  type StackLogLine,
} from '../../../renderer/src/features/stacks/stack-model'
import type { StackProposal } from '../../../shared/stack/types'

const svc = (service: string, patch: Partial<StackService> = {}): StackService => ({
  service,
  containerId: 'c'.repeat(64),
  image: 'img',
  phase: 'running',
  health: null,
  exitCode: null,
  ports: [],
  ...patch,
})
const line = (service: string, text: string): StackLogLine => ({ service, stream: 'stdout', line: text })

describe('phaseView', () => {
  it('says what a missing service is doing only while an Up waits for it', () => {
    expect(phaseView(svc('db', { phase: 'missing' }), true)).toMatchObject({ label: 'Pulling / creating', busy: true })
    expect(phaseView(svc('db', { phase: 'missing' }), false)).toMatchObject({ label: 'Not created', busy: false })
    expect(phaseView(svc('db', { phase: 'starting', health: 'starting' }), true).label).toBe('Waiting for healthy')
    expect(phaseView(svc('db', { phase: 'healthy' }), false)).toMatchObject({ label: 'Healthy', tone: 'green' })
  })

  it('shows exit codes, red unless the program ended cleanly', () => {
    expect(phaseView(svc('app', { phase: 'exited', exitCode: 1 }), false)).toMatchObject({ label: 'Exited (1)', tone: 'red' })
    expect(phaseView(svc('app', { phase: 'exited', exitCode: 0 }), false)).toMatchObject({ label: 'Exited (0)', tone: 'gray' })
    expect(phaseView(svc('app', { phase: 'restarting', exitCode: 2 }), false)).toMatchObject({ label: 'Restarting (exit 2)', tone: 'red' })
  })
})

describe('stackState', () => {
  it('is starting while a job runs, else read from the services', () => {
    expect(stackState(null, true)).toBe('starting')
    expect(stackState(null, false)).toBe('down')
    expect(stackState({ up: true, services: [svc('app'), svc('db', { phase: 'healthy' })] }, false)).toBe('up')
    expect(stackState({ up: false, services: [svc('app', { phase: 'missing' }), svc('db', { phase: 'missing' })] }, false)).toBe('down')
    expect(stackState({ up: false, services: [svc('app', { phase: 'exited', exitCode: 1 }), svc('db', { phase: 'healthy' })] }, false)).toBe('failed')
    expect(stackState({ up: false, services: [svc('app', { phase: 'exited', exitCode: 0 }), svc('db', { phase: 'exited', exitCode: 0 })] }, false)).toBe('partial')
  })
})

describe('troubles', () => {
  const lines = [line('app', 'starting'), line('db', 'ready'), line('app', 'invalid DATABASE_URL'), line('db', 'checkpoint')]

  it('names a crashed or looping service with its own last lines', () => {
    const t = troubles({ services: [svc('app', { phase: 'exited', exitCode: 1 }), svc('db', { phase: 'healthy' })] }, lines)
    expect(t).toEqual([{ service: 'app', what: 'exited with code 1', exitCode: 1, lastLines: ['starting', 'invalid DATABASE_URL'] }])
    expect(troubles({ services: [svc('app', { phase: 'restarting', exitCode: 2 })] }, lines)[0]?.what).toBe('keeps restarting (last exit code 2)')
    expect(troubles({ services: [svc('db', { phase: 'unhealthy' })] }, lines)[0]?.lastLines).toEqual(['ready', 'checkpoint'])
  })

  it('says nothing about a healthy stack or one taken down cleanly', () => {
    expect(troubles({ services: [svc('app'), svc('db', { phase: 'healthy' })] }, lines)).toEqual([])
    expect(troubles({ services: [svc('app', { phase: 'exited', exitCode: 0 }), svc('db', { phase: 'exited', exitCode: 0 })] }, lines)).toEqual([])
    expect(troubles(null, lines)).toEqual([])
  })

  it('keeps only the last n lines', () => {
    expect(lastLinesOf([line('a', '1'), line('a', '2'), line('a', '3')], 'a', 2)).toEqual(['2', '3'])
  })
})

describe('ports in errors', () => {
  it('reads the taken and the offered port from PortInUse', () => {
    expect(takenPort('Port 8080 on 127.0.0.1 is in use.')).toBe(8080)
    expect(offeredPort('Port 8081 is free.')).toBe(8081)
    expect(offeredPort('Use port 9000 instead.')).toBe(9000)
    expect(offeredPort('nothing here')).toBeNull()
    expect(offeredPort('Port 99999 is free.')).toBeNull()
  })
})

describe('connection text', () => {
  it('masks the password of a URL and of a psql command, and nothing else', () => {
    expect(maskPassword('postgres://app:s3cr%2Ft@127.0.0.1:5433/hello?sslmode=disable')).toBe('postgres://app:••••••@127.0.0.1:5433/hello?sslmode=disable')
    expect(maskPassword('psql "postgres://app:pw@127.0.0.1:5433/db"')).toBe('psql "postgres://app:••••••@127.0.0.1:5433/db"')
    expect(maskPassword('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080')
  })
})

describe('service colours', () => {
  it('fixes app and db, and gives any other name the same colour every time', () => {
    expect(serviceColour('app')).toBe('blue')
    expect(serviceColour('db')).toBe('teal')
    expect(serviceColour('cache')).toBe(serviceColour('cache'))
    expect(['blue', 'teal']).not.toContain(serviceColour('cache'))
  })
})

describe('the Up draft', () => {
  const proposal = {
    postgresImage: 'postgres:16-alpine',
    ports: { app: { host: 8080, container: 8080, taken: null }, db: { host: 5433, container: 5432, taken: 5432 } },
    env: [{ name: 'PORT', value: '8080', secret: false }],
    initdb: { files: ['schema/001.sql'], skipped: [] },
  } as unknown as StackProposal

  it('starts from the proposal and refuses what Up would refuse', () => {
    const d = draftOf(proposal)
    expect(d).toMatchObject({ postgresImage: 'postgres:16-alpine', appPort: '8080', dbPort: '5433' })
    expect(draftProblems(d)).toEqual([])
    expect(draftProblems({ ...d, dbPort: '8080' })).toEqual(['The app and the database need different host ports.'])
    expect(draftProblems({ ...d, appPort: '70000' })).toEqual(['Ports are numbers from 1 to 65535.'])
    expect(draftProblems({ ...d, postgresImage: ' ' })).toEqual(['Name a Postgres image.'])
    expect(d.initdb).toEqual(['schema/001.sql'])
    // The project's own compose file runs as it is: Slipway's fields do not matter then.
    expect(draftProblems({ ...d, appPort: 'x', useProjectCompose: true })).toEqual([])
  })

  it('refuses Up while a variable the program stops without is empty, naming it', () => {
    const d = draftOf({ ...proposal, env: [...proposal.env, { name: 'GREETING', value: '', secret: false, required: true, evidence: 'main.go:31' }, { name: 'OPTIONAL', value: '', secret: false }] } as StackProposal)
    expect(requiredEmpty(d).map((e) => e.name)).toEqual(['GREETING'])
    expect(draftProblems(d)).toEqual(['The app stops without GREETING: give it a value before Up.'])
    const filled = { ...d, env: d.env.map((e) => (e.name === 'GREETING' ? { ...e, value: ' ' } : e)) }
    // Go's `== ""` check lets a space through: only an empty value is refused.
    expect(draftProblems(filled)).toEqual([])
  })
})

describe('buildStepsWords', () => {
  it('counts the visible steps done and names the running one', () => {
    expect(buildStepsWords({})).toBeNull()
    const steps = {
      a: { name: 'load build context', status: 'done', internal: true },
      b: { name: '[build 1/3] FROM golang', status: 'cached', internal: false },
      c: { name: '[build 2/3] RUN go build', status: 'running', internal: false },
      d: { name: '[final 1/1] COPY', status: 'waiting', internal: false },
    }
    expect(buildStepsWords(steps)).toBe('1 of 3 steps · [build 2/3] RUN go build')
  })
})
