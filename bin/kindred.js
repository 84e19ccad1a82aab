#!/usr/bin/env node
// The `kindred` command: runs the CLI from its TypeScript source, in this very process (tsx's
// loader is registered here), so that signals, the exit code and the library lock all belong
// to the process the user started. No second process is left behind by a kill.
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// Before anything can start libuv's thread pool (tsx's loader reads files): see src/cli/threads.ts.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()))

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
try {
  const { register } = await import('tsx/esm/api')
  register()
} catch (error) {
  console.error(`kindred: could not start: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
}
await import(pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href)
