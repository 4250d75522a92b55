// The synthetic images the layer benchmarks use, built once on the real engine and kept (tagged
// slipway-bench/…): 100 directories × 1,000 files of ~100 bytes, made in one RUN (dash's printf is a
// builtin: no fork per file), and a second version of it for comparisons.
import type Dockerode from 'dockerode'
import { pack } from 'tar-stream'

/** The 100,000-file image of bench/layers.bench.ts and bench/layers-ui.bench.ts. */
export const SYNTHETIC_100K = 'slipway-bench/100k-files'
/**
 * The same tree with 10 of the 100 directories rewritten at other sizes (10,000 changed files) and one
 * more directory of 1,000 files: a comparison with a realistic amount of differences on 100,000 files.
 */
export const SYNTHETIC_100K_B = 'slipway-bench/100k-files-b'

const LINE = 'synthetic file %s/%s, padded to about a hundred bytes for the layer index benchmark.'

const RECIPES: Record<string, string> = {
  [SYNTHETIC_100K]: `FROM slipway-test/debian:bookworm
RUN mkdir /data && cd /data && for d in $(seq 0 99); do mkdir d$d; for f in $(seq 0 999); do printf '${LINE}\\n' $d $f > d$d/file-$f.txt; done; done
`,
  [SYNTHETIC_100K_B]: `FROM slipway-test/debian:bookworm
RUN mkdir /data && cd /data && for d in $(seq 0 100); do mkdir d$d; for f in $(seq 0 999); do if [ $d -ge 90 ]; then printf '${LINE} Version B.\\n' $d $f; else printf '${LINE}\\n' $d $f; fi > d$d/file-$f.txt; done; done
`,
}

/** Builds one of the synthetic images unless the engine has it. */
export async function ensureSynthetic(docker: Dockerode, image: string): Promise<void> {
  const there = await docker
    .getImage(image)
    .inspect()
    .then(() => true)
    .catch(() => false)
  if (there) return
  const recipe = RECIPES[image]
  if (!recipe) throw new Error(`No image ${image} in the engine, and no recipe for it.`)
  const ctx = pack()
  ctx.entry({ name: 'Dockerfile' }, recipe)
  ctx.finalize()
  console.log(`Building ${image} (once)…`)
  const stream = await docker.buildImage(ctx as unknown as NodeJS.ReadableStream, { t: image, rm: true, forcerm: true })
  const out: { error?: string }[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, o: { error?: string }[]) => (err ? reject(err) : resolve(o))),
  )
  const failed = out.find((o) => o.error)
  if (failed) throw new Error(failed.error)
}
