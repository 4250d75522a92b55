import { Badge, Text } from '@radix-ui/themes'
import { Database, Server } from 'lucide-react'
import { EmptyState } from '../../components/EmptyState'
import { PageToolbar } from '../shell/PageToolbar'

/** Stacks: dev stacks (the app plus Postgres) arrive in a later issue; this page says what they will be. */
export function StacksPage() {
  return (
    <>
      <PageToolbar title="Stacks" subtitle="Your app with its database, for development" />
      <div className="page-body">
        <div className="page-narrow page-center">
          <div className="stack-diagram" aria-hidden="true">
            <div className="stack-node">
              <Server size={15} strokeWidth={1.75} />
              <div>
                <Text as="div" size="2" weight="medium">
                  app
                </Text>
                <Text as="div" size="1" color="gray" className="tabular">
                  :8080
                </Text>
              </div>
            </div>
            <div className="stack-link" />
            <div className="stack-node">
              <Database size={15} strokeWidth={1.75} />
              <div>
                <Text as="div" size="2" weight="medium">
                  postgres
                </Text>
                <Text as="div" size="1" color="gray" className="tabular">
                  :5432
                </Text>
              </div>
            </div>
          </div>
          <EmptyState
            title="Dev stacks arrive later"
            footer={
              <Badge size="1" variant="soft" color="gray">
                Planned
              </Badge>
            }
          >
            Start a built image next to a Postgres database with one click. Slipway writes the compose file, starts both, and shows their logs and
            published ports here.
          </EmptyState>
        </div>
      </div>
    </>
  )
}
