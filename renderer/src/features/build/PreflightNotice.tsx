import { Callout, Code, IconButton, Text } from '@radix-ui/themes'
import { CircleExclamationPoint, TriangleExclamationPoint, X } from 'lucide-react'
import { formatBytes } from '../../../../shared/format'
import type { PreflightFinding } from '../../../../shared/types/build'
import { CopyButton } from '../../components/CopyButton'

function Finding({ f }: { f: PreflightFinding }) {
  return (
    <li className="preflight-item" data-level={f.level} data-testid={`preflight-${f.code}`}>
      <Text as="p" size="2" weight="medium" className="selectable">
        {f.message}
      </Text>
      {f.detail && (
        <Text as="p" size="1" color="gray" className="selectable">
          {f.detail}
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

/** Preflight findings: blocking ones say why the build did not start; warnings travel with a build that did. */
export function PreflightNotice({ findings, onDismiss }: { findings: readonly PreflightFinding[]; onDismiss?: () => void }) {
  const blocking = findings.filter((f) => f.level === 'blocking')
  const warnings = findings.filter((f) => f.level === 'warning')
  return (
    <>
      {blocking.length > 0 && (
        <Callout.Root color="red" size="1" className="build-callout" role="alert" data-testid="preflight-blocking">
          <Callout.Icon>
            <CircleExclamationPoint size={15} />
          </Callout.Icon>
          <div className="build-callout-body">
            <Text as="p" size="2" weight="bold">
              The build did not start
            </Text>
            <ul className="preflight-list">
              {blocking.map((f) => (
                <Finding key={f.code + f.message} f={f} />
              ))}
            </ul>
          </div>
          {onDismiss && (
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
