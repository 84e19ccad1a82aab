/**
 * Several real processes doing the same thing to one library at the same moment: taking the job
 * lock (fresh, or left by a process that died) and opening a library that does not exist yet.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCK_FILE } from '../../src/core/jobs/lock'
import { migrations } from '../../src/core/store/migrations'
import { tempDir } from '../helpers/tmp'

const CONTENDERS = 4
const fixture = path.join(__dirname, 'fixtures', 'contender.ts')

interface Answer {
  trial: number
  pid: number
  acquired?: boolean
  double?: boolean
  ok?: boolean
  version?: number
  error?: string
}

class Contender {
  private readonly waiting: ((answer: Answer) => void)[] = []
  readonly ready: Promise<void>

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const lines = readline.createInterface({ input: child.stdout })
    this.ready = new Promise((resolve) => {
      lines.on('line', (line) => {
        if (line === 'ready') return resolve()
        this.waiting.shift()?.(JSON.parse(line) as Answer)
      })
    })
  }

  send(command: object): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      this.child.stdin.write(`${JSON.stringify(command)}\n`)
    })
  }
}

let contenders: Contender[] = []
beforeAll(async () => {
  contenders = Array.from(
    { length: CONTENDERS },
    () => new Contender(spawn(process.execPath, ['--import', 'tsx', fixture])),
  )
  await Promise.all(contenders.map((c) => c.ready))
}, 60_000)
afterAll(() => contenders.forEach((c) => c.child.kill()))

/** Every contender does `command` at the same moment, 150 ms from now. */
function race(trial: number, command: object): Promise<Answer[]> {
  const at = Date.now() + 150
  return Promise.all(contenders.map((c) => c.send({ ...command, trial, at })))
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync('true')
  return child.pid!
}

describe('concurrent processes', () => {
  it('never lets two processes hold the job lock, fresh or taken over from a dead holder', async () => {
    const TRIALS = 40
    const dir = tempDir()
    let doubles = 0
    const refusals = new Set<string>()
    for (let trial = 0; trial < TRIALS; trial++) {
      const lock = path.join(dir, LOCK_FILE)
      // Even trials race for a lock left by a dead process (in both formats), odd ones for none;
      // every trial must end with someone holding it, the stale ones included.
      if (trial % 4 === 0) fs.writeFileSync(lock, String(deadPid()))
      if (trial % 4 === 2) {
        const holder = { pid: deadPid(), started: '1', nonce: `dead-${trial}` }
        fs.writeFileSync(lock, JSON.stringify(holder))
      }
      const answers = await race(trial, { kind: 'lock', dir, holdMs: 30 })
      doubles += answers.filter((a) => a.double).length
      const acquired = answers.filter((a) => a.acquired).length
      expect(acquired, `trial ${trial}`).toBeGreaterThanOrEqual(1)
      for (const a of answers) if (a.error) refusals.add(a.error.replace(/\d+/g, 'N'))
      expect(fs.existsSync(lock), `trial ${trial} left its lock`).toBe(false)
    }
    expect({ trials: TRIALS, doubles }).toEqual({ trials: TRIALS, doubles: 0 })
    for (const refusal of refusals) expect(refusal).toMatch(/^Another Kindred process \(pid N\)/)
    // Claims of dead locks are kept a while; nothing else is left behind.
    const left = fs.readdirSync(dir).filter((f) => !f.startsWith(`${LOCK_FILE}.claimed-`))
    expect(left).toEqual([])
  }, 120_000)

  it('opens a new library from several processes at once without an error', async () => {
    const TRIALS = 30
    const root = tempDir()
    const failures: string[] = []
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = path.join(root, `lib-${trial}`)
      const answers = await race(trial, { kind: 'open', dir })
      for (const a of answers) {
        if (!a.ok) failures.push(`trial ${trial}: ${a.error}`)
        else expect(a.version).toBe(migrations.at(-1)!.version)
      }
    }
    expect({ opens: TRIALS * CONTENDERS, failures }).toEqual({
      opens: TRIALS * CONTENDERS,
      failures: [],
    })
  }, 120_000)
})
