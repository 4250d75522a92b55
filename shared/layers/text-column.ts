// A column of strings as one text and where each string ends, so it crosses between threads as one
// string and one transferable array: a structured clone of 100,000 separate names made 100,000
// strings on the receiving thread at once (~25 ms on the page). A string is sliced when read.
import type { LayerIndex } from './types'

/** Strings as one text (no separators) and the end of each: string i is `text.slice(ends[i-1] ?? 0, ends[i])`. */
export interface TextColumn {
  text: string
  ends: Uint32Array
}

/** An index's string columns: the path table's names and each layer's link targets. */
export interface IndexText {
  names: TextColumn
  links: TextColumn[]
}

/** The column of `list`. */
export function textColumn(list: readonly string[]): TextColumn {
  const ends = new Uint32Array(list.length)
  let end = 0
  for (let i = 0; i < list.length; i++) {
    end += (list[i] as string).length
    ends[i] = end
  }
  return { text: list.join(''), ends }
}

/** String `i` of a column ('' out of range). */
export function textAt(c: TextColumn, i: number): string {
  if (i < 0 || i >= c.ends.length) return ''
  return c.text.slice(i === 0 ? 0 : (c.ends[i - 1] as number), c.ends[i])
}

/** Every string of a column, as an array. */
export function textList(c: TextColumn): string[] {
  const out = new Array<string>(c.ends.length)
  let start = 0
  for (let i = 0; i < out.length; i++) {
    const end = c.ends[i] as number
    out[i] = c.text.slice(start, end)
    start = end
  }
  return out
}

/** The buffers to transfer with an IndexText. */
export function textBuffers(t: IndexText): ArrayBuffer[] {
  return [t.names, ...t.links].map((c) => c.ends.buffer as ArrayBuffer)
}

/**
 * Splits an index into its string columns and the rest (the same index with empty string arrays, to
 * send apart; `withText` puts them back). The index given is not changed.
 */
export function splitText(index: LayerIndex): { index: LayerIndex; text: IndexText } {
  const text: IndexText = { names: textColumn(index.paths.names), links: index.entries.map((e) => textColumn(e.link)) }
  const bare: LayerIndex = { ...index, paths: { ...index.paths, names: [] }, entries: index.entries.map((e) => ({ ...e, link: [] })) }
  return { index: bare, text }
}

/**
 * Puts the string columns back into an index that `splitText` made bare: `paths.names` and each
 * layer's `link` become arrays only when first read (the explorer reads single names through textAt).
 */
export function withText(index: LayerIndex, text: IndexText): LayerIndex {
  lazy(index.paths, 'names', text.names)
  index.entries.forEach((e, l) => lazy(e, 'link', text.links[l] ?? { text: '', ends: new Uint32Array(0) }))
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
