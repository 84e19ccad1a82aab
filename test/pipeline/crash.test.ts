/**
 * A kill (SIGKILL, no clean-up) in the middle of SCAN and then of self-labeling loses nothing:
 * running `kindred organize` again resumes the same job at the stage it was in, skipping the
 * finished ones, and ends with the groups.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openLibrary } from '../../src/core/store/library'
import { listJobs } from '../../src/core/jobs'
import { currentRun } from '../../src/core/clusters'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const env = { ...process.env, KINDRED_MODELS_DIR: sharedPath('models') }

function photos(dir: string): string {
  for (const cls of ['dalmatian', 'grand_piano', 'helicopter']) {
    const source = sharedPath('datasets', 'caltech20', cls)
    fs.mkdirSync(path.join(dir, cls), { recursive: true })
    for (const file of fs.readdirSync(source).sort().slice(0, 8)) {
      fs.symlinkSync(path.join(source, file), path.join(dir, cls, file))
    }
  }
  return dir
}

/** Runs `kindred organize` (in this very process, no wrapper, so the kill hits it); kills it with SIGKILL as soon as a progress line matches `killAt`. */
function organize(
  folder: string,
  library: string,
  killAt?: RegExp,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'organize',
        folder,
        '--clusters',
        '3',
        '--library',
        library,
      ],
      { env, cwd: root },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (killAt && stderr.split('\n').some((line) => killAt.test(line))) child.kill('SIGKILL')
    })
    child.stdout.resume()
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })
}

const STAGES = ['import', 'embed', 'neighbours', 'scan', 'selflabel', 'assign']
/** The stages a run started, in order, from its progress lines ("embed: 24 to do"). */
const stagesStarted = (stderr: string) =>
  stderr.split('\n').flatMap((line) => {
    const match = /^(\w+): (?:\d+ to do|started)$/.exec(line)
    return match && STAGES.includes(match[1]!) ? [match[1]!] : []
  })

function interruptedStage(library: string): string | null {
  const lib = openLibrary(library)
  try {
    const job = listJobs(lib.db).find((j) => j.kind === 'organize')
    expect(job?.state).toBe('running') // as the killed process left it
    return job?.stage ?? null
  } finally {
    lib.close()
  }
}

describe('organize after a crash', () => {
  it('resumes from the stage that was running when the process was killed', async () => {
    const work = tempDir()
    const folder = photos(path.join(work, 'photos'))
    const library = path.join(work, 'library')

    const first = await organize(folder, library, /^scan: /)
    expect(first.signal).toBe('SIGKILL')
    expect(stagesStarted(first.stderr).slice(0, 4)).toEqual([
      'import',
      'embed',
      'neighbours',
      'scan',
    ])
    const stoppedIn = interruptedStage(library)
    expect(['scan', 'selflabel']).toContain(stoppedIn)

    const second = await organize(folder, library, /^selflabel: /)
    expect(second.signal).toBe('SIGKILL')
    // Import, embedding and neighbours are not redone: the job goes on where it stopped.
    expect(stagesStarted(second.stderr)[0]).toBe(stoppedIn)
    expect(interruptedStage(library)).toMatch(/^(selflabel|assign)$/)

    const third = await organize(folder, library)
    expect(third.code, third.stderr).toBe(0)
    expect(stagesStarted(third.stderr)).not.toContain('scan')
    expect(stagesStarted(third.stderr).at(-1)).toBe('assign')

    const lib = openLibrary(library)
    try {
      const jobs = listJobs(lib.db).filter((j) => j.kind === 'organize')
      expect(jobs).toHaveLength(1) // one job, resumed twice
      expect(jobs[0]).toMatchObject({ state: 'done' })
      const run = currentRun(lib.db)!
      const assigned = lib.db
        .prepare(`SELECT count(*) FROM assignments WHERE run_id = ?`)
        .pluck()
        .get(run.id)
      expect(assigned).toBe(24)
      expect(lib.db.prepare(`SELECT count(*) FROM runs`).pluck().get()).toBe(1)
    } finally {
      lib.close()
    }
  })
  it('a kill during assign leaves no half-written groups, and the next run finishes them', async () => {
    const work = tempDir()
    const folder = photos(path.join(work, 'photos'))
    const library = path.join(work, 'library')
    const first = await organize(folder, library, /^assign: /)
    // Assign is short: the kill lands inside it or just after it ends; both must leave the
    // library whole (the run and its assignments are written in one transaction).
    if (first.signal === 'SIGKILL') {
      const second = await organize(folder, library)
      expect(second.code, second.stderr).toBe(0)
      expect(stagesStarted(second.stderr)).not.toContain('scan')
    } else {
      expect(first.code, first.stderr).toBe(0)
    }
    const lib = openLibrary(library)
    try {
      const run = currentRun(lib.db)!
      const assigned = lib.db
        .prepare(`SELECT count(*) FROM assignments WHERE run_id = ?`)
        .pluck()
        .get(run.id)
      expect(assigned).toBe(24)
      expect(lib.db.prepare(`SELECT count(*) FROM runs`).pluck().get()).toBe(1)
      const jobs = listJobs(lib.db).filter((j) => j.kind === 'organize')
      expect(jobs).toHaveLength(1)
      expect(jobs[0]).toMatchObject({ state: 'done' })
    } finally {
      lib.close()
    }
  })
})
