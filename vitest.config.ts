import { configDefaults, defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'

const shared = {
  // Photo decoding, TF.js and SQLite are heavy: run files one or two at a time on 2 cores.
  fileParallelism: true,
  maxWorkers: 2,
  testTimeout: 120_000,
  hookTimeout: 300_000,
  setupFiles: ['test/helpers/isolate-app-data.ts'],
}

export default defineConfig({
  plugins: [svelte()],
  test: {
    ...shared,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/renderer/**'],
        },
      },
      {
        // Svelte components run in jsdom with Svelte's browser build.
        extends: true,
        plugins: [svelteTesting()],
        resolve: { conditions: ['browser'] },
        test: { name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'jsdom' },
      },
    ],
  },
})
