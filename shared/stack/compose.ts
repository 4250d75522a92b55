// The dev stack as a compose document: the app Slipway built next to Postgres, wired through the
// variable the program reads. Pure, so the service, the CLI and the UI's preview produce the same
// file. Everything that comes from the project (variable names, their defaults, the project name)
// is checked against an allowlist and left out with a notice when it fails; image references go
// through the one parser. The password never enters the YAML: it is interpolated from an env file
// the compose tool reads (`--env-file`), which works the same in docker-compose v1 and v2.
import { stringify } from 'yaml'
import { imageRefProblem } from '../dockerfile/image-ref'
import { hasControlChars, isEnvName, showText } from '../dockerfile/safe-text'
import type { ProjectAnalysis } from '../types/project'

/** The Postgres image when nothing else is chosen. */
export const DEFAULT_POSTGRES_IMAGE = 'postgres:16-alpine'
/** The variable in the stack's env file that holds the database password. */
export const PASSWORD_VAR = 'SLIPWAY_DB_PASSWORD'
/** The label on every service of a Slipway stack, so a list of stacks can find them. */
export const STACK_LABEL = 'org.slipway.stack'
/** The label naming the project folder a stack is for (left out when the path cannot be written safely). */
export const STACK_DIR_LABEL = 'org.slipway.stack.dir'
/** Postgres's port inside the db container. */
export const POSTGRES_PORT = 5432
/** Major versions offered next to the image's own (the official image has a tag for each). */
export const POSTGRES_VERSIONS = ['17', '16', '15', '14', '13'] as const

/**
 * `image` with another major version, keeping its repository and tag suffix
 * (`postgres:16-alpine` → `postgres:15-alpine`, `mirror.corp/pg:16` → `mirror.corp/pg:15`); null when
 * its tag does not start with a version (a digest, `latest`), so the caller offers no choice.
 */
export function withPostgresVersion(image: string, version: string): string | null {
  if (!/^[0-9]{1,3}$/.test(version)) return null
  const m = /^(.*:)([0-9]{1,3})((?:\.[0-9]+)*)(-[A-Za-z0-9._-]+)?$/.exec(image)
  if (!m || image.includes('@')) return null
  return `${m[1]}${version}${m[4] ?? ''}`
}

/** The major version in an image's tag (`postgres:16-alpine` → `16`), or null. */
export function postgresVersionOf(image: string): string | null {
  if (image.includes('@')) return null
  return /:([0-9]{1,3})(?:\.[0-9]+)*(?:-[A-Za-z0-9._-]+)?$/.exec(image)?.[1] ?? null
}

/** Variables that hold a whole connection URL, in the order they are preferred. */
const URL_VARS = ['DATABASE_URL', 'DB_URL', 'POSTGRES_URL', 'POSTGRESQL_URL', 'PG_URL', 'POSTGRES_DSN', 'DATABASE_DSN', 'DB_DSN', 'PG_DSN', 'DSN']
/** A URL-like name not in the list (`APP_DATABASE_URL`, `MYAPP_PG_DSN`). */
const URL_LIKE = /(^|_)(DATABASE|DB|POSTGRES|POSTGRESQL|PG)_(URL|DSN|URI)$/
/** libpq's own variables (pgx and lib/pq read them too). */
const PG_VARS = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE'] as const

/** What the caller chooses; the rest comes from the analysis. */
export interface StackChoices {
  /** The app image Slipway built (a tag or an id). */
  appImage: string
  /** The compose project name; must be a valid one (see `composeProjectName`). */
  projectName: string
  /** The app's published port on 127.0.0.1. */
  hostPort: number
  /** The database's published port on 127.0.0.1 (for psql and tools on the host). */
  dbHostPort: number
  /** The project folder, written into a label so a list of stacks knows whose it is. */
  dir?: string
  postgresImage?: string
  /** The database name; unset: from the project name. */
  dbName?: string
  /** The database user; unset: `app`. */
  dbUser?: string
  /** Overrides of the app's variables (after the defaults the analysis found). */
  env?: Record<string, string>
  /** A .env file for a program that reads one at start: `source` (an absolute path on this computer) mounted read-only at `target` in the app. */
  envFile?: { source: string; target: string }
  /** SQL files (absolute paths) mounted read-only into /docker-entrypoint-initdb.d under `name`: Postgres runs them once, on a new database. */
  initdb?: { source: string; name: string }[]
}

