// The archive reader on small archives made here: OCI layouts with the manifest after the layers, gzip
// and zstd layers, a nested index with an attestation manifest. Real engine archives are covered by
// test/integration/layers.test.ts.
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { pack } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { nodePath } from '../../../shared/layers/paths'
import { readImageArchive } from '../../../electron/services/layers/save-archive'

type File = { name: string; data: Buffer | string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }

async function tarOf(files: File[]): Promise<Buffer> {
  const p = pack()
  const chunks: Buffer[] = []
  p.on('data', (c: unknown) => chunks.push(c as Buffer))
  const ended = new Promise<void>((r) => p.on('end', () => r()))
  for (const f of files) {
    if (f.type === 'directory' || f.type === 'symlink') p.entry({ name: f.name, type: f.type, linkname: f.linkname })
    else p.entry({ name: f.name, mode: 0o644 }, typeof f.data === 'string' ? Buffer.from(f.data) : f.data)
  }
  p.finalize()
  await ended
  return Buffer.concat(chunks)
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`
const blob = (b: Buffer): File => ({ name: `blobs/sha256/${sha(b).slice(7)}`, data: b })
const json = (x: unknown) => Buffer.from(JSON.stringify(x))

async function ociArchive(layers: Buffer[], opts: { nested?: boolean } = {}): Promise<Buffer> {
  const config = json({ architecture: 'arm64', variant: 'v8', os: 'linux', created: '2024-01-01T00:00:00Z', rootfs: { type: 'layers', diff_ids: layers.map(() => 'sha256:00') }, history: [{ created_by: 'ADD x' }, { created_by: 'CMD ["x"]', empty_layer: true }, { created_by: 'RUN y' }] })
  const manifest = json({ schemaVersion: 2, config: { digest: sha(config) }, layers: layers.map((l) => ({ digest: sha(l) })) })
  const attestation = json({ schemaVersion: 2, config: { digest: sha(config) }, layers: [] })
  const files: File[] = [...layers.map(blob), blob(config), blob(manifest), blob(attestation)]
  let top = json({
    schemaVersion: 2,
    manifests: [
      { digest: sha(attestation), platform: { os: 'unknown', architecture: 'unknown' } },
      { digest: sha(manifest), platform: { os: 'linux', architecture: 'arm64' } },
    ],
  })
  if (opts.nested) {
    files.push(blob(top))
    top = json({ schemaVersion: 2, manifests: [{ digest: sha(top), annotations: { 'io.containerd.image.name': 'docker.io/library/app:1' } }] })
  }
  files.push({ name: 'index.json', data: top }, { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' })
  return tarOf(files)
}

describe('readImageArchive', () => {
  it('reads an OCI layout whose index comes last, with a gzip layer and a nested index', async () => {
    const base = await tarOf([{ name: 'etc/', data: '', type: 'directory' }, { name: 'etc/passwd', data: 'root:x:0:0' }, { name: 'bin/sh', data: 'ELF' }])
    const top = await tarOf([{ name: 'etc/', data: '', type: 'directory' }, { name: 'etc/.wh.passwd', data: '' }, { name: 'app', data: '0123456789' }])
    const index = await readImageArchive(Readable.from([await ociArchive([base, gzipSync(top)], { nested: true })]))
    expect(index.format).toBe('oci')
    expect(index.repoTags).toEqual(['app:1'])
    expect([index.os, index.architecture, index.variant]).toEqual(['linux', 'arm64', 'v8'])
    expect(index.layers.map((l) => [l.compression, l.createdBy, l.added, l.removed])).toEqual([
      ['none', 'ADD x', 2, 0],
      ['gzip', 'RUN y', 1, 1],
    ])
    const files = Array.from(index.tree.node).filter((_, r) => index.tree.files[r] === 1 && index.tree.entry[r] !== -1).map((n) => nodePath(index.paths, n))
    expect(files.sort()).toEqual(['/app', '/bin/sh'])
  })

  it('says a zstd layer is not supported', async () => {
    const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600)])
    await expect(readImageArchive(Readable.from([await ociArchive([zstd])]))).rejects.toMatchObject({
      name: 'LayerCompressionUnsupported',
      message: expect.stringMatching(/^Layer 0 \(blobs\/sha256\/[0-9a-f]{64}\) is compressed with zstd/),
    })
  })

  it('says a gzip layer that does not decompress is not a tar', async () => {
    const broken = Buffer.concat([gzipSync(Buffer.alloc(4096)).subarray(0, 20), Buffer.alloc(100, 7)])
    await expect(readImageArchive(Readable.from([await ociArchive([broken])]))).rejects.toMatchObject({ name: 'LayerNotTar' })
  })

  it('says when a layer the manifest lists is missing', async () => {
    const archive = await tarOf([
      { name: 'c.json', data: json({ os: 'linux', rootfs: { diff_ids: [] } }) },
      { name: 'manifest.json', data: json([{ Config: 'c.json', RepoTags: ['x:1'], Layers: ['abc/layer.tar'] }]) },
    ])
    await expect(readImageArchive(Readable.from([archive]))).rejects.toMatchObject({ name: 'ImageStreamTruncated', detail: expect.stringContaining('abc/layer.tar') })
  })
})
