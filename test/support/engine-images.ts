// Images for the test-owned second dockerd (test/engine/second-daemon.ts), which starts empty and
// has no network: copied from the shared daemon, or made up on the spot.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { pack } from 'tar-stream'

/** Pipes `docker save` of the shared daemon into `docker load` on the daemon at `host`. */
export function copyImage(ref: string, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const save = spawn('docker', ['save', ref], { stdio: ['ignore', 'pipe', 'inherit'] })
    const load = spawn('docker', ['-H', host, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] })
    save.stdout.pipe(load.stdin)
    load.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited ${code}`))))
    save.on('error', reject)
  })
}

/**
 * Imports a one-layer image holding `mb` MiB of random bytes (which no compression shrinks) as `ref`
 * on the daemon at `host`: an image whose save takes long enough to interrupt.
 */
export function importRandomImage(ref: string, host: string, mb: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const load = spawn('docker', ['-H', host, 'import', '-', ref], { stdio: ['pipe', 'ignore', 'inherit'] })
    load.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker import exited ${code}`))))
    load.on('error', reject)
    // A failing import closes its stdin early; its exit code says why, not the broken pipe.
    load.stdin.on('error', () => undefined)
    const tar = pack()
    tar.pipe(load.stdin)
    tar.entry({ name: 'random.bin', size: mb << 20, mode: 0o644 }, randomBytes(mb << 20))
    tar.finalize()
  })
}
