import { useMemo } from 'react'
import { splitLines, tokenizeDockerfile, tokenizeDockerignore, type Token } from './dockerfile-tokens'
import type { LineDiff } from './line-diff'
import { TokenLine } from './CodeView'

/** Highlighted tokens for the old and the new side, each tokenized as a whole file (continuations matter). */
export function useDiffTokens(before: string | null, after: string, kind: 'dockerfile' | 'dockerignore'): { old: Token[][]; next: Token[][] } {
  return useMemo(() => {
    const tokenize = kind === 'dockerfile' ? tokenizeDockerfile : tokenizeDockerignore
    return { old: tokenize(splitLines((before ?? '').replace(/\r\n/g, '\n'))), next: tokenize(splitLines(after)) }
  }, [before, after, kind])
}

const MARK = { same: ' ', add: '+', del: '−' } as const

/** A unified diff: old and new line numbers, +/− markers, added and removed lines coloured, folded runs as "⋯". */
export function DiffView({ diff, tokens, label, testId }: { diff: LineDiff; tokens: { old: Token[][]; next: Token[][] }; label: string; testId?: string }) {
  return (
    <div className="diff-view" role="region" aria-label={label} tabIndex={0} data-testid={testId}>
      <div className="code-lines">
        {diff.rows.map((r, i) => {
          if (r.kind === 'skip')
            return (
              <div className="diff-row is-skip" key={i}>
                <span className="diff-no" />
                <span className="diff-no" />
                <span className="diff-mark" />
                <span className="diff-text">
                  ⋯ {r.count} unchanged line{r.count === 1 ? '' : 's'}
                </span>
              </div>
            )
          const t = r.kind === 'del' ? tokens.old[r.oldLine - 1] : tokens.next[r.newLine - 1]
          return (
            <div className="diff-row" data-kind={r.kind} key={i}>
              <span className="diff-no tabular">{r.kind !== 'add' ? r.oldLine : ''}</span>
              <span className="diff-no tabular">{r.kind !== 'del' ? r.newLine : ''}</span>
              <span className="diff-mark" aria-label={r.kind === 'add' ? 'added' : r.kind === 'del' ? 'removed' : undefined}>
                {MARK[r.kind]}
              </span>
              <span className="diff-text">{t ? <TokenLine tokens={t} /> : r.text}</span>
            </div>
          )
        })}
      </div>
    </div>
  )
}

/** "+3 −12" with the numbers coloured, for headers and tab badges. */
export function DiffCounts({ diff }: { diff: LineDiff }) {
  return (
    <span className="diff-counts tabular">
      <span className="diff-added">+{diff.added}</span> <span className="diff-removed">−{diff.removed}</span>
    </span>
  )
}
