/**
 * End to end in real Chromium against browser mode (`kindred serve`, which watches the photo
 * folders): with the page open on an organized library, a photo copied into the folder appears
 * in the groups without a rescan, a notice says so, and the Library's Watch switch is kept.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sharedPath } from '../helpers/shared'
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

describe.skipIf(!fs.existsSync(CHROMIUM))('watched folders in browser mode', () => {
  let work: string
  let photos: string
  let app: BrowserApp | undefined
  let page: Page

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-e2e-watch-'))
    photos = path.join(work, 'photos')
    expect(copyPhotos(photos, CLASSES, PER_CLASS)).toBe(CLASSES.length * PER_CLASS)
    app = await openApp(work)
    page = app.page
  }, 300_000)

  afterAll(async () => {
    await closeApp(app)
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name })
  const watchSwitch = () => page.getByRole('checkbox', { name: `Watch ${photos} for new photos` })

  test('a folder added in the Library is watched, and the switch is kept', async () => {
    await page.getByRole('textbox', { name: 'Add a photo folder' }).fill(photos)
    await page.getByRole('button', { name: 'Add folder' }).click()
    await page
      .getByText(`${CLASSES.length * PER_CLASS} photos`)
      .first()
      .waitFor({ timeout: 180_000 })
    await expect(watchSwitch().isChecked()).resolves.toBe(true)
    await watchSwitch().uncheck()
    await page.reload()
    await expect(watchSwitch().isChecked()).resolves.toBe(false)
    await watchSwitch().check()
    await page.reload()
    await expect(watchSwitch().isChecked()).resolves.toBe(true)
    expect(await screenshot(page, 'watch-library')).toBe(0)
  }, 240_000)

  test('organizes into 2 groups', async () => {
    await nav('Organize').click()
    await askForGroups(page, 2)
    await page.getByRole('button', { name: /^Organize \d+ photos/ }).click()
    await waitForOrganized(page, app?.server)
    const progress = page.getByRole('region', { name: 'Organize progress' })
    await progress.getByRole('button', { name: /See the/ }).click()
    await expect.poll(() => page.locator('article[data-cluster-id]').count()).toBe(2)
  }, 600_000)

  test('a photo copied into the folder shows up in the groups, with a notice', async () => {
    const sizes = async () => {
      const texts = await page
        .locator('article .stats span:first-child, article.unsorted .muted')
        .allTextContents()
      return texts.reduce((sum, t) => sum + Number(t.match(/\d+/)?.[0] ?? 0), 0)
    }
    await expect.poll(sizes).toBe(CLASSES.length * PER_CLASS)
    const name = 'new-motorbike.jpg'
    const files = fs.readdirSync(sharedPath('datasets', 'caltech20', 'Motorbikes')).sort()
    fs.copyFileSync(
      sharedPath('datasets', 'caltech20', 'Motorbikes', files[40]!),
      path.join(photos, name),
    )
    const notice = page
      .getByRole('status')
      .filter({ hasText: /1 new photo (added to groups|sent to Unsorted)/ })
    await notice.waitFor({ timeout: 180_000 })
    await expect.poll(sizes, { timeout: 30_000 }).toBe(CLASSES.length * PER_CLASS + 1)
    expect(await screenshot(page, 'watch-groups-notice')).toBe(0)

    // The new photo itself is in the library, found by its name, with its thumbnail.
    await page.getByRole('searchbox', { name: 'Search photos' }).fill('new-motorbike')
    await page.getByRole('searchbox', { name: 'Search photos' }).press('Enter')
    const found = page.getByRole('listbox', { name: 'Photos found' }).getByRole('img', { name })
    await found.waitFor({ timeout: 30_000 })
    expect(await screenshot(page, 'watch-found')).toBe(0)
    expect(app!.pageErrors).toEqual([])
  }, 240_000)
})
