import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Main and preload run in Node/Electron; the renderer is a plain web bundle.
// The preload is built as CommonJS: an ESM preload would force `sandbox: false`.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // The layer indexer runs in a worker thread; it needs its own entry in the bundle.
          'layers-worker': resolve(import.meta.dirname, 'electron/services/layers/index-worker.ts'),
          // The Go scan workers (big projects' reads and lexing); found next to the bundle as go-scan-worker.js.
          'go-scan-worker': resolve(import.meta.dirname, 'electron/services/go-project/go-scan-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
})
