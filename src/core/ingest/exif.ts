import exifr from 'exifr'

export interface PhotoExif {
  takenAt: number | null
  gps: { lat: number; lon: number } | null
  camera: string | null
}

const NONE: PhotoExif = { takenAt: null, gps: null, camera: null }

/** Only the blocks we use: skipping XMP, ICC, IPTC and the embedded thumbnail keeps it fast. */
const OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  translateValues: false,
  mergeOutput: true,
}

/** Capture date, GPS and camera from EXIF; broken or absent EXIF gives nulls, never an error. */
export async function readExif(source: Buffer | string): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined
  try {
    tags = (await exifr.parse(source, OPTIONS)) as Record<string, unknown> | undefined
  } catch {
    return NONE
  }
  if (!tags) return NONE
  return {
    takenAt: validDate(tags.DateTimeOriginal) ?? validDate(tags.CreateDate),
    gps: validGps(tags.latitude, tags.longitude),
    camera: cameraName(tags.Make, tags.Model),
  }
}

function validDate(value: unknown): number | null {
  if (!(value instanceof Date)) return null
  const time = value.getTime()
  // Cameras with an unset clock write 0000:00:00 or 1970; treat those as no date.
  if (!Number.isFinite(time) || value.getUTCFullYear() < 1980) return null
  return time
}

function validGps(lat: unknown, lon: unknown): { lat: number; lon: number } | null {
  if (typeof lat !== 'number' || typeof lon !== 'number') return null
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null
  // Receivers without a fix write 0,0 ("null island"); that is no position, not the Atlantic.
  if (lat === 0 && lon === 0) return null
  return { lat, lon }
}

function cameraName(make: unknown, model: unknown): string | null {
  const clean = (v: unknown) => (typeof v === 'string' ? v.replace(/\0/g, '').trim() : '')
  const m = clean(make)
  const name = clean(model)
  if (!name) return m || null
  // Many models repeat the make ("Canon" + "Canon EOS 40D").
  const firstWord = m.split(/\s+/)[0] ?? ''
  if (!m || name.toLowerCase().startsWith(firstWord.toLowerCase())) return name
  return `${m} ${name}`
}
