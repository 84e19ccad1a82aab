/**
 * End to end in real Chromium against browser mode (`kindred serve`), for features a person
 * reaches by mouse and keyboard: search from the top bar with filters, reviewing doubtful photos
 * with one-key answers, dragging photos onto a group in the side list, the dark theme with the
 * `?` shortcut sheet, and an export whose folders are named by a pattern. Each test checks the
 * screen and the library (its database) or the files on disk, and saves a screenshot
 * to test-results/screenshots.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DB_FILE } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import {
  askForGroups,
  waitForOrganized,
  backgroundOf,
  CHROMIUM,
  closeApp,
  copyPhotos,
  listFiles,
  openApp,
  screenshot,
  type BrowserApp,
} from './harness'

/** Three classes into two groups: one class has to share, so the model is unsure of some. */
const CLASSES = ['dolphin', 'sunflower', 'Motorbikes']
const PER_CLASS = 12
const GROUPS = 2
/** Real camera photos whose EXIF dates (2006–2008) differ from their files' dates. */
const CAMERAS = ['Canon_40D.jpg', 'Fujifilm_FinePix_E500.jpg', 'Nikon_D70.jpg', 'Sony_HDR-HC3.jpg']
const PHOTOS = CLASSES.length * PER_CLASS + CAMERAS.length
/** File dates: half of each class in one month, half in another, to split export folders. */
const SPRING = new Date(2023, 3, 10, 12, 0)
const SUMMER = new Date(2024, 6, 20, 12, 0)

interface PhotoRow {
  id: number
  path: string
  takenAt: number
  clusterId: number | null
  source: string | null
}

