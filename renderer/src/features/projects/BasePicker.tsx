import { Heading, RadioCards, Text } from '@radix-ui/themes'
import { Check, Minus, Plus, Star } from 'lucide-react'
import { formatBytes } from '../../../../shared/format'
import type { BaseImage } from '../../../../shared/dockerfile/bases'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { FixText } from '../../components/FixText'
import { useApp } from '../../stores'
import { baseFacts, baseMisfit } from './base-fit'
import type { RecipeView } from './recipe-view'

function Facts({ base }: { base: BaseImage }) {
  return (
    <span className="base-facts">
      {baseFacts(base).map((f) => (
        <span key={f.key} className="base-fact" data-on={f.on === null ? undefined : String(f.on)} title={f.title}>
          {f.on === true && <Check size={11} strokeWidth={2.5} aria-hidden />}
          {f.on === false ? `no ${f.label}` : f.label}
        </span>
      ))}
    </span>
  )
}

function BaseCard({ base, recommended, misfit }: { base: BaseImage; recommended: boolean; misfit: string | null }) {
  const id = `base-${base.id}`
  return (
    <RadioCards.Item
      value={base.id}
      disabled={misfit !== null}
      className="base-card"
      aria-labelledby={`${id}-label`}
      aria-describedby={`${id}-desc`}
      data-testid={`base-${base.id}`}
    >
      <span className="base-card-inner">
        <span className="base-card-head">
          <span className="base-card-label" id={`${id}-label`}>
            {base.label}
          </span>
          {recommended && (
            <span className="base-recommended">
              <Star size={11} aria-hidden />
              Recommended
            </span>
          )}
          <span className="base-size tabular" title="Typical size of the base image alone">
            {base.typicalSizeBytes === 0 ? '0 MB' : formatBytes(base.typicalSizeBytes)}
          </span>
        </span>
        <span className="base-image mono">{base.image}</span>
        <span id={`${id}-desc`} className="base-card-desc">
          <Facts base={base} />
          {misfit ? (
            <span className="base-misfit">{misfit}</span>
          ) : (
            <span className="base-summary">{base.summary}</span>
          )}
          <span className="base-procon">
            {base.pros.map((p) => (
              <span key={p} className="base-pro">
                <Plus size={11} strokeWidth={2.5} aria-hidden />
                <span>
                  <FixText text={p} />
                </span>
              </span>
            ))}
            {base.cons.map((c) => (
              <span key={c} className="base-con">
                <Minus size={11} strokeWidth={2.5} aria-hidden />
                <span>
                  <FixText text={c} />
                </span>
              </span>
            ))}
          </span>
        </span>
      </span>
    </RadioCards.Item>
  )
}

/** The runtime bases as radio cards with their trade-offs; bases that cannot run the project are disabled with the reason. */
export function BasePicker({ analysis, view }: { analysis: ProjectAnalysis; view: RecipeView }) {
  const selectBase = useApp((s) => s.selectBase)
  return (
    <section className="panel bases-panel" aria-labelledby="bases-title">
      <header className="panel-header">
        <Heading as="h2" size="2" id="bases-title">
          Runtime base
        </Heading>
        <Text size="1" color="gray" ml="auto" truncate>
          The final stage starts from it
        </Text>
      </header>
      <div className="bases-body">
        <RadioCards.Root
          value={view.base.id}
          onValueChange={(id) => selectBase(id === view.recommended.id ? null : id)}
          columns="1"
          gap="2"
          size="1"
          aria-labelledby="bases-title"
          className="base-cards"
        >
          {view.bases.map((b) => (
            <BaseCard key={b.id} base={b} recommended={b.id === view.recommended.id} misfit={baseMisfit(analysis, b)} />
          ))}
        </RadioCards.Root>
        {view.baseProblems.length > 0 && (
          <div className="bases-problems" role="note">
            <Text size="1" weight="medium">
              Some of your custom bases were skipped
            </Text>
            <ul>
              {view.baseProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  )
}
