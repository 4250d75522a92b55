// The string columns the model worker sends apart (one text and the ends): any list comes back as it was,
// string by string and whole, and an index split and put back reads as the original.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitText, textAt, textColumn, textList, withText } from '../../../shared/layers/text-column'
import { imageOf } from '../../support/layer-specs'

describe('text columns', () => {
  it('give back every string, empty and non-ASCII ones included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 40 }), (list) => {
        const c = structuredClone(textColumn(list))
        expect(textList(c)).toEqual(list)
        expect(list.map((_, i) => textAt(c, i))).toEqual(list)
        expect([textAt(c, -1), textAt(c, list.length)]).toEqual(['', ''])
      }),
      { numRuns: 100 },
    )
  })

  it('split an index apart and put it back as it was, without changing the one given', () => {
    const index = imageOf([
      ['usr/', ['usr/bin/app', 10], ['srv/l', '->/usr/bin/app']],
      [['étc/ünï', 4], ['srv/h', '=>usr/bin/app']],
    ] as Parameters<typeof imageOf>[0])
    const names = [...index.paths.names]
    const { index: bare, text } = splitText(index)
    expect(index.paths.names).toEqual(names)
    expect(bare.paths.names).toEqual([])
    const back = withText(structuredClone(bare), structuredClone(text))
    expect(back.paths.names).toEqual(index.paths.names)
    expect(back.entries.map((e) => e.link)).toEqual(index.entries.map((e) => e.link))
  })
})
