#!/usr/bin/env node
// The `kindred` command: runs the CLI from its TypeScript source through tsx.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const tsx = import.meta.resolve('tsx')
const result = spawnSync(
  process.execPath,
  ['--import', tsx, path.join(root, 'src/cli/main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
if (result.error) {
  console.error(`kindred: could not start: ${result.error.message}`)
  process.exit(1)
}
process.exit(result.status ?? 1)
