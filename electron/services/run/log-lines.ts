// Container output arrives in arbitrary chunks; people read lines. This cuts a byte stream into
// whole lines (UTF-8 decoded across chunk edges), holding a partial line until it ends.
import { StringDecoder } from 'node:string_decoder'

/** The longest line kept whole; a longer one (a minified blob, a progress bar with no newline) is cut. */
const MAX_LINE = 16 * 1024

/** Splits chunks into lines; `flush()` returns the last unterminated line. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private rest = ''

  /** The complete lines in `chunk` (with what was held before), without their line endings. */
  push(chunk: Buffer): string[] {
    const text = this.rest + this.decoder.write(chunk)
    const parts = text.split(/\r?\n/)
    this.rest = parts.pop() ?? ''
    while (this.rest.length > MAX_LINE) {
      parts.push(this.rest.slice(0, MAX_LINE))
      this.rest = this.rest.slice(MAX_LINE)
    }
    return parts.map(lastCarriageReturn)
  }

  /** What is left when the stream ends. */
  flush(): string[] {
    const text = this.rest + this.decoder.end()
    this.rest = ''
    return text ? [lastCarriageReturn(text)] : []
  }
}

/** A line redrawn with \r (a progress counter) shows what a terminal would: its last state. */
function lastCarriageReturn(line: string): string {
  const i = line.lastIndexOf('\r', line.length - 2)
  return i >= 0 ? line.slice(i + 1).replace(/\r$/, '') : line.replace(/\r$/, '')
}
