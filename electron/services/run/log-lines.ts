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

/** The part of dockerode's modem that splits the engine's multiplexed log format. */
interface Demuxer {
  demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void
}

/**
 * Reads a container log stream as whole lines per stream: the engine's 8-byte frame headers are
 * split by dockerode's demuxer (which passes a TTY container's raw bytes through as stdout), and
 * each stream's bytes by its own LineSplitter. `onLines` is called synchronously as data arrives,
 * and once more with the unterminated last lines when the stream ends; the promise then resolves.
 */
export function readLogLines(modem: Demuxer, stream: NodeJS.ReadableStream, onLines: (stream: 'stdout' | 'stderr', lines: string[]) => void): Promise<void> {
  const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() }
  // Plain objects, not Writables: the demuxer only calls write(), and a direct call keeps lines in order with no buffering.
  const sink = (name: 'stdout' | 'stderr') =>
    ({
      write(chunk: Buffer) {
        const lines = splitters[name].push(chunk)
        if (lines.length) onLines(name, lines)
        return true
      },
    }) as unknown as NodeJS.WritableStream
  return new Promise((resolve) => {
    modem.demuxStream(stream, sink('stdout'), sink('stderr'))
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      for (const name of ['stdout', 'stderr'] as const) {
        const rest = splitters[name].flush()
        if (rest.length) onLines(name, rest)
      }
      resolve()
    }
    stream.once('end', end)
    stream.once('close', end)
    stream.once('error', end)
  })
}
