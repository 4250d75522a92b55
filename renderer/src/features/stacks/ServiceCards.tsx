import { Badge, IconButton, Spinner, Text, Tooltip } from '@radix-ui/themes'
import { Database, RotateCw, Server } from 'lucide-react'
import type { StackService } from '../../../../shared/stack/types'
import { phaseView, serviceColour, type PhaseView } from './stack-model'

/** What a card shows of a service: its state, or what the proposal says it will be before it exists. */
export interface ServiceCardModel {
  service: string
  /** The image it runs, or would run. */
  image: string | null
  /** Ports published on 127.0.0.1 (or proposed). */
  ports: { host: number; container: number }[]
  phase: PhaseView
  /** It has a container that can be restarted. */
  restartable: boolean
}

/** The card model of a service from its status; `starting`: an Up job waits for it. */
export function cardOf(s: StackService, starting: boolean, fallbackImage: string | null): ServiceCardModel {
  return { service: s.service, image: s.image ?? fallbackImage, ports: s.ports, phase: phaseView(s, starting), restartable: s.containerId !== null && !starting }
}

function Card({ card, role, onRestart, restarting }: { card: ServiceCardModel; role: string; onRestart: (() => void) | null; restarting: boolean }) {
  const Icon = card.service === 'db' ? Database : Server
  return (
    <div className="stack-card" data-testid={`stack-service-${card.service}`} data-phase={card.phase.label}>
      <div className="stack-card-head">
        <span className="stack-card-icon" style={{ color: `var(--${serviceColour(card.service)}-11)` }} aria-hidden>
          <Icon size={15} strokeWidth={1.75} />
        </span>
        <span className="stack-card-name">{card.service}</span>
        <Text size="1" color="gray" className="stack-card-role">
          {role}
        </Text>
        {onRestart && (
          <Tooltip content={`Restart ${card.service}`}>
            <IconButton size="1" variant="ghost" color="gray" aria-label={`Restart ${card.service}`} onClick={onRestart} disabled={!card.restartable || restarting} className="stack-card-restart">
              <Spinner loading={restarting} size="1">
                <RotateCw size={13} aria-hidden />
              </Spinner>
            </IconButton>
          </Tooltip>
        )}
      </div>
      <div className="stack-card-image" title={card.image ?? undefined}>
        {card.image ?? '—'}
      </div>
      <div className="stack-card-foot">
        <Badge size="1" color={card.phase.tone} data-testid="stack-phase">
          {card.phase.busy && <Spinner size="1" />}
          {card.phase.label}
        </Badge>
        <Text size="1" color="gray" className="tabular stack-card-ports">
          {card.ports.length ? card.ports.map((p) => `127.0.0.1:${p.host} → ${p.container}`).join(', ') : 'no published port'}
        </Text>
      </div>
    </div>
  )
}

/** The stack as a diagram: the app, the wire to the database (the variable it reads), the database. */
export function ServiceCards({
  app,
  db,
  link,
  onRestart,
  restarting,
}: {
  app: ServiceCardModel
  db: ServiceCardModel
  /** The variables the database URL reaches the app through. */
  link: string
  onRestart: ((service: string) => void) | null
  restarting: string | null
}) {
  return (
    <div className="stack-diagram" role="group" aria-label="Services">
      <Card card={app} role="your app" onRestart={onRestart && (() => onRestart(app.service))} restarting={restarting === app.service} />
      <div className="stack-link" aria-hidden="true">
        <span className="stack-link-label">{link}</span>
        <span className="stack-link-line" />
      </div>
      <Card card={db} role="Postgres" onRestart={onRestart && (() => onRestart(db.service))} restarting={restarting === db.service} />
    </div>
  )
}

/** Services of a compose file that is not Slipway's pair (the project's own): one card each, in a grid. */
export function ServiceGrid({ cards, onRestart, restarting }: { cards: ServiceCardModel[]; onRestart: ((service: string) => void) | null; restarting: string | null }) {
  return (
    <div className="stack-grid" role="group" aria-label="Services">
      {cards.map((c) => (
        <Card key={c.service} card={c} role="" onRestart={onRestart && (() => onRestart(c.service))} restarting={restarting === c.service} />
      ))}
    </div>
  )
}