/** The compose document and what goes next to it. */
export interface StackDefinition {
  project: string
  compose: ComposeDocument
  /** The compose file's text. */
  yaml: string
  /** The variables the database URL was written to (`DATABASE_URL`, or libpq's PG*). */
  databaseVars: string[]
  containerPort: number
  dbName: string
  dbUser: string
  /** The named volume as the engine names it (`<project>_db-data`). */
  volume: string
  notices: string[]
}

export interface ComposeService {
  image: string
  environment: Record<string, string>
  labels: Record<string, string>
  ports?: string[]
  depends_on?: Record<string, { condition: 'service_healthy' }>
  volumes?: (string | BindMount)[]
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string }
}

/** Compose's long volume syntax for a host path: no `:` in a path can be misread, unlike `SRC:DST:ro`. */
export interface BindMount {
  type: 'bind'
  source: string
  target: string
  read_only: true
}

export interface ComposeDocument {
  services: { app: ComposeService; db: ComposeService }
  volumes: { 'db-data': Record<string, never> }
}

const VOLUME_KEY = 'db-data'
const PG_IDENT = /^[a-z_][a-z0-9_]{0,62}$/
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/
/** A password must survive a URL's user-info part and an env file's value without quoting. */
const PASSWORD = /^[A-Za-z0-9_-]{16,128}$/

/** Whether `name` is a compose project name that both v1 and v2 accept as is. */
export function isComposeProjectName(name: string): boolean {
  return PROJECT_NAME.test(name)
}

/**
 * The compose project name for a project: `slipway-<name>-<key>`, where `key` (hex, from the
 * project's path) keeps two folders with the same name apart.
 */
export function composeProjectName(projectName: string, key: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30).replace(/-+$/, '')
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12)
  return `slipway-${slug || 'app'}-${k || '0'}`
}

/** A Postgres identifier (database or user) made from free text: lower case, `_` for the rest; `app` when nothing is left. */
export function pgIdentifier(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 63)
  if (!s) return 'app'
  return /^[0-9]/.test(s) ? `db_${s}`.slice(0, 63) : s
}

/** The variables of the analysis that name the database: URL-style ones first, then libpq's. */
export function databaseVariables(analysis: Pick<ProjectAnalysis, 'needs'>): { url: string[]; pg: string[] } {
  const names = new Set(analysis.needs.env.map((e) => e.name).filter(isEnvName))
  const url = [...URL_VARS.filter((n) => names.has(n)), ...[...names].filter((n) => !URL_VARS.includes(n) && URL_LIKE.test(n)).sort()]
  const pg = PG_VARS.filter((n) => names.has(n))
  return { url, pg }
}

/** The URL the app uses to reach the database, with the password left as an interpolation. */
export function databaseUrl(user: string, db: string, passwordExpr = `\${${PASSWORD_VAR}}`): string {
  return `postgres://${user}:${passwordExpr}@db:5432/${db}?sslmode=disable`
}

/** Escapes `$` for compose's interpolation, so a value reaches the container exactly as written. */
function literal(value: string): string {
  return value.replaceAll('$', '$$$$')
}

/**
 * The stack for a project: `app` (the built image, the database variable, the other variables the
 * code reads with their defaults, published on 127.0.0.1, started once the database is healthy)
 * and `db` (Postgres with a named volume and a pg_isready healthcheck). Throws on choices the
 * caller made wrong (an invalid image, project name or password); project-derived text that fails
 * a check is left out and described in `notices`.
 */
