// A column of strings as one text and where each string ends, so it crosses between threads as one
// string and one transferable array: a structured clone of 100,000 separate names made 100,000
// strings on the receiving thread at once (~25 ms on the page). A string is sliced when read. The
// unpacker makes these from the text it decoded anyway (packed.ts unpackLayerIndexWithText).
import type { LayerIndex } from './types'

/**
 * Strings as one text and the end of each; `gap` characters (a separator) follow each string but the
 * last: string i is `text.slice(i === 0 ? 0 : ends[i - 1] + gap, ends[i])`.
 */
export interface TextColumn {
  text: string
  ends: Uint32Array
  gap: number
}

/** An index's string columns: the path table's names and each layer's link targets. */
export interface IndexText {
  names: TextColumn
  links: TextColumn[]
}

/** The column of `list`. */
export function textColumn(list: readonly string[]): TextColumn {
  return textColumnOf(list.join(''), list, 0)
}

/** The column of `list`, which is `text` split at separators `gap` characters long (0: none). */
export function textColumnOf(text: string, list: readonly string[], gap: number): TextColumn {
  const ends = new Uint32Array(list.length)
  let end = -gap
  for (let i = 0; i < list.length; i++) {
    end += gap + (list[i] as string).length
    ends[i] = end
  }
  return { text, ends, gap }
}

/** String `i` of a column ('' out of range). */
export function textAt(c: TextColumn, i: number): string {
  if (i < 0 || i >= c.ends.length) return ''
  return c.text.slice(i === 0 ? 0 : (c.ends[i - 1] as number) + c.gap, c.ends[i])
}

/** Every string of a column, as an array. */
export function textList(c: TextColumn): string[] {
  const out = new Array<string>(c.ends.length)
  let start = 0
  for (let i = 0; i < out.length; i++) {
    const end = c.ends[i] as number
    out[i] = c.text.slice(start, end)
    start = end + c.gap
  }
  return out
}

/** The buffers to transfer with an IndexText. */
export function textBuffers(t: IndexText): ArrayBuffer[] {
  return [t.names, ...t.links].map((c) => c.ends.buffer as ArrayBuffer)
}

/** The index without its strings (empty string arrays), to send apart from its text; `withText` puts them back. The index given is not changed. */
export function bareIndex(index: LayerIndex): LayerIndex {
  return { ...index, paths: { ...index.paths, names: [] }, entries: index.entries.map((e) => ({ ...e, link: [] })) }
}

/**
 * Puts the string columns back into an index that `bareIndex` made bare: `paths.names` and each
 * layer's `link` become arrays only when first read (the explorer reads single names through textAt).
 */
export function withText(index: LayerIndex, text: IndexText): LayerIndex {
  lazy(index.paths, 'names', text.names)
  index.entries.forEach((e, l) => lazy(e, 'link', text.links[l] ?? { text: '', ends: new Uint32Array(0), gap: 0 }))
  return index
}

function lazy<K extends string>(target: { [k in K]: string[] }, key: K, c: TextColumn): void {
  Object.defineProperty(target, key, {
    configurable: true,
    enumerable: true,
    get() {
      const list = textList(c)
      Object.defineProperty(target, key, { value: list, writable: true, configurable: true, enumerable: true })
      return list
    },
  })
}
