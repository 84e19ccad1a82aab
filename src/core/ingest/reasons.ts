/** Turns file-system and libvips errors into reasons a person can act on. */

const FS_REASONS: Record<string, string> = {
  EACCES: 'Permission denied: Kindred may not read this {what}.',
  EPERM: 'Permission denied: Kindred may not read this {what}.',
  ENOENT: 'The {what} disappeared while it was being imported.',
  ELOOP: 'Symbolic link loop: the link points (through other links) back to itself.',
  EISDIR: 'This is a folder, not a file.',
  ENOTDIR: 'This is a file, not a folder.',
  EIO: 'Input/output error: the disk or network share could not be read.',
  EMFILE: 'Too many open files; try the import again.',
  ENAMETOOLONG: 'The path is too long to open.',
}

export function fileSystemReason(error: unknown, what: 'file' | 'folder' = 'file'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason = code ? FS_REASONS[code] : undefined
  if (reason) return reason.replace('{what}', what)
  return `Could not read the ${what}: ${cleanMessage(error)}`
}

export const SUPPORTED_FORMATS = 'JPEG, PNG, WebP, AVIF, TIFF, GIF and HEIC/HEIF'
const ANY_SUPPORTED_FORMAT = 'JPEG, PNG, WebP, AVIF, TIFF, GIF or HEIC/HEIF'

export const HEVC_REASON =
  'HEIC photo (HEVC-compressed): the image library on this computer has no HEVC decoder, so it cannot be read.'

/** Reasons for libvips decode failures, matched on the text libvips gives. */
export function decodeReason(error: unknown): string {
  const message = cleanMessage(error)
  if ((error as NodeJS.ErrnoException | undefined)?.code) return fileSystemReason(error)
  if (/compression format has not been built in: HEVC/i.test(message)) {
    return HEVC_REASON
  }
  if (/exceeds pixel limit/i.test(message)) {
    return 'Image too large: it has more pixels than Kindred will decode.'
  }
  if (/unsupported image format/i.test(message)) {
    return `Not a supported image: the content is not ${ANY_SUPPORTED_FORMAT}.`
  }
  if (/corrupt header|no image|not a (jpeg|png)|bad signature|invalid (jpeg|png)/i.test(message)) {
    return `Corrupt image: the file header is damaged (${message}).`
  }
  if (/premature end|truncat|read error|corrupt|unexpected end|out of data/i.test(message)) {
    return `Damaged or truncated image: the image data is incomplete or corrupt (${message}).`
  }
  return `Could not decode the image (${message}).`
}

/** libvips repeats itself and prefixes file paths; keep the distinct lines, without paths. */
export function cleanMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  const lines = raw
    .split('\n')
    .map((line) => line.replace(/^\/\S+: /, '').trim())
    .filter((line) => line.length > 0 && !/bad seek to/i.test(line))
  return [...new Set(lines)].slice(0, 2).join('; ') || 'unknown error'
}

export function notAPhotoReason(kind: string): string {
  return `Not a photo: the file contains ${kind}, not ${ANY_SUPPORTED_FORMAT}.`
}

/** What a file that libvips does not recognise looks like, from its first bytes. */
export function describeUnknownContent(head: Buffer): string {
  const ascii = head.subarray(0, 16).toString('latin1')
  if (ascii.startsWith('%PDF')) return 'a PDF document'
  if (ascii.startsWith('PK\u0003\u0004')) return 'a ZIP archive'
  if (ascii.slice(4, 8) === 'ftyp') return 'a video or other ISO media file'
  if (ascii.startsWith('BM')) return 'a BMP image (not supported)'
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) !== 'WEBP')
    return 'a RIFF media file (audio or video)'
  if (
    head.length > 0 &&
    head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128)
  ) {
    return 'text'
  }
  return 'data of an unknown kind'
}
