/**
 * Import paths and what they mean for an image: the standard library, packages that need cgo or
 * make outbound TLS calls, network and web-framework imports, and the name an import is referred by.
 * Pure tables and lookups shared by the scanner (go-source.ts), scanLevel and the service.
 */
import type { GoValue } from './scan-types'

/** Well-known packages that need cgo (prefix match on the import path). */
export const CGO_PACKAGES: readonly string[] = [
  'github.com/mattn/go-sqlite3', 'gorm.io/driver/sqlite', 'github.com/gographics/imagick', 'gopkg.in/gographics/imagick',
  'github.com/confluentinc/confluent-kafka-go', 'github.com/mattn/go-oci8', 'github.com/godror/godror', 'github.com/google/gopacket/pcap',
  'github.com/tecbot/gorocksdb', 'github.com/linxGnu/grocksdb', 'github.com/h2non/bimg', 'github.com/davidbyttow/govips',
  'github.com/libgit2/git2go', 'github.com/veandco/go-sdl2', 'github.com/go-gl/glfw', 'github.com/go-gl/gl', 'github.com/miekg/pkcs11',
  'github.com/DataDog/zstd', 'github.com/valyala/gozstd', 'github.com/ibmdb/go_ibm_db', 'github.com/seccomp/libseccomp-golang',
  'github.com/mattn/go-gtk', 'github.com/gotk3/gotk3', 'github.com/karalabe/hid',
]

/** Imports that mean outbound TLS (SDKs for hosted APIs, gRPC credentials, mail). */
export const TLS_PACKAGES: readonly string[] = [
  'google.golang.org/grpc/credentials', 'github.com/aws/aws-sdk-go', 'github.com/aws/aws-sdk-go-v2', 'cloud.google.com/go',
  'google.golang.org/api', 'firebase.google.com/go', 'github.com/Azure/azure-sdk-for-go', 'github.com/stripe/stripe-go',
  'github.com/twilio/twilio-go', 'github.com/sendgrid/sendgrid-go', 'github.com/slack-go/slack', 'github.com/google/go-github',
  'github.com/getsentry/sentry-go', 'github.com/go-resty/resty', 'golang.org/x/oauth2', 'github.com/minio/minio-go',
  'github.com/sashabaranov/go-openai', 'github.com/openai/openai-go', 'github.com/anthropics/anthropic-sdk-go',
  'github.com/mailgun/mailgun-go', 'github.com/hashicorp/vault/api', 'github.com/bwmarrin/discordgo',
  'github.com/go-telegram-bot-api/telegram-bot-api', 'github.com/coreos/go-oidc', 'github.com/elastic/go-elasticsearch',
  'github.com/newrelic/go-agent', 'go.opentelemetry.io/otel/exporters/otlp', 'net/smtp',
]

/** CGO_PACKAGES and TLS_PACKAGES by host, for inList. */
export const CGO_INDEX = indexByHost(CGO_PACKAGES)
export const TLS_INDEX = indexByHost(TLS_PACKAGES)
/** Imports that make a program a network client or server (an https:// URL in such a file means outbound TLS). */
export const NETWORK_IMPORTS = new Set(['net/http', 'net', 'crypto/tls', 'github.com/gorilla/websocket', 'nhooyr.io/websocket', 'github.com/coder/websocket', 'golang.org/x/net/websocket', 'google.golang.org/grpc'])
/** Packages with Go's flag API (flag.String, pflag.StringP, FlagSets). */
export const FLAG_PACKAGES = new Set(['flag', 'github.com/spf13/pflag'])
/** Template packages whose ParseFiles/ParseGlob read files at run time. */
export const TEMPLATE_PACKAGES = new Set(['text/template', 'html/template'])
/** Web frameworks: their constructors, and the methods that listen (with the address argument's index). */
export const FRAMEWORKS: Record<string, { ctor: string[]; run: Record<string, number> }> = {
  'github.com/gin-gonic/gin': { ctor: ['Default', 'New'], run: { Run: 0, RunTLS: 0 } },
  'github.com/labstack/echo/v4': { ctor: ['New'], run: { Start: 0, StartTLS: 0 } },
  'github.com/labstack/echo': { ctor: ['New'], run: { Start: 0, StartTLS: 0 } },
  'github.com/gofiber/fiber/v2': { ctor: ['New'], run: { Listen: 0, ListenTLS: 0 } },
  'github.com/gofiber/fiber/v3': { ctor: ['New'], run: { Listen: 0 } },
}
/** The name a package is referred to by when imported without an explicit name (a best guess for non-stdlib paths). */
export function defaultImportName(path: string): string {
  let name = importNameCache.get(path)
  if (name === undefined) {
    name = guessImportName(path)
    if (importNameCache.size < 10_000) importNameCache.set(path, name)
  }
  return name
}

const importNameCache = new Map<string, string>()

function guessImportName(path: string): string {
  const parts = path.split('/')
  let last = parts[parts.length - 1] ?? path
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] ?? last
  if (path.startsWith('gopkg.in/')) last = last.replace(/\.v\d+$/, '')
  return last.replace(/^go-/, '').replace(/[-.]go$/, '').replace(/[^A-Za-z0-9_]/g, '')
}

/** Package lists indexed by their first path element (the host), so a lookup tries a handful of prefixes, not all. */
function indexByHost(list: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>()
  for (const p of list) {
    const host = p.split('/')[0] ?? p
    index.set(host, [...(index.get(host) ?? []), p])
  }
  return index
}

/** Whether `path` is one of the packages in an index built by indexByHost (or below one). */
export function inList(path: string, index: ReadonlyMap<string, readonly string[]>): boolean {
  const slash = path.indexOf('/')
  const candidates = index.get(slash < 0 ? path : path.slice(0, slash))
  return candidates !== undefined && candidates.some((p) => underPath(path, p))
}

/** Standard-library import paths have no dot in their first element. */
export function isStdlib(path: string): boolean {
  const slash = path.indexOf('/')
  const first = slash < 0 ? path : path.slice(0, slash)
  return !first.includes('.')
}

/** True when `path` is `prefix` or lies under it. */
export function underPath(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || (prefix.endsWith('-go') && path.startsWith(prefix))
}

/** True when a value is a constant string (a literal, or literals joined with `+`). */
export function isConstString(v: GoValue): boolean {
  return v.k === 'str' || (v.k === 'cat' && v.parts.every(isConstString))
}
