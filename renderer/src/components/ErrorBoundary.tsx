import { Button, Callout } from '@radix-ui/themes'
import { CircleExclamationPoint } from 'lucide-react'
import { Component, type ReactNode } from 'react'

interface Props {
  /** What failed, in words: "Showing this project failed". */
  what: string
  children: ReactNode
  /** Called by "Try again" before the children are shown again (e.g. to fetch a failed chunk afresh). */
  onRetry?: () => void
}

/** Keeps one part of the page from taking the whole app down: shows the error and a way to try again. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error }
  }

  override render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div className="error-boundary">
        <Callout.Root color="red" size="1" role="alert">
          <Callout.Icon>
            <CircleExclamationPoint size={15} />
          </Callout.Icon>
          <Callout.Text>
            <strong>{this.props.what}.</strong> <span className="selectable">{error.message}</span>
          </Callout.Text>
          <div>
            <Button size="1" variant="soft" color="gray" onClick={() => {
                this.props.onRetry?.()
                this.setState({ error: null })
              }}>
              Try again
            </Button>
          </div>
        </Callout.Root>
      </div>
    )
  }
}
