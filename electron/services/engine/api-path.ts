// How an image name becomes part of an Engine API path; used by the layers service and by the CLI's
// light cache lookup (which must not load dockerode).

/**
 * An image name as a segment sequence of an API path. dockerode pastes the name into
 * `/images/NAME/json` as is; each `/`-separated part is percent-encoded here (keeping `:` and `@`,
 * which are valid in a path), so a `%`, `?` or `#` could never change which endpoint is called.
 */
export function apiPathName(image: string): string {
  return image
    .split('/')
    // A lone surrogate cannot be encoded (encodeURIComponent throws): it becomes U+FFFD first.
    .map((part) => encodeURIComponent(part.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')).replace(/%3A/gi, ':').replace(/%40/g, '@'))
    .join('/')
}
