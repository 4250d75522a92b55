import { describe, expect, it } from 'vitest'
import { droppedInstructions } from '../../../renderer/src/features/projects/dropped-instructions'

const WRITTEN = 'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n'

describe('droppedInstructions', () => {
  it('names the kinds of instruction the new file has none of, as written and where', () => {
    const before = [
      'FROM golang:1.23',
      '# a comment',
      'HEALTHCHECK --interval=30s \\',
      '  # inside',
      '  CMD ["/app", "-health"]',
      'RUN go build -o /app .',
      'volume /data',
      'CMD ["/app"]',
    ].join('\n')
    expect(droppedInstructions(before, WRITTEN)).toEqual([
      { keyword: 'HEALTHCHECK', text: 'HEALTHCHECK --interval=30s CMD ["/app", "-health"]', line: 3 },
      { keyword: 'VOLUME', text: 'volume /data', line: 7 },
      { keyword: 'CMD', text: 'CMD ["/app"]', line: 8 },
    ])
  })

  it('says nothing for a new file or one whose kinds all remain', () => {
    expect(droppedInstructions(null, WRITTEN)).toEqual([])
    expect(droppedInstructions('FROM alpine\nRUN echo hi\n', WRITTEN)).toEqual([])
  })
})
