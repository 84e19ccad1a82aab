/**
 * Near duplicates end to end in real Chromium against browser mode (`kindred serve`): a library
 * of 3 Caltech classes with edited copies of two photos (made now with sharp) is imported and
 * organized; the Duplicates screen shows the sets with the suggested keeper, the threshold can
 * be changed, "Keep this one, hide the rest" hides the others from the groups, Ctrl+Z brings them
 * back, and "Show hidden again" too. Saves screenshots to test-results/screenshots.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
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

const CLASSES = ['butterfly', 'sunflower', 'bonsai']
const PER_CLASS = 8

/** A re-save and a small crop of one butterfly, a brighter copy of one sunflower. */
async function addEditedCopies(photos: string): Promise<number> {
  const butterfly = path.join(photos, 'butterfly', 'image_0001.jpg')
  const sunflower = path.join(photos, 'sunflower', 'image_0001.jpg')
  const { width = 0, height = 0 } = await sharp(butterfly).metadata()
  await sharp(butterfly)
    .jpeg({ quality: 50 })
    .toFile(path.join(photos, 'butterfly', 'copy-resaved.jpg'))
  await sharp(butterfly)
    .extract({
      left: Math.round(width * 0.05),
      top: Math.round(height * 0.05),
      width: Math.round(width * 0.9),
      height: Math.round(height * 0.9),
    })
    .toFile(path.join(photos, 'butterfly', 'copy-cropped.jpg'))
  await sharp(sunflower)
    .modulate({ brightness: 1.2 })
    .toFile(path.join(photos, 'sunflower', 'copy-brighter.jpg'))
  return 3
}

describe.skipIf(!fs.existsSync(CHROMIUM))('near duplicates end to end', () => {
  let work: string
  let app: BrowserApp | undefined
  let page: Page
  let photoCount: number

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-e2e-dups-'))
    const photos = path.join(work, 'photos')
    photoCount = copyPhotos(photos, CLASSES, PER_CLASS) + (await addEditedCopies(photos))
    app = await openApp(work)
    page = app.page
    await page.getByRole('textbox', { name: 'Add a photo folder' }).fill(photos)
    await page.getByRole('button', { name: 'Add folder' }).click()
    await page.getByText(`${photoCount} photos`).first().waitFor({ timeout: 180_000 })
  }, 300_000)

  afterAll(async () => {
    await closeApp(app)
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  const nav = () => page.getByRole('navigation', { name: 'Main' })
  const sets = () => page.locator('article[aria-label^="Set "]')
  const butterflySet = () => sets().filter({ hasText: 'copy-cropped.jpg' })
  /** Photos in all groups plus Unsorted, as the Groups screen counts them. */
  const photosInGroups = async () => {
    await nav().getByRole('button', { name: 'Groups' }).click()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    const counts = await page
      .locator('article[data-cluster-id] .stats span:first-child, article[aria-label="Unsorted"]')
      .allTextContents()
    return counts.reduce((sum, t) => sum + Number(/(\d+) photos?/.exec(t)?.[1] ?? 0), 0)
  }

  test('before organizing, the screen says similarities come from organizing', async () => {
    await nav().getByRole('button', { name: 'Duplicates' }).click()
    await page.getByRole('heading', { name: 'No similarities yet' }).waitFor()
    expect(app!.pageErrors).toEqual([])
  })

  test('after organizing, shows each set with the suggested keeper and the threshold', async () => {
    await nav().getByRole('button', { name: 'Organize' }).click()
    await askForGroups(page, 3)
    await page.getByRole('button', { name: /^Organize \d+ photos/ }).click()
    await waitForOrganized(page, app?.server)

    await nav().getByRole('button', { name: 'Duplicates' }).click()
    await butterflySet().waitFor()
    expect(await page.getByRole('status', { name: 'Threshold in use' }).textContent()).toBe('0.85')
    const names = await butterflySet().locator('li .name').allTextContents()
    expect(names.sort()).toEqual(['copy-cropped.jpg', 'copy-resaved.jpg', 'image_0001.jpg'])
    const brighter = sets().filter({ hasText: 'copy-brighter.jpg' })
    expect((await brighter.locator('li .name').allTextContents()).sort()).toEqual([
      'copy-brighter.jpg',
      'image_0001.jpg',
    ])
    // The crop has fewer pixels: it is never the suggested keeper.
    const suggested = butterflySet().locator('li').filter({ hasText: 'Suggested' })
    await expect(suggested.count()).resolves.toBe(1)
    expect(await suggested.locator('.name').textContent()).not.toBe('copy-cropped.jpg')
    expect(await screenshot(page, 'duplicates')).toBe(0)
  }, 600_000)

  test('a stricter threshold finds fewer sets, and the default comes back', async () => {
    const before = await sets().count()
    const slider = page.getByRole('slider', { name: /Similarity threshold/ })
    await slider.fill('0.99')
    await expect
      .poll(() => page.getByRole('status', { name: 'Threshold in use' }).textContent())
      .toBe('0.99')
    await expect.poll(() => sets().count()).toBeLessThan(before)
    await page.getByRole('button', { name: /Reset to the default/ }).click()
    await expect.poll(() => sets().count()).toBe(before)
  })

  test('keeps the suggested photo, hides the rest from the groups, and Ctrl+Z undoes it', async () => {
    const total = await photosInGroups()
    await nav().getByRole('button', { name: 'Duplicates' }).click()
    await butterflySet().waitFor()
    const keeper = butterflySet().locator('li').filter({ hasText: 'Suggested' })
    const kept = await keeper.locator('.name').textContent()
    await keeper.getByRole('button', { name: 'Keep this one, hide the rest' }).click()
    await expect.poll(() => butterflySet().locator('li', { hasText: 'Hidden' }).count()).toBe(2)
    await expect(
      butterflySet().locator('li', { hasText: 'Kept' }).locator('.name').textContent(),
    ).resolves.toBe(kept)
    await page.getByText('2 photos hidden.').waitFor()
    expect(await screenshot(page, 'duplicates-kept')).toBe(0)
    expect(await photosInGroups()).toBe(total - 2)

    await page.locator('body').press('Control+z')
    await expect.poll(() => photosInGroups()).toBe(total)
    await nav().getByRole('button', { name: 'Duplicates' }).click()
    await butterflySet().waitFor()
    await expect.poll(() => butterflySet().locator('li', { hasText: 'Hidden' }).count()).toBe(0)
  })

  test('"Show hidden again" brings hidden photos back into the groups', async () => {
    const total = await photosInGroups()
    await nav().getByRole('button', { name: 'Duplicates' }).click()
    await butterflySet().waitFor()
    await butterflySet()
      .locator('li')
      .filter({ hasText: 'Suggested' })
      .getByRole('button', { name: 'Keep this one, hide the rest' })
      .click()
    await butterflySet().getByRole('button', { name: 'Show hidden again' }).click()
    await expect.poll(() => butterflySet().locator('li', { hasText: 'Hidden' }).count()).toBe(0)
    expect(await photosInGroups()).toBe(total)
    expect(app!.pageErrors).toEqual([])
  })
})
