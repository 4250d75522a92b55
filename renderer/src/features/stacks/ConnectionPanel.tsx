import { Button, IconButton, Text, Tooltip } from '@radix-ui/themes'
import { ExternalLink, Eye, EyeOff } from 'lucide-react'
import { useState } from 'react'
import type { StackConnection } from '../../../../shared/stack/types'
import { CopyButton } from '../../components/CopyButton'
import { maskPassword } from './stack-model'

function Secret({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [reveal, setReveal] = useState(false)
  return (
    <div className="stack-conn-row">
      <Text size="1" color="gray" className="stack-conn-label">
        {label}
      </Text>
      <code className="stack-conn-value selectable" data-testid={testId}>
        {reveal ? value : maskPassword(value)}
      </code>
      <Tooltip content={reveal ? 'Hide the password' : 'Show the password'}>
        <IconButton size="1" variant="ghost" color="gray" aria-label={reveal ? `Hide the password in the ${label}` : `Show the password in the ${label}`} onClick={() => setReveal((r) => !r)}>
          {reveal ? <EyeOff size={13} aria-hidden /> : <Eye size={13} aria-hidden />}
        </IconButton>
      </Tooltip>
      <CopyButton text={value} label={`Copy the ${label}`} testId={`${testId}-copy`} />
    </div>
  )
}

/** How to reach the running stack from this computer: the app's URL, the database URL and a psql command, each copyable. */
export function ConnectionPanel({ connection }: { connection: StackConnection }) {
  return (
    <section className="stack-panel stack-conn" aria-label="Connection" data-testid="stack-connection">
      <Text as="div" size="2" weight="medium" className="stack-panel-title">
        Connection
      </Text>
      <div className="stack-conn-row">
        <Text size="1" color="gray" className="stack-conn-label">
          App
        </Text>
        {connection.appUrl ? (
          <>
            <code className="stack-conn-value selectable">{connection.appUrl}</code>
            <Button asChild size="1" variant="soft">
              {/* A plain link: the browser opens a tab; the desktop app hands it to the system browser. */}
              <a href={connection.appUrl} target="_blank" rel="noopener noreferrer" data-testid="stack-open-app">
                <ExternalLink size={13} aria-hidden /> Open app
              </a>
            </Button>
            <CopyButton text={connection.appUrl} label="Copy the app's URL" />
          </>
        ) : (
          <Text size="2" color="gray" className="stack-conn-value">
            The app publishes no port right now.
          </Text>
        )}
      </div>
      <Secret label="database URL" value={connection.databaseUrl} testId="stack-db-url" />
      <Secret label="psql command" value={connection.psql} testId="stack-psql" />
      <Text as="p" size="1" color="gray" className="stack-conn-note">
        Published on 127.0.0.1 only (database port {connection.dbHostPort}): reachable from this computer, not from the network.
      </Text>
    </section>
  )
}
