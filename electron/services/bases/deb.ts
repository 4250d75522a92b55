// A .deb is an ar archive: debian-binary, control.tar.*, data.tar.* (xz in Debian 12, zstd in
// newer Ubuntu, gz in old packages). The ar framing is 60-byte headers — read here directly; the
// tar is decompressed as a stream (xz by xz-decompress's WebAssembly, zstd by fzstd, gz by zlib).
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { Decompress as ZstdDecompress } from 'fzstd'
import { SlipwayError } from '../../../shared/errors'
import { xzStream } from './mirror'

/** One member of an ar archive: its name and where its bytes are in the file. */
export interface ArMember {
  name: string
  offset: number
  size: number
}

const AR_MAGIC = '!<arch>\n'

/** Lists the members of an ar archive (a .deb); throws BaseMakeFailed on anything that is not one. */
export async function arMembers(file: string): Promise<ArMember[]> {
  const fh = await open(file, 'r')
  try {
    const { size: total } = await fh.stat()
    const head = Buffer.alloc(60)
    await fh.read(head, 0, 8, 0)
    if (head.toString('latin1', 0, 8) !== AR_MAGIC) throw new SlipwayError('BaseMakeFailed', `${file} is not a Debian package (no ar header).`)
    const out: ArMember[] = []
    let pos = 8
    while (pos + 60 <= total && out.length < 16) {
      await fh.read(head, 0, 60, pos)
      if (head.toString('latin1', 58, 60) !== '`\n') throw new SlipwayError('BaseMakeFailed', `${file}: a damaged ar member header at offset ${pos}.`)
      const name = head.toString('latin1', 0, 16).trim().replace(/\/$/, '')
      const size = Number(head.toString('latin1', 48, 58).trim())
      if (!Number.isSafeInteger(size) || size < 0 || pos + 60 + size > total) throw new SlipwayError('BaseMakeFailed', `${file}: member ${name} runs past the end of the file.`)
      out.push({ name, offset: pos + 60, size })
      pos += 60 + size + (size % 2)
    }
    return out
  } finally {
    await fh.close()
  }
}

/** The decompressed data.tar of a .deb, as a stream. */
export async function dataTar(file: string): Promise<Readable> {
  const members = await arMembers(file)
  const data = members.find((m) => m.name.startsWith('data.tar'))
  if (!data) throw new SlipwayError('BaseMakeFailed', `${file} has no data.tar member.`)
  return decompress(createReadStream(file, { start: data.offset, end: data.offset + data.size - 1 }), data.name, file)
}

/** Reads a member whole (control.tar is small). */
export async function memberStream(file: string, name: string): Promise<Readable | null> {
  const m = (await arMembers(file)).find((x) => x.name.startsWith(name))
  return m ? decompress(createReadStream(file, { start: m.offset, end: m.offset + m.size - 1 }), m.name, file) : null
}

function decompress(raw: Readable, name: string, file: string): Readable {
  if (name.endsWith('.xz')) return xzStream(Readable.toWeb(raw) as ReadableStream<Uint8Array>)
  if (name.endsWith('.gz')) return raw.pipe(createGunzip())
  if (name.endsWith('.zst')) return raw.pipe(zstdTransform())
  if (name.endsWith('.tar')) return raw
  throw new SlipwayError('BaseMakeFailed', `${file}: ${name} uses a compression Slipway cannot read.`, 'Debian packages use xz, zstd or gzip.')
}

/** A zstd decompressor as a Node transform (fzstd: pure JavaScript, streaming). */
function zstdTransform(): Transform {
  const t: Transform = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        d.push(chunk)
        cb()
      } catch (e) {
        cb(e as Error)
      }
    },
    flush(cb) {
      try {
        d.push(new Uint8Array(0), true)
        cb()
      } catch (e) {
        cb(e as Error)
      }
    },
  })
  const d = new ZstdDecompress((chunk) => {
    t.push(Buffer.from(chunk))
  })
  return t
}
