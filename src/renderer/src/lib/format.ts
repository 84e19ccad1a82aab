/** Small formatters shared by the screens: counts, sizes, durations, percentages. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** Sizes read the same as in the CLI: src/common/format.ts. */
export { formatBytes } from '../../../common/format'

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  if (seconds < 1) return 'under a second'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${s % 60} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return ''
  return perSecond >= 10
    ? `${Math.round(perSecond)} ${unit}/s`
    : `${perSecond.toFixed(1)} ${unit}/s`
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`
}

/** Accepts epoch milliseconds, or seconds (values too small to be milliseconds after 1973). */
export function formatDate(epoch: number | null): string {
  if (epoch === null) return '—'
  return new Date(epoch < 1e11 ? epoch * 1000 : epoch).toLocaleString()
}
