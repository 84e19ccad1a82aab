/**
 * `kindred-photo://<kind>/<photo id>`: how the Electron renderer names a photo. Pure functions
 * (no Electron) so the parsing that guards the protocol is tested under Node.
 */
import type { PhotoId, PhotoKind } from '../shared/contract'

export const PHOTO_SCHEME = 'kindred-photo'

export function photoUrl(photoId: PhotoId, kind: PhotoKind): string {
  return `${PHOTO_SCHEME}://${kind}/${photoId}`
}

const ID = /^\/([1-9][0-9]{0,15})$/

/**
 * The photo a URL names, or null for anything else: another scheme, an unknown kind, a path
 * (`/../x`, `/1/2`, `%2e`), a query, credentials or a port. Only ids ever reach the engine.
 */
export function parsePhotoUrl(raw: string): { photoId: PhotoId; kind: PhotoKind } | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== `${PHOTO_SCHEME}:`) return null
  if (url.username || url.password || url.port || url.search || url.hash) return null
  const kind = url.hostname
  if (kind !== 'thumbnail' && kind !== 'full') return null
  const match = ID.exec(url.pathname)
  const photoId = match ? Number(match[1]) : NaN
  if (!Number.isSafeInteger(photoId)) return null
  return { photoId, kind }
}
