import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { Plugin } from 'vite'

/**
 * The engine starts worker threads from TypeScript entries next to their client
 * (`new URL('./embed-worker.ts', import.meta.url)`, run through tsx). In the build those
 * entries are compiled to `out/main/<name>.js` (see `input` below), so point the URLs there.
 */
function builtWorkerUrls(): Plugin {
  return {
    name: 'kindred-built-worker-urls',
    transform(code, id) {
      if (!id.includes('/src/core/')) return null
      const pattern = /new URL\((['"])\.\/([\w-]+)\.ts\1, import\.meta\.url\)/g
      return pattern.test(code)
        ? code.replace(pattern, "new URL('./$2.js', import.meta.url)")
        : null
    },
  }
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), builtWorkerUrls()],
    build: {
      rollupOptions: {
        // Optional native TF.js backends: loaded at run time when installed, never bundled.
        external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The engine's utility process (src/main/engine-host.ts forks out/main/engine.js).
          engine: resolve(__dirname, 'src/core/engine/process-entry.ts'),
          // The engine's embedding worker threads (src/core/ml/worker/client.ts).
          'embed-worker': resolve(__dirname, 'src/core/ml/worker/embed-worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [svelte()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
})
