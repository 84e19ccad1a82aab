/**
 * End to end in real Chromium against browser mode (`kindred serve`) on a real library of
 * 4 Caltech classes × 20 photos: import, organize, rename, merge, undo, move, split, export,
 * checking the files on disk. Saves a screenshot of each main screen to test-results/screenshots.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sharedPath } from '../helpers/shared'
import {
  askForGroups,
  waitForOrganized,
  backgroundOf,
  buildRenderer,
  CHROMIUM,
  copyPhotos,
  launchBrowser,
  listFiles,
  screenshot,
  startServer,
  type Server,
} from './harness'

const CLASSES = ['Motorbikes', 'bonsai', 'butterfly', 'chandelier']
const PER_CLASS = 20
const PHOTOS = CLASSES.length * PER_CLASS
/** Plus one unreadable file, which the Library must list with its reason. */
const FILES = PHOTOS + 1

describe.skipIf(!fs.existsSync(CHROMIUM))('browser mode end to end', () => {
  let work: string
  let photos: string
  let libraryDir: string
  let rendererDir: string
  let server: Server | undefined
  let browser: Browser | undefined
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-e2e-'))
    photos = path.join(work, 'photos')
    expect(copyPhotos(photos, CLASSES, PER_CLASS)).toBe(PHOTOS)
    fs.copyFileSync(
      sharedPath('fixtures', 'formats', 'truncated.jpg'),
      path.join(photos, 'broken.jpg'),
    )
    rendererDir = path.join(work, 'renderer')
    await buildRenderer(rendererDir)
    libraryDir = path.join(work, 'library')
    server = await startServer(libraryDir, rendererDir)
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } })
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        pageErrors.push(m.text())
    })
    await page.goto(server.url)
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  const cards = () => page.locator('article[data-cluster-id]')
  const card = (name: string) => page.getByRole('article', { name: `Group ${name}`, exact: true })
  const groupNames = async () =>
    (await cards().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).map((l) =>
      (l ?? '').replace(/^Group /, ''),
    )
  const tiles = () => page.getByRole('listbox').getByRole('option')

  test('the page loads without a token problem or CSP violation', async () => {
    await expect(page.getByRole('heading', { name: 'Library' }).isVisible()).resolves.toBe(true)
    expect(pageErrors).toEqual([])
  })

  test('imports a folder typed by path, with progress, then counts the photos', async () => {
    await page.getByRole('textbox', { name: 'Add a photo folder' }).fill(photos)
    await page.getByRole('button', { name: 'Add folder' }).click()
    await page
      .getByText(`${CLASSES.length * PER_CLASS} photos`)
      .first()
      .waitFor({ timeout: 180_000 })
    await page.getByRole('listitem').filter({ hasText: photos }).first().waitFor()
    expect(await screenshot(page, 'library')).toBe(0)
  }, 200_000)

  test('organizes into 4 groups with live progress and a loss plot', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Organize' }).click()
    await expect(page.getByTestId('engine-info').textContent()).resolves.toMatch(/Computing on/)
    await askForGroups(page, 4)
    await page.getByRole('button', { name: /^Organize \d+ photos/ }).click()
    await waitForOrganized(page, server)
    const progress = page.getByRole('region', { name: 'Organize progress' })
    await expect(progress.locator('polyline').count()).resolves.toBeGreaterThan(0)
    await progress.locator('svg').last().scrollIntoViewIfNeeded()
    expect(await screenshot(page, 'organize')).toBe(0)
    await progress.getByRole('button', { name: /See the/ }).click()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    // The heading shows before the groups have loaded: wait for the cards.
    await expect.poll(() => cards().count(), { timeout: 30_000 }).toBe(4)
    expect(await screenshot(page, 'groups')).toBe(0)
    // The theme follows the OS.
    const light = await backgroundOf(page)
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await screenshot(page, 'groups-dark')).toBe(0)
    const dark = await backgroundOf(page)
    expect(dark).not.toBe(light)
    await page.emulateMedia({ colorScheme: 'light' })
    // A theme picked by the person wins over the OS, and is remembered after a reload.
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark')
    expect(await backgroundOf(page)).toBe(dark)
    await page.reload()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    expect(await backgroundOf(page)).toBe(dark)
    expect(await screenshot(page, 'groups-dark-chosen')).toBe(0)
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system')
    expect(await backgroundOf(page)).toBe(light)
  }, 600_000)

  test('renames a group in place', async () => {
    const [first] = await groupNames()
    await card(first!)
      .getByRole('button', { name: /Group name/ })
      .click()
    const input = card(first!).getByRole('textbox', { name: 'Group name' })
    await input.fill('My favourites')
    await input.press('Enter')
    await card('My favourites').waitFor()
    expect(await groupNames()).toContain('My favourites')
  })

  test('merges two groups by selection, then Ctrl+Z undoes it', async () => {
    const before = await groupNames()
    await card(before[1]!).getByRole('checkbox').check()
    await card(before[2]!).getByRole('checkbox').check()
    await page.getByRole('button', { name: /^Merge 2 into/ }).click()
    await expect.poll(() => cards().count()).toBe(3)
    await page.locator('body').press('Control+z')
    await expect.poll(() => cards().count()).toBe(4)
    expect((await groupNames()).sort()).toEqual([...before].sort())
  })

  test('drags one group onto another to merge them, and undoes it with the button', async () => {
    const before = await groupNames()
    await card(before[3]!).dragTo(card(before[0]!))
    await expect.poll(() => cards().count()).toBe(3)
    await page.getByRole('button', { name: /^↶ Undo/ }).click()
    await expect.poll(() => cards().count()).toBe(4)
    expect((await groupNames()).sort()).toEqual([...before].sort())
  })

  test('moves photos to another group from the group view', async () => {
    const [name, target] = await groupNames()
    const sizeOf = async (n: string) =>
      Number((await card(n).locator('.stats span').first().textContent())!.match(/\d+/)![0])
    const [fromSize, toSize] = [await sizeOf(name!), await sizeOf(target!)]
    await card(name!)
      .getByRole('button', { name: `Open ${name}` })
      .click()
    await tiles().nth(2).waitFor()
    await tiles().nth(0).click()
    await tiles()
      .nth(2)
      .click({ modifiers: ['Shift'] })
    await page.getByText('3 photos selected').waitFor()
    expect(await screenshot(page, 'group-detail')).toBe(0)
    await tiles().nth(1).dblclick()
    await page.getByRole('dialog').getByText('Taken').waitFor()
    expect(await screenshot(page, 'photo-viewer')).toBe(0)
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await tiles().nth(0).click()
    await tiles()
      .nth(2)
      .click({ modifiers: ['Shift'] })
    await page
      .getByRole('combobox', { name: 'Move selected photos to' })
      .selectOption({ label: target! })
    await page.getByRole('button', { name: 'Move', exact: true }).click()
    await page.getByText(`Moved 3 photos to ${target}`).waitFor()
    // The toast sits beside the grid, never over the part of it that shows photos.
    const toast = (await page
      .getByRole('status')
      .filter({ hasText: 'Moved 3 photos' })
      .boundingBox())!
    const grid = (await page.getByRole('listbox').boundingBox())!
    expect(grid.y + grid.height).toBeLessThanOrEqual(toast.y + 0.5)
    // Drag and drop does the same: one photo onto the target in the side list.
    await tiles()
      .nth(0)
      .dragTo(page.getByRole('complementary').getByText(target!, { exact: true }))
    await page.getByText(`Moved 1 photo to ${target}`).waitFor()
    await page.getByRole('button', { name: '← Groups' }).click()
    await expect.poll(() => sizeOf(name!)).toBe(fromSize - 4)
    expect(await sizeOf(target!)).toBe(toSize + 4)
  })

  test('finds photos by folder name from the top bar, and opens one', async () => {
    await page.getByRole('searchbox', { name: 'Search photos' }).fill(CLASSES[0]!)
    await page.getByRole('searchbox', { name: 'Search photos' }).press('Enter')
    await page.getByRole('heading', { name: 'Find photos' }).waitFor()
    await page.getByText(`${PER_CLASS} photos`, { exact: true }).waitFor()
    await expect(tiles().count()).resolves.toBe(PER_CLASS)
    expect(await screenshot(page, 'search')).toBe(0)
    await tiles().nth(0).dblclick()
    await page.getByRole('dialog').getByText(CLASSES[0]!, { exact: false }).first().waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('navigation').getByRole('button', { name: 'Groups', exact: true }).click()
  })

  test('splits a group into two', async () => {
    const [name] = await groupNames()
    await card(name!)
      .getByRole('button', { name: `Open ${name}` })
      .click()
    await page.getByRole('button', { name: 'Split…' }).click()
    await page.getByRole('spinbutton', { name: 'Number of parts' }).fill('2')
    await page.getByRole('dialog').getByRole('button', { name: 'Split', exact: true }).click()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    await expect.poll(() => cards().count()).toBe(5)
  })

  test('exports by copying into one folder per group, after a preview with counts', async () => {
    const destination = path.join(work, 'sorted')
    const names = await groupNames()
    await page.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export groups to folders' })
    await dialog.getByRole('textbox', { name: 'Destination folder' }).fill(destination)
    await dialog.getByRole('radio', { name: /Copy/ }).check()
    await dialog.getByRole('button', { name: 'Preview' }).click()
    const preview = dialog.getByRole('region', { name: 'Export preview' })
    await preview.waitFor()
    const rows = await preview.locator('tbody tr').count()
    expect(rows).toBe(names.length)
    const planned = Number(
      (await preview.locator('strong').first().textContent())!.match(/\d+/)![0],
    )
    expect(fs.existsSync(destination) ? listFiles(destination) : []).toEqual([]) // a dry run
    expect(await screenshot(page, 'export-preview')).toBe(0)
    await dialog.getByRole('button', { name: /^Export \d+ files?$/ }).click()
    await dialog.getByText('Export finished.').waitFor({ timeout: 120_000 })
    expect(await screenshot(page, 'export-done')).toBe(0)
    const files = listFiles(destination)
    expect(files).toHaveLength(planned)
    expect(new Set(files.map((f) => f.split(path.sep)[0])).size).toBe(names.length)
    expect(fs.readdirSync(destination)).toContain('My favourites')
    // Copies: the originals are all still there.
    expect(listFiles(photos)).toHaveLength(FILES)
    await dialog.getByRole('button', { name: 'Close' }).click()
  }, 180_000)

  test('a move export can be undone: files go back where they were', async () => {
    const destination = path.join(work, 'moved')
    await page.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export groups to folders' })
    await dialog.getByRole('textbox', { name: 'Destination folder' }).fill(destination)
    await dialog.getByRole('radio', { name: /Move/ }).check()
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await dialog.getByRole('button', { name: /^Move \d+ files?$/ }).click()
    await dialog.getByText('Export finished.').waitFor({ timeout: 120_000 })
    const moved = listFiles(destination).length
    expect(moved).toBeGreaterThan(0)
    expect(listFiles(photos)).toHaveLength(FILES - moved)
    await dialog.getByRole('button', { name: 'Undo this move' }).click()
    await page.getByText(/Moved \d+ files? back/).waitFor({ timeout: 60_000 })
    expect(listFiles(photos)).toHaveLength(FILES)
    expect(pageErrors).toEqual([])
  }, 180_000)

  test('after restarting kindred serve, groups, names and the undo history are still there', async () => {
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    const names = (await groupNames()).sort()
    const undo = page.getByRole('button', { name: /^↶ Undo/ })
    const label = await undo.textContent()
    expect(label).toMatch(/Undo \S/)
    await server!.stop()
    server = await startServer(libraryDir, rendererDir)
    await page.goto(server.url)
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    expect((await groupNames()).sort()).toEqual(names)
    expect(names).toContain('My favourites')
    await expect.poll(() => undo.textContent()).toBe(label)
  }, 180_000)
})
