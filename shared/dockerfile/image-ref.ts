// Image references as Docker reads them: [registry[:port]/]path[:tag][@digest]. Pure string work.
import { hasControlChars } from './safe-text'

/** An image reference split into its parts; `tag` and `digest` are null when absent. */
export interface ImageRef {
  /** Everything before the tag and digest: `gcr.io/distroless/static-debian12`. */
  name: string
  tag: string | null
  digest: string | null
}

const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/

/**
 * Splits `registry.corp:5000/team/app:1.2@sha256:…` into name, tag and digest.
 * Returns null when the text is not a valid reference (upper case in the path, empty parts, spaces…).
 */
export function parseImageRef(ref: string): ImageRef | null {
  if (ref.length === 0 || ref.length > 512 || /\s/.test(ref)) return null
  let rest = ref
  let digest: string | null = null
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) return null
  }
  let tag: string | null = null
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) return null
  }
  const parts = rest.split('/')
  const first = parts[0] ?? ''
  // Like Docker: the first element is a registry when it has a dot, a port, or is "localhost".
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasDomain && !DOMAIN.test(first)) return null
  const path = hasDomain ? parts.slice(1).join('/') : rest
  if (!NAME.test(path)) return null
  return { name: rest, tag, digest }
}

/**
 * What is wrong with `ref` as an image reference, in words for a message; null when it is valid.
 * One parser for every place a reference comes from (settings, custom bases, the CLI, the UI).
 */
export function imageRefProblem(ref: string): string | null {
  if (ref.length === 0) return 'is empty'
  if (ref.length > 512) return 'is longer than 512 characters'
  if (hasControlChars(ref)) return 'is not a valid image reference: it contains a control character (a newline, tab, …)'
  if (/\s/.test(ref)) return 'is not a valid image reference: it contains a space'
  if (parseImageRef(ref) === null) return 'is not a valid image reference (lower-case name, optional registry, :tag or @digest)'
  return null
}

const FULL_ID = /^sha256:[0-9a-f]{64}$/
const SHORT_ID = /^[0-9a-f]{12,64}$/

/**
 * What is wrong with `ref` as a name the engine looks an image up by — a full id (`sha256:<64 hex>`),
 * a short id (12 to 64 hex digits) or a valid reference; null when it is one of those. The engine's
 * API puts the name into a URL path, so anything else must not reach it.
 */
export function engineImageRefProblem(ref: string): string | null {
  if (FULL_ID.test(ref) || SHORT_ID.test(ref)) return null
  if (ref.startsWith('sha256:')) return 'is not a valid image id (sha256: and 64 lower-case hex digits)'
  return imageRefProblem(ref)
}

/**
 * Whether a reference names one specific image: a digest, or a tag other than `latest`.
 * `scratch` counts as pinned (it is not an image at all).
 */
export function isPinnedRef(ref: string): boolean {
  if (ref === 'scratch') return true
  const parsed = parseImageRef(ref)
  if (!parsed) return false
  if (parsed.digest) return true
  return parsed.tag !== null && parsed.tag !== 'latest'
}
