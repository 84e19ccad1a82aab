/** Small text formatters for command output. */

/** Sizes read the same as in the app: src/common/format.ts. */
export { formatBytes } from '../../common/format'

/** Label/value rows with the values aligned. */
export function table(rows: [string, string | number][], indent = '  '): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join('\n')
}
