/**
 * `kindred organize` says when training learnt from fewer photos than it grouped: shots of a
 * burst (EXIF times a second apart) go with the burst's first photo.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BURSTS, folderWithBursts, KINDS, PER_KIND, SHOTS } from '../helpers/bursts'
import { kindred } from '../helpers/cli'
import { tempDir } from '../helpers/tmp'

const PHOTOS = KINDS.length * PER_KIND + BURSTS * SHOTS

async function organize(folder: string, ...flags: string[]) {
  const library = path.join(tempDir('kindred-cli-bursts-'), 'library')
  const out = await kindred(
    'organize',
    folder,
    '--clusters',
    'auto',
    '--library',
    library,
    ...flags,
  )
  return { ...out, library }
}

describe('kindred organize on photos shot in bursts', { timeout: 600_000 }, () => {
  it('says how many photos it learnt from and how many went with their burst', async () => {
    const out = await organize(await folderWithBursts(true))
    expect(out.code, out.stderr).toBe(0)
    const left = BURSTS * (SHOTS - 1)
    expect(out.stdout).toContain(
      `Learnt from ${PHOTOS - left} photos; ${left} more were shots of a burst and went with it.`,
    )

    // Later, `status` says the same of the last run, with the groups it left.
    const status = await kindred('status', '--library', out.library)
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).toMatch(/^\d+ groups? and \d+ photos? in Unsorted, organized .+ in /m)
    expect(status.stdout).toContain(
      `learnt from ${PHOTOS - left} photos; ${left} more were shots of a burst and went with it`,
    )
    const doc = JSON.parse((await kindred('status', '--library', out.library, '--json')).stdout)
    expect(doc.organized).toMatchObject({
      groups: expect.any(Number),
      lastRun: {
        seconds: expect.any(Number),
        learnt: { photos: PHOTOS - left, leftInBursts: left },
      },
    })
  })

  it('without capture times learns from every photo, and --json says so', async () => {
    const out = await organize(await folderWithBursts(false), '--json')
    expect(out.code, out.stderr).toBe(0)
    const doc = JSON.parse(out.stdout) as { learnt: { photos: number; leftInBursts: number } }
    expect(doc.learnt).toEqual({ photos: PHOTOS, leftInBursts: 0 })
  })
})