describe.skipIf(!fs.existsSync(CHROMIUM))('features end to end', () => {
  let work: string
  let photos: string
  let libraryDir: string
  let app: BrowserApp | undefined
  let page: Page

  /** The library as the engine wrote it, read without disturbing it. */
  function library<T>(read: (db: Database.Database) => T, readonly = true): T {
    const db = new Database(path.join(libraryDir, DB_FILE), { readonly, fileMustExist: true })
    try {
      return read(db)
    } finally {
      db.close()
    }
  }
  const photoRows = (): PhotoRow[] =>
    library(
      (db) =>
        db
          .prepare(
            `SELECT p.id, p.path, COALESCE(p.taken_at, p.mtime_ms) AS takenAt,
               a.cluster_id AS clusterId, a.source
             FROM photos p
             LEFT JOIN assignments a ON a.photo_id = p.id
               AND a.run_id = (SELECT MAX(id) FROM runs WHERE state = 'done')
             WHERE p.status = 'ok' ORDER BY p.id`,
          )
          .all() as PhotoRow[],
    )
  const groupIdByName = (name: string): number =>
    library((db) => {
      const rows = db
        .prepare(
          `SELECT id, idx, name FROM clusters
           WHERE run_id = (SELECT MAX(id) FROM runs WHERE state = 'done') AND merged_into IS NULL`,
        )
        .all() as { id: number; idx: number; name: string | null }[]
      return rows.find((r) => (r.name ?? `Group ${r.idx + 1}`) === name)!.id
    })

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-features-'))
    photos = path.join(work, 'photos')
    expect(copyPhotos(photos, CLASSES, PER_CLASS)).toBe(CLASSES.length * PER_CLASS)
    for (const name of CLASSES) {
      fs.readdirSync(path.join(photos, name))
        .sort()
        .forEach((file, i) => {
          const date = i % 2 === 0 ? SPRING : SUMMER
          fs.utimesSync(path.join(photos, name, file), date, date)
        })
    }
    fs.mkdirSync(path.join(photos, 'camera'))
    for (const file of CAMERAS) {
      const to = path.join(photos, 'camera', file)
      fs.copyFileSync(sharedPath('fixtures', 'exif-samples', file), to)
      fs.utimesSync(to, SUMMER, SUMMER)
    }
    libraryDir = path.join(work, 'library')
    app = await openApp(work, libraryDir)
    page = app.page
  }, 300_000)

  afterAll(async () => {
    await closeApp(app)
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  const tiles = () => page.getByRole('listbox').getByRole('option')
  const cards = () => page.locator('article[data-cluster-id]')
  const groupNames = async () =>
    (await cards().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).map((l) =>
      (l ?? '').replace(/^Group /, ''),
    )

  test('imports and organizes the library', async () => {
    await page.getByRole('textbox', { name: 'Add a photo folder' }).fill(photos)
    await page.getByRole('button', { name: 'Add folder' }).click()
    await page.getByText(`${PHOTOS} photos`).first().waitFor({ timeout: 180_000 })
    await page.getByRole('navigation').getByRole('button', { name: 'Organize' }).click()
    await askForGroups(page, GROUPS)
    await page.getByRole('button', { name: /^Organize \d+ photos/ }).click()
    await waitForOrganized(page, app?.server)
    const progress = page.getByRole('region', { name: 'Organize progress' })
    await progress.getByRole('button', { name: /See the/ }).click()
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    // The heading shows before the groups have loaded: wait for the cards.
    await expect.poll(() => cards().count(), { timeout: 30_000 }).toBe(GROUPS)
  }, 600_000)

  test('searches from the top bar, then narrows with the group and date filters', async () => {
    const search = page.getByRole('searchbox', { name: 'Search photos' })
    await search.fill(CLASSES[1]!)
    await search.press('Enter')
    await page.getByRole('heading', { name: 'Find photos' }).waitFor()
    const count = page.getByRole('heading', { name: 'Find photos' }).locator('..').locator('.muted')
    await expect.poll(() => count.textContent()).toBe(`${PER_CLASS} photos`)
    await expect.poll(() => tiles().count()).toBe(PER_CLASS)

    // Only the photos of one group: as many as the library says are in it.
    const filters = page.getByRole('form', { name: 'Filters' })
    const groupFilter = filters.getByRole('combobox', { name: 'Group' })
    const group = await groupFilter.locator('option').nth(1).textContent()
    await groupFilter.selectOption({ label: group! })
    const inGroup = photoRows().filter(
      (p) => p.clusterId === groupIdByName(group!) && p.path.includes(`/${CLASSES[1]}/`),
    ).length
    await expect.poll(() => count.textContent()).toBe(`${inGroup} photo${inGroup === 1 ? '' : 's'}`)

    // And only those taken in the summer month: half of them (the files' dates, no EXIF).
    await groupFilter.selectOption({ label: 'All groups' })
    await filters.getByLabel('Taken from').fill('2024-07-01')
    await filters.getByLabel('to', { exact: true }).fill('2024-07-31')
    await expect.poll(() => count.textContent()).toBe(`${PER_CLASS / 2} photos`)
    await expect.poll(() => tiles().count()).toBe(PER_CLASS / 2)
    expect(await screenshot(page, 'features-search-filters')).toBe(0)
  })

  test('reviews doubtful photos with one-key answers: 2 moves, 1 keeps, U unsorts', async () => {
    // This small library is clear-cut: the model is over 50% sure of every photo, so none is
    // doubtful. The three it was least sure of stand in for unsure ones, as on a real library.
    const unsure = library((db) => {
      db.pragma('busy_timeout = 10000')
      const ids = db
        .prepare(
          `SELECT photo_id FROM assignments
           WHERE run_id = (SELECT MAX(id) FROM runs WHERE state = 'done') AND source = 'model'
             AND cluster_id IS NOT NULL AND runner_up_cluster_id IS NOT NULL
           ORDER BY confidence, photo_id LIMIT 3`,
        )
        .pluck()
        .all() as number[]
      const lower = db.prepare(
        `UPDATE assignments SET confidence = 0.4 WHERE photo_id = ?
           AND run_id = (SELECT MAX(id) FROM runs WHERE state = 'done')`,
      )
      for (const id of ids) lower.run(id)
      return ids
    }, false)
    expect(unsure).toHaveLength(3)
    await page.getByRole('navigation').getByRole('button', { name: 'Groups', exact: true }).click()
    await page.getByRole('button', { name: 'Review 3 doubtful photos' }).click()
    await page.getByRole('heading', { name: 'Review doubtful photos' }).waitFor()
    const status = page.getByText(/\d+ of \d+.*· \d+ decided/)
    await expect.poll(() => status.textContent()).toMatch(/^\s*1 of 3 · 0 decided\s*$/)
    expect(await screenshot(page, 'features-review')).toBe(0)

    const shown = async () => {
      const src = await page.locator('figure.photo img').getAttribute('src')
      const id = Number(src!.match(/\/photos\/(\d+)\//)![1])
      const groupIn = async (choice: RegExp) =>
        (await page.getByRole('button', { name: choice }).textContent())!
          .replace(/^\s*\d\s*(Keep in|Move to)\s*/, '')
          .trim()
      return { id, keep: await groupIn(/Keep in/), other: await groupIn(/Move to/) }
    }
    const answers: { id: number; key: string; to: number | null }[] = []
    for (const [key, decided] of [
      ['2', 1],
      ['1', 2],
      ['u', 3],
    ] as const) {
      const { id, keep, other } = await shown()
      const to = key === '2' ? groupIdByName(other) : key === '1' ? groupIdByName(keep) : null
      answers.push({ id, key, to })
      await page.keyboard.press(key)
      await expect.poll(() => page.getByText(new RegExp(`· ${decided} decided`)).count()).toBe(1)
    }
    await page.getByText('You went through 3 photos and decided 3 of them.').waitFor()
    expect(answers.map((a) => a.id).sort()).toEqual([...unsure].sort())
    // The library holds each answer, as the person's own (a retrain keeps it).
    const rows = photoRows()
    for (const a of answers) {
      const row = rows.find((p) => p.id === a.id)!
      expect({ key: a.key, clusterId: row.clusterId }).toEqual({ key: a.key, clusterId: a.to })
      expect(row.source).toBe('user')
    }
  })

  test('drags selected photos onto a group in the side list', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Groups', exact: true }).click()
    const [from, to] = await groupNames()
    const before = photoRows()
    const fromId = groupIdByName(from!)
    const toId = groupIdByName(to!)
    await page.getByRole('button', { name: `Open ${from}` }).click()
    await tiles().nth(1).waitFor()
    await tiles().nth(0).click()
    await tiles()
      .nth(1)
      .click({ modifiers: ['Shift'] })
    await page.getByText('2 photos selected').waitFor()
    const side = page.getByRole('complementary', { name: 'Drop photos on a group' })
    await tiles()
      .nth(1)
      .dragTo(side.getByText(to!, { exact: true }))
    await page.getByText(`Moved 2 photos to ${to}`).waitFor()
    expect(await screenshot(page, 'features-drag-to-group')).toBe(0)
    const after = photoRows()
    const count = (rows: PhotoRow[], id: number) => rows.filter((p) => p.clusterId === id).length
    expect(count(after, fromId)).toBe(count(before, fromId) - 2)
    expect(count(after, toId)).toBe(count(before, toId) + 2)
    await page.getByRole('button', { name: '← Groups' }).click()
  })

  test('the dark theme, and the shortcut sheet opened with ?', async () => {
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    const light = await backgroundOf(page)
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark')
    const dark = await backgroundOf(page)
    expect(dark).not.toBe(light)
    await page.locator('body').press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.waitFor()
    await expect(sheet.getByText('Undo the last edit').isVisible()).resolves.toBe(true)
    // Readable: the sheet's text is far from its background in dark mode.
    const [fg, bg] = await sheet.evaluate((el) => {
      const w = globalThis as unknown as {
        getComputedStyle(e: unknown): { color: string; backgroundColor: string }
      }
      return [w.getComputedStyle(el).color, w.getComputedStyle(el).backgroundColor]
    })
    expect(luminance(fg) - luminance(bg)).toBeGreaterThan(0.5)
    expect(await screenshot(page, 'features-shortcuts-dark')).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => sheet.count()).toBe(0)
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system')
  })

  test('exports with a folder name pattern: one folder per month and group', async () => {
    const destination = path.join(work, 'by-month')
    await page.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export groups to folders' })
    await dialog.getByRole('textbox', { name: 'Destination folder' }).fill(destination)
    await dialog.getByRole('button', { name: 'Month, then group' }).click()
    const pattern = dialog.getByRole('textbox', { name: 'Folder names' })
    await expect(pattern.inputValue()).resolves.toBe('{year}-{month} {group}')
    await expect
      .poll(() => dialog.getByText('For example:').textContent())
      .toMatch(/^For example: \d{4}-\d{2} \S/)
    // A bad pattern is refused at once, with the reason.
    await pattern.fill('{year}/{group}')
    await dialog.getByText(/cannot contain \/ or \\/).waitFor()
    await expect(dialog.getByRole('button', { name: 'Preview' }).isDisabled()).resolves.toBe(true)
    await pattern.fill('{year}-{month} {group}')
    await dialog.getByRole('button', { name: 'Preview' }).click()
    const preview = dialog.getByRole('region', { name: 'Export preview' })
    await preview.waitFor()

    // What the library says: each photo's folder is its month (EXIF, else file) and group.
    const names = new Map((await groupNames()).map((n) => [groupIdByName(n), n]))
    const expected = new Map<string, number[]>()
    const expectedFolder = new Map<number, string>()
    for (const p of photoRows().filter((r) => r.clusterId !== null)) {
      const d = new Date(p.takenAt)
      const folder = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')} ${names.get(p.clusterId!)}`
      expected.set(folder, [...(expected.get(folder) ?? []), p.id])
      expectedFolder.set(p.id, folder)
    }
    // The camera photos are dated by EXIF (2006–2008), not by their files (2024).
    expect([...expected.keys()].filter((f) => /^200[678]-/.test(f)).length).toBeGreaterThan(0)
    const rows = await preview
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
      )
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries([...expected].map(([f, ids]) => [f, String(ids.length)])),
    )
    expect(fs.existsSync(destination)).toBe(false) // a dry run
    await preview.locator('table').scrollIntoViewIfNeeded()
    expect(await screenshot(page, 'features-export-pattern-preview')).toBe(0)

    await dialog.getByRole('button', { name: /^Export \d+ files$/ }).click()
    await dialog.getByText('Export finished.').waitFor({ timeout: 120_000 })
    expect(await screenshot(page, 'features-export-pattern-done')).toBe(0)
    // Every file is where the pattern says, and keeps its original's modification time.
    const items = library(
      (db) =>
        db
          .prepare(
            `SELECT photo_id AS photoId, source, target FROM export_items
             WHERE export_id = (SELECT MAX(id) FROM exports) AND done = 1`,
          )
          .all() as { photoId: number; source: string; target: string }[],
    )
    const want = [...expected.values()].flat().length
    expect(items).toHaveLength(want)
    expect(listFiles(destination)).toHaveLength(want)
    for (const item of items) {
      expect(path.relative(destination, path.dirname(item.target))).toBe(
        expectedFolder.get(item.photoId),
      )
      expect(fs.statSync(item.target).mtimeMs).toBe(fs.statSync(item.source).mtimeMs)
    }
    await dialog.getByRole('button', { name: 'Close' }).click()
    expect(app!.pageErrors).toEqual([])
  }, 180_000)
})

/** Relative luminance (0–1) of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
    const c = Number(v) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return Math.abs(0.2126 * r! + 0.7152 * g! + 0.0722 * b!)
}
