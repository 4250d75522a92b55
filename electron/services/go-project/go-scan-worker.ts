// A scan worker: reads and scans batches of .go files for GoProjects (file-scan.ts), so a big
// project's reads and lexing run on two threads beside the walk. Kept for the process (scan-pool.ts).
import { parentPort } from 'node:worker_threads'
import { packResults, scanBatch, scanSourceFile } from './file-scan'
import { nodeProjectFs } from './project-fs'
import type { ScanReply, ScanRequest } from './scan-pool'

const port = parentPort
if (!port) throw new Error('go-scan-worker must run in a worker thread')

port.on('message', (m: ScanRequest) => {
  let reply: ScanReply
  try {
    reply = { id: m.id, results: packResults(m.jobs.every((j) => j.mode === 'auto') ? scanBatch(nodeProjectFs.readHead, m.jobs, m.maxBytes) : m.jobs.map((job) => scanSourceFile(nodeProjectFs.readHead, job, m.maxBytes))) }
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) }
  }
  port.postMessage(reply)
})
