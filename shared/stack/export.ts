// The stack as files a project can keep: compose.yaml and .env.example, for people who run it
// without Slipway (`docker compose up` with a filled .env). Made from the same definition as
// Slipway's own stack, with what only makes sense on this computer taken out: no Slipway labels
// (they name this machine's path), host ports as variables with the stack's ports as defaults, and
// nothing secret — the database password and every secret-named variable are interpolated from
// .env, and .env.example holds placeholders only. Pure, so the preview and the file written agree.
import { stringify } from 'yaml'
import { showText } from '../dockerfile/safe-text'
import { isSecretName } from '../run/env'
import { databaseUrl, POSTGRES_PORT, type ComposeDocument, type ComposeService, type StackDefinition } from './compose'

/** The variable of an exported stack's .env that holds the database password. */
export const EXPORT_PASSWORD_VAR = 'POSTGRES_PASSWORD'
/** The variables of an exported stack's .env that choose the host ports. */
export const EXPORT_APP_PORT_VAR = 'APP_PORT'
export const EXPORT_DB_PORT_VAR = 'DB_PORT'
/** What .env.example says instead of a password. */
export const PASSWORD_PLACEHOLDER = 'change-me'

/** The two files Export writes into the project. */
export interface ExportedStack {
  composeYaml: string
  envExample: string
}

/**
 * compose.yaml and .env.example for `def` (made by `composeStack`), its ports `hostPort`/`dbHostPort`
 * becoming the defaults of APP_PORT/DB_PORT. `envFileMount` is where the app's .env is mounted
 * (`/app/.env`) when the program reads one at start; the project's own .env is mounted there.
 */
export function exportStack(
  def: StackDefinition,
  opts: { projectName: string; hostPort: number; dbHostPort: number; envFileMount?: string | null; initdb?: string[] },
): ExportedStack {
  const password = `\${${EXPORT_PASSWORD_VAR}:?set ${EXPORT_PASSWORD_VAR} in .env (see .env.example)}`
  const { app, db } = def.compose.services
  const wired = new Set(def.databaseVars)
  const secrets: string[] = []
  const environment: Record<string, string> = {}
  for (const [name, value] of Object.entries(app.environment)) {
    if (wired.has(name)) environment[name] = databaseUrl(def.dbUser, def.dbName, password)
    else if (name === 'PGPASSWORD') environment[name] = password
    else if (isSecretName(name)) {
      // The value stays on this computer; the exported file reads it from .env.
      environment[name] = `\${${name}:-}`
      secrets.push(name)
    } else environment[name] = value
  }
  // Labels name this computer's folder, and bind mounts its absolute paths: neither belongs in a project's file.
  const strip = ({ labels: _labels, volumes: _volumes, ...s }: ComposeService): Omit<ComposeService, 'labels' | 'volumes'> => s
  const appVolumes = opts.envFileMount ? [`./.env:${opts.envFileMount}:ro`] : []
  const dbVolumes = [...(db.volumes ?? []).filter((v) => typeof v === 'string'), ...(opts.initdb ?? []).map((f) => `./${f}:/docker-entrypoint-initdb.d/${initdbName(f)}:ro`)]
  const compose: { services: Record<'app' | 'db', Omit<ComposeService, 'labels'>>; volumes: ComposeDocument['volumes'] } = {
    services: {
      app: {
        ...strip(app),
        environment,
        ports: [`127.0.0.1:\${${EXPORT_APP_PORT_VAR}:-${opts.hostPort}}:${def.containerPort}`],
        ...(appVolumes.length ? { volumes: appVolumes } : {}),
      },
      db: {
        ...strip(db),
        environment: { ...db.environment, POSTGRES_PASSWORD: password },
        ports: [`127.0.0.1:\${${EXPORT_DB_PORT_VAR}:-${opts.dbHostPort}}:${POSTGRES_PORT}`],
        volumes: dbVolumes,
      },
    },
    volumes: def.compose.volumes,
  }
  const head = [
    `# Dev stack for ${showText(opts.projectName, 80)}, exported by Slipway: the app and Postgres with its data in a named volume.`,
    '# Copy .env.example to .env, set POSTGRES_PASSWORD (and the other values), then: docker compose up',
    `# The app image is the one Slipway built (${showText(app.image, 120)}); build it first on a new machine.`,
  ]
  const env = [
    '# Copy to .env (keep .env out of version control) and fill in. Read by compose.yaml.',
    `${EXPORT_PASSWORD_VAR}=${PASSWORD_PLACEHOLDER}`,
    `${EXPORT_APP_PORT_VAR}=${opts.hostPort}`,
    `${EXPORT_DB_PORT_VAR}=${opts.dbHostPort}`,
    ...secrets.map((n) => `${n}=`),
  ]
  return { composeYaml: `${head.join('\n')}\n${stringify(compose, { lineWidth: 0, aliasDuplicateObjects: false })}`, envExample: `${env.join('\n')}\n` }
}

/**
 * The name an initdb file gets in /docker-entrypoint-initdb.d: Postgres runs them in name order, so
 * the project path is kept in it (`schema/01.sql` → `schema_01.sql`), keeping the folders' order.
 */
export function initdbName(path: string): string {
  return path.replace(/\//g, '_')
}
