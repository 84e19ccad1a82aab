import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ModelEntry } from './registry'

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256')
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export interface VerifyProblem {
  file: string
  problem: 'missing' | 'checksum'
  expected?: string
  actual?: string
}

/** Checks every file of the model in `dir` against the registry's sha256. */
export async function verifyModelDir(dir: string, entry: ModelEntry): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = []
  for (const file of entry.files) {
    const full = path.join(dir, file.name)
    if (!fs.existsSync(full)) {
      problems.push({ file: file.name, problem: 'missing' })
      continue
    }
    const actual = await sha256File(full)
    if (actual !== file.sha256) {
      problems.push({ file: file.name, problem: 'checksum', expected: file.sha256, actual })
    }
  }
  return problems
}
