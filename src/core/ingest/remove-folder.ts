import type { Library } from '../store/library'
import { regroupDuplicates, removeOrphanThumbnails } from './store'

/**
 * Removes a source folder and its photos from the library (with their thumbnails, features and
 * group assignments). The files on disk are never touched.
 */
export function removeFolder(lib: Library, folderId: number): { removedPhotos: number } {
  const thumbnails = lib.db
    .prepare(
      `SELECT t.file FROM thumbnails t JOIN photos p ON p.id = t.photo_id WHERE p.folder_id = ?`,
    )
    .pluck()
    .all(folderId) as string[]
  const removedPhotos = lib.db.transaction(() => {
    const count = lib.db.prepare(`DELETE FROM photos WHERE folder_id = ?`).run(folderId).changes
    const gone = lib.db.prepare(`DELETE FROM folders WHERE id = ?`).run(folderId).changes
    if (gone === 0) throw new Error(`There is no source folder with id ${folderId}.`)
    return count
  })()
  regroupDuplicates(lib.db)
  removeOrphanThumbnails(lib.db, lib.thumbnailDir, thumbnails)
  return { removedPhotos }
}
