import fs from 'node:fs'
import path from 'node:path'

export const LOCK_FILE = 'jobs.lock'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Holds `<library>/jobs.lock` (our pid) so that two processes never run jobs on one library at
 * once. A lock left by a process that died is taken over. Returns the release function.
 */
export function acquireJobLock(libraryDir: string): () => void {
  const file = path.join(libraryDir, LOCK_FILE)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10)
      if (Number.isFinite(holder) && holder !== process.pid && alive(holder)) {
        throw new Error(
          `Another Kindred process (pid ${holder}) is working on the library ${libraryDir}. Wait for it to finish, or stop it, then try again.`,
        )
      }
      fs.rmSync(file, { force: true })
    }
  }
  throw new Error(`Could not lock the library ${libraryDir} for a job.`)
}
