// Image references as Docker reads them: [registry[:port]/]path[:tag][@digest]. Pure string work.

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
