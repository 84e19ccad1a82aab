/**
 * Preloaded (`--import`) into an engine process by export-kill.test.ts: every copy and link
 * takes KINDRED_SLOW_DISK_MS longer, as on a slow USB drive, so that a kill lands in the middle
 * of an export and, often, between the two steps of placing one file.
 */
import fs from 'node:fs/promises'

const delayMs = Number(process.env.KINDRED_SLOW_DISK_MS ?? 40)
const pause = () => new Promise((resolve) => setTimeout(resolve, delayMs))
const slow = fs as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
for (const name of ['copyFile', 'link']) {
  const real = slow[name]!.bind(fs)
  slow[name] = async (...args: unknown[]) => {
    const result = await real(...args)
    await pause()
    return result
  }
}