export function composeStack(analysis: Pick<ProjectAnalysis, 'name' | 'needs'>, choices: StackChoices): StackDefinition {
  const notices: string[] = []
  const project = choices.projectName
  if (!isComposeProjectName(project)) throw new Error(`The compose project name ${showText(project)} is not valid.`)
  const appImageProblem = imageRefProblem(choices.appImage)
  if (appImageProblem && !/^sha256:[0-9a-f]{64}$/.test(choices.appImage)) throw new Error(`The app image ${showText(choices.appImage)} ${appImageProblem}.`)
  const postgresImage = choices.postgresImage ?? DEFAULT_POSTGRES_IMAGE
  const pgProblem = imageRefProblem(postgresImage)
  if (pgProblem) throw new Error(`The Postgres image ${showText(postgresImage)} ${pgProblem}.`)
  for (const p of [choices.hostPort, choices.dbHostPort]) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`The host port ${p} is not a port.`)
  if (choices.hostPort === choices.dbHostPort) throw new Error(`The app and the database cannot both be published on port ${choices.hostPort}.`)

  const dbName = choices.dbName ?? pgIdentifier(analysis.name)
  const dbUser = choices.dbUser ?? 'app'
  for (const [what, v] of [['database name', dbName], ['database user', dbUser]] as const)
    if (!PG_IDENT.test(v)) throw new Error(`The ${what} ${showText(v)} must be lower-case letters, digits and _ (at most 63).`)

  // The port the program listens on by default; the variable that changes it gets the same value.
  const listen = analysis.needs.listen.find((l) => l.port !== null && Number.isInteger(l.port) && (l.port as number) >= 1 && (l.port as number) <= 65535)
  const containerPort = listen?.port ?? 8080
  if (!listen) notices.push(`No port was found in the code; the app is assumed to listen on ${containerPort}.`)

  // A Map, not an object literal: a project may read `__proto__` or `constructor`, which must stay plain keys.
  const environment = new Map<string, string>()
  for (const v of analysis.needs.env) {
    if (!isEnvName(v.name)) {
      notices.push(`The variable ${showText(v.name)} is not a plain variable name; it was left out of the stack.`)
      continue
    }
    if (v.name === PASSWORD_VAR || environment.has(v.name)) continue
    const value = v.fallback ?? ''
    if (hasControlChars(value) || value.length > 4096) {
      notices.push(`The default of ${v.name} has a control character or is too long; it was left empty.`)
      environment.set(v.name, '')
      continue
    }
    environment.set(v.name, literal(value))
  }
  if (listen?.via.kind === 'env' && isEnvName(listen.via.name)) environment.set(listen.via.name, String(containerPort))

  const vars = databaseVariables(analysis)
  const databaseVars = vars.url.length ? [...vars.url] : vars.pg.length ? [...vars.pg] : ['DATABASE_URL']
  if (!vars.url.length && !vars.pg.length)
    notices.push('The code reads no database variable Slipway knows (DATABASE_URL, DB_URL, POSTGRES_DSN, PG*); DATABASE_URL is set anyway.')
  for (const name of vars.url.length || !vars.pg.length ? databaseVars : []) environment.set(name, databaseUrl(dbUser, dbName))
  if (!vars.url.length && vars.pg.length) {
    const pg: Record<(typeof PG_VARS)[number], string> = {
      PGHOST: 'db',
      PGPORT: '5432',
      PGUSER: dbUser,
      PGPASSWORD: `\${${PASSWORD_VAR}}`,
      PGDATABASE: dbName,
      PGSSLMODE: 'disable',
    }
    for (const n of PG_VARS) environment.set(n, pg[n])
  }

  const wired = new Set([...databaseVars, ...(vars.url.length ? [] : vars.pg)])
  for (const [name, value] of Object.entries(choices.env ?? {})) {
    if (!isEnvName(name) || name === PASSWORD_VAR) throw new Error(`${showText(name)} cannot be set as a variable of the app.`)
    if (wired.has(name)) throw new Error(`${name} is wired to the stack's database by Slipway and cannot be set.`)
    if (hasControlChars(value)) throw new Error(`The value of ${name} has a control character.`)
    environment.set(name, literal(value))
  }

  const bind = (source: string, target: string, what: string): BindMount => {
    if (hasControlChars(source) || source.length > 4096 || !source.startsWith('/')) throw new Error(`The ${what} path ${showText(source)} cannot be mounted.`)
    return { type: 'bind', source: literal(source), target, read_only: true }
  }
  const appVolumes: BindMount[] = []
  if (choices.envFile) {
    if (!/^\/[A-Za-z0-9._/-]{1,1024}$/.test(choices.envFile.target) || choices.envFile.target.split('/').includes('..'))
      throw new Error(`The .env target ${showText(choices.envFile.target)} is not a plain absolute path.`)
    appVolumes.push(bind(choices.envFile.source, choices.envFile.target, '.env'))
  }
  const initdb: BindMount[] = []
  for (const f of choices.initdb ?? []) {
    if (!/^[A-Za-z0-9._-]{1,255}\.sql$/i.test(f.name)) throw new Error(`The initdb file name ${showText(f.name)} is not a plain .sql name.`)
    initdb.push(bind(f.source, `/docker-entrypoint-initdb.d/${f.name}`, 'SQL file'))
  }

  const labels: Record<string, string> = { [STACK_LABEL]: '1' }
  if (choices.dir !== undefined) {
    if (hasControlChars(choices.dir) || choices.dir.length > 4096) notices.push('The project folder\'s path has a control character; the stack was not labelled with it.')
    else labels[STACK_DIR_LABEL] = literal(choices.dir)
  }
  const compose: ComposeDocument = {
    services: {
      app: {
        image: choices.appImage,
        environment: Object.fromEntries(environment),
        labels,
        ports: [`127.0.0.1:${choices.hostPort}:${containerPort}`],
        depends_on: { db: { condition: 'service_healthy' } },
        ...(appVolumes.length ? { volumes: appVolumes } : {}),
      },
      db: {
        image: postgresImage,
        environment: { POSTGRES_DB: dbName, POSTGRES_USER: dbUser, POSTGRES_PASSWORD: `\${${PASSWORD_VAR}}` },
        labels,
        ports: [`127.0.0.1:${choices.dbHostPort}:${POSTGRES_PORT}`],
        volumes: [`${VOLUME_KEY}:/var/lib/postgresql/data`, ...initdb],
        // Exec form: no shell in the image is needed, and nothing is parsed by one.
        healthcheck: { test: ['CMD', 'pg_isready', '-U', dbUser, '-d', dbName, '-h', '127.0.0.1'], interval: '1s', timeout: '5s', retries: 60, start_period: '2s' },
      },
    },
    volumes: { [VOLUME_KEY]: {} } as ComposeDocument['volumes'],
  }
  const yaml = `# Slipway dev stack for ${showText(analysis.name, 80)}: the password comes from the .env next to this file.\n${stringify(compose, { lineWidth: 0, aliasDuplicateObjects: false })}`
  return { project, compose, yaml, databaseVars, containerPort, dbName, dbUser, volume: `${project}_${VOLUME_KEY}`, notices }
}

/** The env file next to the compose file: only the password. Refuses one that would need quoting. */
export function stackEnvFile(password: string): string {
  if (!PASSWORD.test(password)) throw new Error('The database password must be 16-128 letters, digits, _ or -.')
  return `${PASSWORD_VAR}=${password}\n`
}

/** The password from an env file written by `stackEnvFile`; null when there is none. */
export function passwordFromEnvFile(text: string): string | null {
  const m = new RegExp(`^${PASSWORD_VAR}=(.*)$`, 'm').exec(text)
  const value = m?.[1]?.trim()
  return value && PASSWORD.test(value) ? value : null
}
