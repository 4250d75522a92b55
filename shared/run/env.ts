// Which environment variables hold secrets, and the checks a variable passes before it reaches a
// container. Shared so the run dialog masks a secret the person types in as the service would.

/** Names that usually carry a password, token, key or a connection string with credentials in it. */
const SECRET = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH|(^|_)DSN$|(^|_)DATABASE_URL$|(^|_)DB_URL$|(^|_)CONN(ECTION)?_?STR(ING)?$/i

/** Whether a variable named `name` should be shown masked. Errs on the masked side ("KEYBOARD_LAYOUT" is masked too). */
export function isSecretName(name: string): boolean {
  return SECRET.test(name)
}

/** A variable name the engine and every shell accept: letters, digits and _, not starting with a digit. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `KEY=VALUE` (the value may be empty or contain `=`); null when the name is not a valid variable name. */
export function parseEnvAssignment(text: string): { name: string; value: string } | null {
  const eq = text.indexOf('=')
  const name = eq < 0 ? text : text.slice(0, eq)
  if (!ENV_NAME.test(name)) return null
  return { name, value: eq < 0 ? '' : text.slice(eq + 1) }
}

/** `HOST:CONTAINER` or `CONTAINER` (same number on both sides), each 1-65535; null otherwise. */
export function parsePortMapping(text: string): { host: number; container: number } | null {
  const m = /^(?:(\d{1,5}):)?(\d{1,5})(?:\/tcp)?$/.exec(text.trim())
  if (!m) return null
  const container = Number(m[2])
  const host = m[1] === undefined ? container : Number(m[1])
  const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535
  return ok(host) && ok(container) ? { host, container } : null
}
