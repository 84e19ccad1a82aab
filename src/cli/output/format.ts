/** Small text formatters for command output. */
import type { JobSummary } from '../../shared/jobs'

/** Sizes read the same as in the app: src/common/format.ts. */
export { formatBytes } from '../../common/format'

/** Label/value rows with the values aligned. */
export function table(rows: [string, string | number][], indent = '  '): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join('\n')
}

/**
 * What training learnt from, after "learnt from": "35 photos; 12 more were shots of a burst and
 * went with it"; null when it learnt from every photo (or it is not known).
 */
export function learntFrom(learnt: JobSummary['learnt'] | null | undefined): string | null {
  if (!learnt || learnt.leftInBursts === 0) return null
  return `${learnt.photos} photos; ${learnt.leftInBursts} more were shots of a burst and went with it`
}
