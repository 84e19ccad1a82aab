/**
 * Watching a photo folder that holds what no photo folder should: a FIFO, links into /proc,
 * /sys and /dev, a dangling link, a folder nobody may read, a name that is not UTF-8, and a file
 * that vanishes while it is being written. The watcher never opens the FIFO or follows the
 * links, the engine keeps answering, and photos added afterwards are still picked up.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import type { WatchReport } from '../../src/shared/contract'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { FAST, caltechPhoto, nextReport, untilJobEnds } from '../watch/helpers'

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

function canRead(dir: string): boolean {
  try {
    fs.readdirSync(dir)
    return true
  } catch {
    return false
  }
}

describe('watching a folder with special files and links', () => {
  it('never blocks or crashes, reports what it could not read, and goes on watching', async () => {
    const photos = tempDir('kindred-photos-')
    fs.copyFileSync(
      sharedPath('fixtures', 'exif-samples', 'Canon_40D.jpg'),
      path.join(photos, 'a.jpg'),
    )
    const engine = await Engine.open(path.join(tempDir(), 'library'), { watch: FAST })
    engines.push(engine)
    await untilJobEnds(engine, () => engine.invoke('library.addFolder', { path: photos }))
    expect(engine.watchedFolders).toEqual([photos])
    await engine.watchReady()

    const reports: WatchReport[] = []
    engine.onEvent((event) => event.type === 'library.watched' && reports.push(event.report))
    const report = await nextReport(engine, () => {
      execFileSync('mkfifo', [path.join(photos, 'pipe.jpg')])
      for (const [name, target] of [
        ['zero.jpg', '/dev/zero'],
        ['environ.jpg', '/proc/self/environ'],
        // /proc/self/root is the whole file system: watching through it would never end.
        ['system', '/proc/self/root'],
        ['kernel', '/sys/kernel'],
        ['gone.jpg', path.join(photos, 'nowhere.jpg')],
      ])
        fs.symlinkSync(target!, path.join(photos, name!))
      const locked = path.join(photos, 'locked')
      fs.mkdirSync(locked)
      fs.copyFileSync(caltechPhoto('bonsai', 0), path.join(locked, 'inside.jpg'))
      fs.chmodSync(locked, 0)
      fs.writeFileSync(
        Buffer.concat([
          Buffer.from(`${photos}/`),
          Buffer.from([0x63, 0x61, 0x66, 0xe9]),
          Buffer.from('.jpg'),
        ]),
        fs.readFileSync(caltechPhoto('bonsai', 1)),
      )
      // Written and removed at once: there when the event comes, gone when it is read.
      const brief = path.join(photos, 'brief.jpg')
      fs.copyFileSync(caltechPhoto('bonsai', 2), brief)
      fs.rmSync(brief)
      fs.copyFileSync(caltechPhoto('bonsai', 3), path.join(photos, 'b.jpg'))
    })
    // The engine still answers, and the photos are in (not a whole system walked through /proc).
    const summary = await engine.invoke('library.summary', {})
    // b.jpg and the one named in Latin-1, plus the one in the locked folder where it can be
    // read (by root): never anything from /proc, /sys or /dev.
    const readable = canRead(path.join(photos, 'locked'))
    expect(report.added).toBe(readable ? 3 : 2)
    expect(summary.photos.ok).toBe(readable ? 4 : 3)
    const failures = await engine.invoke('library.failures', { offset: 0, limit: 100 })
    const reasons = new Map(failures.items.map((f) => [path.basename(f.path), f.error]))
    expect(reasons.get('pipe.jpg')).toMatch(/named pipe \(FIFO\)/)
    // The links into /proc, /sys and /dev are reported, not followed (the FIFO too, if seen),
    // in this report or the next: their events may come a little after the photos'.
    await expect
      .poll(() => reports.reduce((sum, r) => sum + r.failed, 0), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(4)
    expect(reports.some((r) => /could not be read/.test(r.message))).toBe(true)

    // Still watching: a photo added afterwards is picked up like any other.
    await engine.watchSettled()
    const after = await nextReport(engine, () =>
      fs.copyFileSync(caltechPhoto('bonsai', 4), path.join(photos, 'c.jpg')),
    )
    expect(after).toMatchObject({ added: 1, missing: 0 })
    fs.chmodSync(path.join(photos, 'locked'), 0o755)
  }, 180_000)
})
