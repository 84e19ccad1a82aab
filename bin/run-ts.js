#!/usr/bin/env node
// Runs a TypeScript entry point through tsx, so that worker threads the engine starts load
// TypeScript too (they inherit execArgv).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error('usage: run-ts.js <file.ts> [args...]')
  process.exit(2)
}
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const tsx = import.meta.resolve('tsx')
const result = spawnSync(
  process.execPath,
  ['--import', tsx, '--no-warnings=ExperimentalWarning', path.resolve(root, entry), ...args],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
