/**
 * Export folder names from a pattern such as "{year}-{month} {group}": the group's name and the
 * date each photo was taken (EXIF, else the file's modified time, as stored at import).
 */
import { EditError } from '../edits/errors'
import { safeFolderName } from './names'

/** Today's behaviour: one folder per group, named after it. */
export const DEFAULT_FOLDER_PATTERN = '{group}'
export const FOLDER_PLACEHOLDERS = ['group', 'year', 'month', 'day'] as const
export type FolderPlaceholder = (typeof FOLDER_PLACEHOLDERS)[number]

/** A checked pattern: literal text and placeholders, in order. */
export type FolderPattern = readonly (string | { placeholder: FolderPlaceholder })[]

const TOKEN = /\{([^{}]*)\}/g
const LIST = '{group}, {year}, {month} or {day}'

function invalid(message: string): EditError {
  return new EditError('invalid-arguments', message)
}

/** Parses and checks a pattern; every way it can be wrong gets its own sentence. */
export function parseFolderPattern(pattern: string = DEFAULT_FOLDER_PATTERN): FolderPattern {
  if (pattern.trim() === '') {
    throw invalid(`The folder name pattern is empty: use for example "{group}".`)
  }
  if (/[/\\]/.test(pattern)) {
    throw invalid(
      `The folder name pattern makes one folder name, so it cannot contain / or \\ (got "${pattern}").`,
    )
  }
  const parts: (string | { placeholder: FolderPlaceholder })[] = []
  let last = 0
  for (const match of pattern.matchAll(TOKEN)) {
    const name = match[1]!.trim().toLowerCase()
    if (!(FOLDER_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw invalid(`"${match[0]}" is not a placeholder of the folder name pattern: use ${LIST}.`)
    }
    parts.push(pattern.slice(last, match.index), { placeholder: name as FolderPlaceholder })
    last = match.index + match[0].length
  }
  parts.push(pattern.slice(last))
  const literal = parts.filter((p): p is string => typeof p === 'string').join('')
  if (/[{}]/.test(literal)) {
    throw invalid(`The folder name pattern has a { or } that does not close: use ${LIST}.`)
  }
  if (parts.every((p) => typeof p === 'string') && safeFolderName(literal, '') === '') {
    throw invalid(`The folder name pattern "${pattern}" gives an empty folder name.`)
  }
  return parts.filter((p) => p !== '')
}

/** Whether names from this pattern depend on the photo's date (a group may then split). */
export function usesDate(pattern: FolderPattern): boolean {
  return pattern.some((p) => typeof p !== 'string' && p.placeholder !== 'group')
}

const two = (n: number) => String(n).padStart(2, '0')

/**
 * The folder for a photo of `group` taken at `takenAt` (ms). Dates are local: EXIF dates carry
 * no time zone and are read as local time at import, so this gives back the camera's month.
 * The result is made safe for every OS; `fallback` stands in when nothing usable is left.
 */
export function folderNameFor(
  pattern: FolderPattern,
  group: string,
  takenAt: number,
  fallback: string,
): string {
  const date = new Date(takenAt)
  const values: Record<FolderPlaceholder, string> = {
    group,
    year: String(date.getFullYear()),
    month: two(date.getMonth() + 1),
    day: two(date.getDate()),
  }
  const text = pattern.map((p) => (typeof p === 'string' ? p : values[p.placeholder])).join('')
  return safeFolderName(text, fallback)
}
