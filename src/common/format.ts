/**
 * Text formatting that every host shows the same way (the CLI and the app's screens): pure
 * functions with no imports, the one runtime code the renderer shares with the engine's side.
 */

const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const

/**
 * A size in decimal units (1 KB = 1,000 bytes), as the macOS Finder and download pages show
 * them: "8.9 MB", "17.7 MB", "250 MB". Code that divides by 1024 must say KiB/MiB instead.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return bytes === 1 ? '1 byte' : `${bytes} bytes`
  // 999.96 KB would round to "1000.0 KB": show it as the next unit.
  if (value.toFixed(value < 100 ? 1 : 0) === '1000' && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(value < 100 ? 1 : 0)} ${BYTE_UNITS[unit]}`
}
