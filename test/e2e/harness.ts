/**
 * What the end-to-end tests need around the browser: a photo folder copied from the shared
 * Caltech subset, the renderer built, `kindred serve` running on a fresh library, and Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { sharedPath } from '../helpers/shared'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots')

/** Copies `perClass` photos of each class into `dir/<class>/`; returns how many were copied. */
export function copyPhotos(dir: string, classes: string[], perClass: number): number {
  let copied = 0
  for (const name of classes) {
    const from = sharedPath('datasets', 'caltech20', name)
    const files = fs
      .readdirSync(from)
      .filter((f) => /\.jpe?g$/i.test(f))
      .sort()
      .slice(0, perClass)
    fs.mkdirSync(path.join(dir, name), { recursive: true })
    for (const file of files) fs.copyFileSync(path.join(from, file), path.join(dir, name, file))
    copied += files.length
  }
  return copied
}

/**
 * Builds the renderer from source into `outDir` (served through KINDRED_RENDERER_DIR), so the test
 * never sees a stale out/renderer and never touches the one other tests or a developer use.
 */
export async function buildRenderer(outDir: string): Promise<void> {
  const { build } = await import('vite')
  const { svelte } = await import('@sveltejs/vite-plugin-svelte')
  await build({
    root: path.join(ROOT, 'src/renderer'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [svelte()],
    build: { outDir, emptyOutDir: true },
  })
}

export interface Server {
  url: string
  stop(): Promise<void>
  /** What the server and its engine wrote to stderr so far. */
  log(): string
}

/** Starts `kindred serve --json` on a free port and waits for the address it prints. */
export async function startServer(libraryDir: string, rendererDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/kindred.js'), 'serve', '--port', '0', '--library', libraryDir, '--json'],
    // Its own process group: bin/kindred.js runs the CLI as a child, which forks the engine;
    // stopping the group stops all three.
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      // The model weights come from ../shared, as a developer's would.
      env: {
        ...process.env,
        KINDRED_MODELS_DIR: sharedPath('models'),
        KINDRED_RENDERER_DIR: rendererDir,
      },
    },
  )
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(
      () => reject(new Error(`kindred serve did not start:\n${stderr}`)),
      120_000,
    )
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      try {
        const parsed = JSON.parse(stdout) as { url?: string; error?: string }
        clearTimeout(timer)
        if (parsed.url) resolve(parsed.url)
        else reject(new Error(`kindred serve failed: ${parsed.error}\n${stderr}`))
      } catch {
        // Not a whole JSON document yet.
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`kindred serve exited with ${code}:\n${stderr}`))
    })
  })
  return { url, stop: () => stopChild(child), log: () => stderr }
}

function stopChild(child: ChildProcess): Promise<void> {
  const group = -child.pid!
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name)
    } catch {
      // Already gone.
    }
  }
  if (child.exitCode !== null) {
    signal('SIGTERM')
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => signal('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    signal('SIGTERM')
  })
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** The little of the page's DOM the screenshot checks use (this project compiles without DOM). */
interface PageWindow {
  innerHeight: number
  innerWidth: number
  document: {
    images: Iterable<{
      complete: boolean
      naturalWidth: number
      getBoundingClientRect(): { width: number; top: number; bottom: number; left: number }
    }>
  }
}

/**
 * Saves a screenshot of the window under test-results/screenshots/, once every photo in view has
 * loaded; returns how many photos in view are broken (should be none). The checks are functions,
 * not strings: the page's CSP forbids eval.
 */
/** Kindred in browser mode: its server, and one Chromium page open on it. */
export interface BrowserApp {
  server: Server
  browser: Browser
  page: Page
  /** Errors thrown in the page; a test expects none. */
  pageErrors: string[]
}

/**
 * Builds the renderer into `work/renderer`, serves `libraryDir` (default `work/library`) and
 * opens a 1280×820 page on it. Nothing is left running if a step fails.
 */
export async function openApp(
  work: string,
  libraryDir = path.join(work, 'library'),
): Promise<BrowserApp> {
  const rendererDir = path.join(work, 'renderer')
  await buildRenderer(rendererDir)
  const server = await startServer(libraryDir, rendererDir)
  let browser: Browser | undefined
  try {
    browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } })
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(server.url)
    return { server, browser, page, pageErrors }
  } catch (error) {
    await browser?.close()
    await server.stop()
    throw error
  }
}

/** Closes what openApp opened. */
export async function closeApp(app: BrowserApp | undefined): Promise<void> {
  await app?.browser.close()
  await app?.server.stop()
}

/**
 * After a click on Organize: waits for progress (or fails with the engine's refusal), then for
 * Done. When Done does not come, fails with what the page and the server said.
 */
export async function waitForOrganized(
  page: Page,
  server: Server | undefined,
  timeout = 540_000,
): Promise<void> {
  const progress = page.getByRole('region', { name: 'Organize progress' })
  const refusal = page
    .getByRole('alert')
    .filter({ hasText: /Could not start organizing|organize job failed/ })
    .first()
  try {
    await progress.locator('h2').or(refusal).first().waitFor({ timeout: 60_000 })
    if (await refusal.isVisible())
      throw new Error(`Organize refused: ${await refusal.textContent()}`)
    await progress.getByRole('heading', { name: /^Done/ }).waitFor({ timeout })
  } catch (error) {
    const shown = await page
      .locator('[role=alert], [role=status], section[aria-label="Organize progress"]')
      .allTextContents()
      .catch(() => [])
    throw new Error(
      `Organizing did not finish: ${error instanceof Error ? error.message : String(error)}\n` +
        `On the page: ${shown.join(' | ') || '(nothing)'}\nServer stderr: ${server?.log().slice(-4000) ?? ''}`,
    )
  }
}

/**
 * On the Organize screen: asks for exactly `count` groups. Once, under a loaded CI machine, the
 * click on "Exactly" right after the screen opened did not stick (Playwright: "Clicking the
 * checkbox did not change its state"); the choice is made again until it holds.
 */
export async function askForGroups(page: Page, count: number): Promise<void> {
  const exactly = page.getByRole('radio', { name: /Exactly/ })
  for (let attempt = 1; ; attempt++) {
    try {
      await exactly.check({ timeout: 15_000 })
      break
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
  await page.getByRole('spinbutton', { name: 'Number of groups' }).fill(String(count))
}

export async function screenshot(page: Page, name: string): Promise<number> {
  // Serialised into the page, so each function carries its own copy of the visibility test.
  await page.waitForFunction(
    () => {
      const w = globalThis as unknown as PageWindow
      return [...w.document.images]
        .filter((i) => {
          const r = i.getBoundingClientRect()
          return r.width > 0 && r.bottom > 0 && r.top < w.innerHeight && r.left < w.innerWidth
        })
        .every((i) => i.complete)
    },
    null,
    { timeout: 20_000 },
  )
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
  return page.evaluate(() => {
    const w = globalThis as unknown as PageWindow
    return [...w.document.images].filter((i) => {
      const r = i.getBoundingClientRect()
      const inView = r.width > 0 && r.bottom > 0 && r.top < w.innerHeight && r.left < w.innerWidth
      return inView && i.naturalWidth === 0
    }).length
  })
}

/** The page's background colour, as the browser computed it. */
export function backgroundOf(page: Page): Promise<string> {
  return page.locator('body').evaluate((body) => {
    const w = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
    return w.getComputedStyle(body).backgroundColor
  })
}

/** Every regular file under a folder (following no links), as paths relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name)
      if (entry.isDirectory()) walk(rel)
      else out.push(rel)
    }
  }
  walk('')
  return out.sort()
}
