import './build.css'
import { Button, Callout, Code, IconButton, Progress, Spinner, Text } from '@radix-ui/themes'
import { CircleExclamationPoint, PackagePlus, TriangleExclamationPoint, X } from 'lucide-react'
import { offersText, type MakeOffer } from '../../../../shared/debian/stand-ins'
import { formatBytes } from '../../../../shared/format'
import type { PreflightFinding } from '../../../../shared/types/build'
import { CopyButton } from '../../components/CopyButton'
import { FixText } from '../../components/FixText'
import { offersOf, type OfferMaking } from '../../stores/make-offers'

function Finding({ f }: { f: PreflightFinding }) {
  return (
    <li className="preflight-item" data-level={f.level} data-testid={`preflight-${f.code}`}>
      <Text as="p" size="2" weight="medium" className="selectable">
        {f.message}
      </Text>
      {f.detail && (
        <Text as="p" size="1" color="gray" className="selectable">
          <FixText text={f.detail} />
        </Text>
      )}
      {f.biggest && f.biggest.length > 0 && (
        <table className="preflight-biggest">
          <tbody>
            {f.biggest.slice(0, 5).map((b) => (
              <tr key={b.path}>
                <td className="mono selectable">{b.path}</td>
                <td className="tabular num">{formatBytes(b.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {f.ignoreLine && (
        <div className="preflight-ignore">
          <Text size="1" color="gray">
            Add this line to .dockerignore to leave it out:
          </Text>
          <Code size="1" variant="soft" className="selectable" data-testid="ignore-line">
            {f.ignoreLine}
          </Code>
          <CopyButton text={f.ignoreLine} label="Copy the .dockerignore line" />
        </div>
      )}
    </li>
  )
}

/** What follows once the bases are in place, in the offer's two sentences. */
type OfferThen = 'build' | 'compare' | 'up'
const THEN: Record<OfferThen, [string, string]> = {
  build: ['build', 'builds'],
  compare: ['compare', 'compares'],
  up: ['press Up', 'Up builds the app on it'],
}

/** What making the offered bases is doing now, in words and as a fraction (null: not known). */
function makingStatus(m: OfferMaking): { text: string; ratio: number | null } {
  const p = m.progress
  if (m.cancelling) return { text: 'Cancelling…', ratio: null }
  if (!p) return { text: 'Reading the Debian mirror…', ratio: null }
  if (p.phase === 'downloading' && p.total > 0) return { text: `Downloading ${formatBytes(p.done)} of ${formatBytes(p.total)}`, ratio: p.done / p.total }
  return { text: p.message, ratio: p.total > 0 ? p.done / p.total : null }
}

/**
 * The way out of an image that cannot be pulled: make the stand-in from Debian packages (or use the
 * one made here), point Settings at it and build — one click, with progress and Cancel.
 */
function MakeOfferAction({
  offers,
  making,
  onMake,
  onCancel,
  then,
}: {
  offers: MakeOffer[]
  making: OfferMaking | null
  onMake: () => void
  onCancel: () => void
  then: OfferThen
}) {
  const busy = making !== null && making.error === null
  const status = busy ? makingStatus(making) : null
  const them = offers.length > 1 ? 'them' : 'it'
  return (
    <div className="preflight-offer" data-testid="make-offer">
      <Text as="p" size="1" color="gray">
        {offers.every((o) => o.present)
          ? `Slipway made ${them} here earlier: point Settings at ${them} and ${THEN[then][0]}.`
          : `Slipway makes ${them} from the Debian packages of your mirror (no registry needed), points Settings at ${them}, then ${THEN[then][1]}.`}
      </Text>
      {status ? (
        <div className="preflight-making" role="status" aria-live="polite" data-testid="make-progress">
          <Spinner size="1" />
          <Text size="1" className="preflight-making-text tabular" truncate>
            {status.text}
          </Text>
          <Progress size="1" className="preflight-making-bar" aria-label="Making the bases" {...(status.ratio === null ? {} : { value: Math.round(status.ratio * 100) })} />
          <Button size="1" variant="soft" color="gray" onClick={onCancel} disabled={making?.cancelling} data-testid="make-cancel">
            Cancel
          </Button>
        </div>
      ) : (
        <Button size="1" color="indigo" onClick={onMake} className="preflight-make" data-testid="make-accept">
          <PackagePlus size={13} aria-hidden />
          <span className="preflight-make-text">{offersText(offers)}</span>
        </Button>
      )}
      {making?.error && (
        <Text as="p" size="1" color="red" role="alert" className="selectable" data-testid="make-error">
          {making.error.message} {making.error.detail}
        </Text>
      )}
    </div>
  )
}

/** Preflight findings: blocking ones say why the build did not start; warnings travel with a build that did. */
export function PreflightNotice({
  findings,
  title = 'The build did not start',
  then = 'build',
  onDismiss,
  making = null,
  onMake,
  onCancelMake,
}: {
  findings: readonly PreflightFinding[]
  /** What did not start (the build, the comparison). */
  title?: string
  /** What happens once the bases are in place. */
  then?: OfferThen
  onDismiss?: () => void
  /** Accepting the offer of bases to make (null: not accepted yet). */
  making?: OfferMaking | null
  onMake?: () => void
  onCancelMake?: () => void
}) {
  const blocking = findings.filter((f) => f.level === 'blocking')
  const warnings = findings.filter((f) => f.level === 'warning')
  // The offer is the fix only when every blocking finding is an image Slipway can make.
  const offers = offersOf(findings)
  const offered = onMake && onCancelMake && offers.length > 0
  return (
    <>
      {blocking.length > 0 && (
        <Callout.Root color="red" size="1" className="build-callout" role="alert" data-testid="preflight-blocking">
          <Callout.Icon>
            <CircleExclamationPoint size={15} />
          </Callout.Icon>
          <div className="build-callout-body">
            <Text as="p" size="2" weight="bold">
              {title}
            </Text>
            <ul className="preflight-list">
              {blocking.map((f) => (
                <Finding key={f.code + f.message} f={f} />
              ))}
            </ul>
            {offered && <MakeOfferAction offers={offers} making={making} onMake={onMake} onCancel={onCancelMake} then={then} />}
          </div>
          {onDismiss && !(making && !making.error) && (
            <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss" onClick={onDismiss} className="build-callout-close">
              <X size={14} aria-hidden />
            </IconButton>
          )}
        </Callout.Root>
      )}
      {warnings.length > 0 && (
        <Callout.Root color="amber" size="1" className="build-callout" data-testid="preflight-warnings">
          <Callout.Icon>
            <TriangleExclamationPoint size={15} />
          </Callout.Icon>
          <ul className="preflight-list build-callout-body">
            {warnings.map((f) => (
              <Finding key={f.code + f.message} f={f} />
            ))}
          </ul>
        </Callout.Root>
      )}
    </>
  )
}
