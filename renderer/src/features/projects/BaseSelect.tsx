import { Select } from '@radix-ui/themes'
import type { ProjectAnalysis } from '../../../../shared/types/project'
import { useApp } from '../../stores'
import { baseMisfit } from './base-fit'
import type { RecipeView } from './recipe-view'

/**
 * The base picker the Dockerfile panel and the build view share: every base of the catalog, the
 * recommended one marked, misfits (cgo on a base that cannot run it) disabled. Choosing the
 * recommended base clears the choice, so the project follows the recommendation again.
 */
export function BaseSelect({
  analysis,
  view,
  labelledBy,
  className,
  value,
  disabled,
  testId,
}: {
  analysis: ProjectAnalysis
  view: RecipeView
  labelledBy: string
  className: string
  /** Shown instead of the chosen base (the base a running build uses). */
  value?: string
  disabled?: boolean
  testId?: string
}) {
  const selectBase = useApp((s) => s.selectBase)
  return (
    <Select.Root size="1" value={value ?? view.base.id} onValueChange={(id) => selectBase(id === view.recommended.id ? null : id)} disabled={disabled ?? false}>
      <Select.Trigger variant="surface" className={className} aria-labelledby={labelledBy} data-testid={testId} />
      <Select.Content position="popper">
        {view.bases.map((b) => (
          <Select.Item key={b.id} value={b.id} disabled={baseMisfit(analysis, b) !== null}>
            {b.label}
            {b.id === view.recommended.id ? ' · recommended' : ''}
          </Select.Item>
        ))}
      </Select.Content>
    </Select.Root>
  )
}
