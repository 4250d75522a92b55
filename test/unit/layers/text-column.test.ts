// The string columns the model worker sends apart (one text and the ends): any list comes back as it was,
// string by string and whole, and an index split and put back reads as the original.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { packLayerIndex, unpackLayerIndexWithText } from '../../../shared/layers/packed'
import { bareIndex, textAt, textColumn, textColumnOf, textList, withText } from '../../../shared/layers/text-column'
import { imageOf } from '../../support/layer-specs'

describe('text columns', () => {
  it('give back every string, empty and non-ASCII ones included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 40 }), (list) => {
        // Joined without and with a separator (as the packed block stores names: '/', links: NUL).
        for (const c of [textColumn(list), textColumnOf(list.join('\0'), list, 1)].map((x) => structuredClone(x))) {
          expect(textList(c)).toEqual(list)
          expect(list.map((_, i) => textAt(c, i))).toEqual(list)
          expect([textAt(c, -1), textAt(c, list.length)]).toEqual(['', ''])
        }
      }),
      { numRuns: 100 },
    )
  })

  it('come out of the unpacker, and put back into the bare index give the index as it was', () => {
    const index = imageOf([
      ['usr/', ['usr/bin/app', 10], ['srv/l', '->/usr/bin/app']],
      [['étc/ünï', 4], ['srv/h', '=>usr/bin/app']],
    ] as Parameters<typeof imageOf>[0])
    const { index: unpacked, text } = unpackLayerIndexWithText(packLayerIndex(index))
    const names = [...unpacked.paths.names]
    const bare = bareIndex(unpacked)
    expect(unpacked.paths.names).toEqual(names)
    expect(bare.paths.names).toEqual([])
    const back = withText(structuredClone(bare), structuredClone(text))
    expect(back.paths.names).toEqual(index.paths.names)
    expect(back.entries.map((e) => e.link)).toEqual(index.entries.map((e) => e.link))
  })
})
