import fc from 'fast-check'
import { extract, pack, type Header } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { TarHeaderReader, type TarHeader } from '../../../electron/services/layers/tar-headers'

type Spec = { name: string; type: 'file' | 'directory' | 'symlink' | 'link'; size: number; mode: number; uid: number; gid: number; linkname: string }

async function packed(specs: Spec[], extra?: (p: ReturnType<typeof pack>) => void): Promise<Buffer> {
  const p = pack()
  const chunks: Buffer[] = []
  p.on('data', (c: unknown) => chunks.push(c as Buffer))
  const ended = new Promise<void>((r) => p.on('end', () => r()))
  extra?.(p)
  for (const s of specs) {
    const header = { name: s.name, type: s.type, mode: s.mode, uid: s.uid, gid: s.gid, ...(s.type === 'symlink' || s.type === 'link' ? { linkname: s.linkname } : {}) }
    if (s.type === 'file') p.entry({ ...header, size: s.size }, Buffer.alloc(s.size, 0x61))
    else p.entry(header)
  }
  p.finalize()
  await ended
  return Buffer.concat(chunks)
}

/** One header block plus its data, GNU style ("ustar  \\0"), for the kinds tar-stream does not write. */
function rawEntry(name: string, flag: string, data: Buffer): Buffer {
  const h = Buffer.alloc(512)
  h.write(name, 0, 'utf8')
  h.write('0000644\0', 100)
  h.write('0000000\0', 108)
  h.write('0000000\0', 116)
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124)
  h.write('00000000000\0', 136)
  h.write(flag, 156)
  h.write('ustar  \0', 257, 'latin1')
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512)
  return Buffer.concat([h, data, pad])
}

const FLAG: Record<string, string> = { file: '0', directory: '5', symlink: '2', link: '1' }

async function withTarStream(tar: Buffer): Promise<TarHeader[]> {
  const out: TarHeader[] = []
  const ex = extract()
  ex.on('entry', (h: Header, s, next) => {
    out.push({ name: h.name, linkname: h.linkname ?? '', size: h.size, mode: h.mode, uid: h.uid, gid: h.gid, flag: FLAG[h.type] ?? '?' })
    s.on('end', () => next())
    s.resume()
  })
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', () => resolve())
    ex.on('error', reject)
  })
  ex.end(tar)
  await done
  return out
}

function withReader(tar: Buffer, cuts: number[]): TarHeader[] {
  const out: TarHeader[] = []
  const r = new TarHeaderReader((h) => out.push(h))
  let pos = 0
  for (const cut of [...cuts.filter((c) => c < tar.length)].sort((a, b) => a - b)) {
    r.write(tar.subarray(pos, cut))
    pos = cut
  }
  r.write(tar.subarray(pos))
  r.end()
  return out
}

const segment = fc.oneof(fc.stringMatching(/^[a-z0-9._-]{1,30}$/), fc.constantFrom('ünï cødé ✓', '日本語', 'x'.repeat(120)))
const spec: fc.Arbitrary<Spec> = fc.record({
  name: fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/')),
  type: fc.constantFrom('file', 'directory', 'symlink', 'link'),
  size: fc.nat(2000),
  mode: fc.constantFrom(0o644, 0o755, 0o4755, 0o600),
  uid: fc.oneof(fc.nat(70000), fc.constant(65534)),
  gid: fc.nat(70000),
  linkname: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
})

describe('TarHeaderReader', () => {
  it('reads the same headers as tar-stream, however the bytes are split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { maxLength: 12 }), fc.array(fc.nat(40_000), { maxLength: 6 }), async (specs, cuts) => {
        const tar = await packed(specs)
        expect(withReader(tar, cuts)).toEqual(await withTarStream(tar))
      }),
      { numRuns: 60 },
    )
  })

  it('applies GNU long names and PAX global headers', async () => {
    const longName = `${'d'.repeat(150)}/file`
    const paxRecord = (key: string, value: string) => {
      const body = ` ${key}=${value}\n`
      let len = body.length + 2
      if (String(len).length + body.length !== len) len++
      return `${len}${body}`
    }
    const tar = Buffer.concat([
      rawEntry('pax_global_header', 'g', Buffer.from(paxRecord('uid', '4242'))),
      rawEntry('././@LongLink', 'L', Buffer.from(`${longName}\0`)),
      await packed([{ name: 'short', type: 'file', size: 3, mode: 0o644, uid: 1, gid: 2, linkname: '' }]),
    ])
    const [h] = withReader(tar, [700])
    expect(h).toMatchObject({ name: longName, uid: 4242, gid: 2, size: 3, flag: '0' })
  })

  it('rejects a damaged header and a tar cut inside an entry', async () => {
    const tar = await packed([{ name: 'a', type: 'file', size: 1000, mode: 0o644, uid: 0, gid: 0, linkname: '' }])
    const damaged = Buffer.from(tar)
    damaged[130] = 0x37
    expect(() => withReader(damaged, [])).toThrow(/Invalid tar header/)
    expect(() => withReader(tar.subarray(0, 900), [])).toThrow(/Unexpected end of data/)
  })
})
