import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export const LOCK_FILE = 'jobs.lock'
/** Marks a dead holder's lock as claimed by one process (see takeOver). */
const CLAIM_PREFIX = `${LOCK_FILE}.claimed-`
/** Claims are kept this long, far longer than a process needs from reading a lock to claiming it. */
const CLAIM_KEEP_MS = 10 * 60_000
/** A lock file with no readable holder (a writer from before this format died mid-write). */
const UNREADABLE_STALE_MS = 2_000

/** Who holds a lock: the process, when it started (so a reused pid is not taken for it), and a nonce. */
export interface LockHolder {
  pid: number
  started: string | null
  nonce: string
}

/** When a process started, as the kernel counts it (Linux); null where that cannot be read. */
export function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime); the command name in (…) may hold spaces, so count after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function running(holder: LockHolder): boolean {
  if (holder.pid <= 0) return false // kill(0 or -1) would signal a whole group
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const started = processStart(holder.pid)
  return holder.started === null || started === null || started === holder.started
}

/** The lock's holder; a bare pid is the format of earlier versions. Null when there is no lock. */
function readHolder(file: string): LockHolder | 'unreadable' | null {
  let text: string
  let stat: fs.Stats
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  // Content and identity from one open file: read by name twice, a lock replaced in between
  // would pair a dead holder's pid with a live lock's identity, and that live lock be removed.
  try {
    text = fs.readFileSync(fd, 'utf8')
    stat = fs.fstatSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  if (/^\d+$/.test(text.trim())) {
    return { pid: Number(text.trim()), started: null, nonce: `pid-${stat.ino}-${stat.mtimeMs}` }
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>
    if (Number.isInteger(parsed.pid) && typeof parsed.nonce === 'string') {
      return { pid: parsed.pid!, started: parsed.started ?? null, nonce: parsed.nonce }
    }
  } catch {
    // fall through
  }
  return Date.now() - stat.mtimeMs > UNREADABLE_STALE_MS
    ? { pid: -1, started: null, nonce: `unreadable-${stat.ino}-${stat.mtimeMs}` }
    : 'unreadable'
}

/**
 * Creates the lock atomically with its content complete: the holder is written to a file of its
 * own, then hard-linked to the lock's name (which fails if the lock exists), so nobody ever reads
 * a half-written lock.
 */
function tryCreate(file: string, me: LockHolder): boolean {
  const staged = `${file}.${me.nonce}`
  fs.writeFileSync(staged, JSON.stringify(me), { flag: 'wx' })
  try {
    fs.linkSync(staged, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    fs.rmSync(staged, { force: true })
  }
}

/**
 * Removes a dead holder's lock. Of all processes that found this same dead lock, only the one
 * that creates its claim file (exclusive create, named by the lock's nonce) may remove it, and it
 * is still that lock then: nobody else removes a lock with this nonce. The others retry.
 */
function takeOver(dir: string, file: string, dead: LockHolder): void {
  try {
    fs.writeFileSync(path.join(dir, `${CLAIM_PREFIX}${dead.nonce}`), String(process.pid), {
      flag: 'wx',
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return
    throw error
  }
  const now = readHolder(file)
  if (now !== null && now !== 'unreadable' && now.nonce === dead.nonce)
    fs.rmSync(file, { force: true })
}

/** Old claims, and lock files staged by a process killed before it linked them. */
function removeOldClaims(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(`${LOCK_FILE}.`)) continue
    const claim = path.join(dir, name)
    try {
      if (Date.now() - fs.statSync(claim).mtimeMs > CLAIM_KEEP_MS) fs.rmSync(claim, { force: true })
    } catch {
      // Another process cleaned it up first.
    }
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Holds `<library>/jobs.lock` so that two processes never run jobs on one library at once. A lock
 * left by a process that died is taken over, by exactly one of the processes that find it.
 * Returns the release function.
 */
export function acquireJobLock(libraryDir: string): () => void {
  const file = path.join(libraryDir, LOCK_FILE)
  const me: LockHolder = {
    pid: process.pid,
    started: processStart(process.pid),
    nonce: randomUUID(),
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(file, me)) {
      removeOldClaims(libraryDir)
      return () => {
        const holder = readHolder(file)
        if (holder !== null && holder !== 'unreadable' && holder.nonce === me.nonce)
          fs.rmSync(file, { force: true })
      }
    }
    const holder = readHolder(file)
    if (holder === null) continue // released meanwhile
    if (holder === 'unreadable') {
      pause(50)
      continue
    }
    if (holder.pid !== process.pid && running(holder)) {
      throw new Error(
        `Another Kindred process (pid ${holder.pid}) is working on the library ${libraryDir}. Wait for it to finish, or stop it, then try again.`,
      )
    }
    takeOver(libraryDir, file, holder)
    pause(attempt < 5 ? 1 : 20)
  }
  throw new Error(`Could not lock the library ${libraryDir} for a job.`)
}
