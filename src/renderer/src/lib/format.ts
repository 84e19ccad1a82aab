/** Small formatters shared by the screens: counts, sizes, durations, percentages. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** Sizes and durations read the same as in the CLI: src/common/format.ts. */
export { formatBytes, formatDuration } from '../../../common/format'

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
