/**
 * "Looks like" end to end in real Chromium against browser mode (`kindred serve`): 2 Caltech
 * classes are organized into 2 groups; a person splits one in two and finds the parts naming
 * each other on the overview and in the group (never the other kind), merges them with one
 * click, and the library (its database) is back to one group per kind; split again, "Not the
 * same" stops the hint on both screens and moves nothing. Saves screenshots to
 * test-results/screenshots.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DB_FILE } from '../../src/core/store/library'
import {
  askForGroups,
  waitForOrganized,
  CHROMIUM,
  closeApp,
  copyPhotos,
  openApp,
  screenshot,
  type BrowserApp,
} from './harness'

const CLASSES = ['Motorbikes', 'sunflower']
const PER_CLASS = 12

/** Each current group's photos by class folder ({ Motorbikes: 12 }), from the database. */
function groupsByClass(work: string): Record<string, number>[] {
  const db = new Database(path.join(work, 'library', DB_FILE), { readonly: true })
  try {
    const rows = db
      .prepare(
        `SELECT a.cluster_id AS cluster, p.path AS path FROM assignments a
         JOIN photos p ON p.id = a.photo_id
         WHERE a.run_id = (SELECT max(id) FROM runs WHERE state = 'done') AND a.cluster_id IS NOT NULL`,
      )
      .all() as { cluster: number; path: string }[]
    const groups = new Map<number, Record<string, number>>()
    for (const { cluster, path: file } of rows) {
      const kind = path.basename(path.dirname(file))
      const counts = groups.get(cluster) ?? {}
      counts[kind] = (counts[kind] ?? 0) + 1
      groups.set(cluster, counts)
    }
    return [...groups.values()]
  } finally {
    db.close()
  }
}

describe.skipIf(!fs.existsSync(CHROMIUM))('look-alike groups end to end', () => {
  let work: string
  let app: BrowserApp | undefined
  let page: Page

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-e2e-lookalikes-'))
    const photos = path.join(work, 'photos')
    const count = copyPhotos(photos, CLASSES, PER_CLASS)
    app = await openApp(work)
    page = app.page
    await page.getByRole('textbox', { name: 'Add a photo folder' }).fill(photos)
    await page.getByRole('button', { name: 'Add folder' }).click()
    await page.getByText(`${count} photos`).first().waitFor({ timeout: 180_000 })
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('button', { name: 'Organize' }).click()
    await askForGroups(page, 2)
    await page.getByRole('button', { name: /^Organize \d+ photos/ }).click()
    await waitForOrganized(page, app?.server)
  }, 600_000)

  afterAll(async () => {
    await closeApp(app)
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  const card = (name: string) => page.getByRole('article', { name: `Group ${name}` })
  /** The groups' kinds as comparable text, whatever order the database lists them in. */
  const shape = (groups: Record<string, number>[]) =>
    groups.map((g) => JSON.stringify(Object.entries(g).sort())).sort()

  /** Splits the largest group in two from its page and returns its name; the overview opens. */
  async function splitLargest(): Promise<string> {
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('button', { name: 'Groups' }).click()
    const first = page.locator('article[data-cluster-id]').first()
    const name = (await first.getAttribute('aria-label'))!.replace(/^Group /, '')
    await page.getByRole('button', { name: `Open ${name}` }).click()
    await page.getByRole('button', { name: 'Split…' }).click()
    await page.getByRole('spinbutton', { name: 'Number of parts' }).fill('2')
    await page.getByRole('button', { name: 'Split', exact: true }).click()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    return name
  }

  test('a group split in two shows its other part under "Looks like", and one click merges them', async () => {
    const kinds = groupsByClass(work)
    expect(kinds.map((g) => Object.keys(g).length)).toEqual([1, 1])

    const split = await splitLargest()
    const other = split === 'Group 1' ? 'Group 2' : 'Group 1'
    await expect.poll(() => groupsByClass(work).length).toBe(3)
    // The overview's cards name each other (the new part is Group 3), not the other kind's.
    await card('Group 3')
      .getByText(/Looks like/)
      .waitFor()
    expect(await card('Group 3').locator('.alike').textContent()).toMatch(
      new RegExp(`^\\s*Looks like\\s+${split}\\s*$`),
    )
    expect(await card(other).locator('.alike').count()).toBe(0)
    expect(await screenshot(page, 'lookalikes-overview')).toBe(0)

    await page.getByRole('button', { name: 'Open Group 3' }).click()
    const hints = page.getByRole('region', { name: 'Groups that look like Group 3' })
    await hints.waitFor()
    expect(await hints.getByRole('button', { name: /^Open / }).allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^${split} · \\d+ photos$`)),
    ])
    expect(await screenshot(page, 'lookalikes')).toBe(0)

    // The larger part is kept (the one split, unless the split made equal halves).
    await hints.getByRole('button', { name: `Merge ${split} and Group 3` }).click()
    await page.getByText(/^Merged Group \d into Group \d$/).waitFor()
    await expect.poll(() => groupsByClass(work).length).toBe(2)
    expect(shape(groupsByClass(work))).toEqual(shape(kinds))
    expect(app!.pageErrors).toEqual([])
  }, 120_000)

  test('"Not the same" stops the hint on both screens and moves no photo', async () => {
    const split = await splitLargest()
    await card(split)
      .getByText(/Looks like/)
      .waitFor()
    const before = shape(groupsByClass(work))

    await page.getByRole('button', { name: `Open ${split}` }).click()
    const hints = page.getByRole('region', { name: `Groups that look like ${split}` })
    await hints
      .getByRole('button', { name: new RegExp(`is not the same kind as ${split}$`) })
      .click()
    await page.getByText(/will not be suggested together again$/).waitFor()
    await hints.waitFor({ state: 'detached' })
    await page.getByRole('button', { name: '← Groups' }).click()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    await expect.poll(() => card(split).locator('.alike').count()).toBe(0)
    expect(shape(groupsByClass(work))).toEqual(before)
    expect(app!.pageErrors).toEqual([])
  }, 120_000)
})
