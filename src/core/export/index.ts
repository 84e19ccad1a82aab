/** Exporting groups as folders: plan (dry run), run, resume, cancel and undo. */
export { planExport, UNSORTED_FOLDER, type DetailedPlan, type PlannedFile } from './plan'
export { createExport, requireExport, runExport, type ExportProgress } from './run'
export { markInterruptedExports } from './journal'
export { undoExport, type UndoResult } from './undo'
export { listExports } from './list'
export { safeFolderName, safeFileName, uniqueName } from './names'
export { DEFAULT_FOLDER_PATTERN, folderNameFor, parseFolderPattern } from './pattern'
export { exampleFolderName } from './example'

import type { ExportOptions, ExportPlan } from '../../shared/contract'
import type { Db } from '../store/database'
import { createExport, runExport, type ExportProgress } from './run'

/** Plans, journals and runs an export in one go (the CLI's way; the engine runs it as a job). */
export async function exportGroups(
  lib: { db: Db },
  options: ExportOptions,
  progress: ExportProgress = {},
): Promise<{ exportId: number; plan: ExportPlan; files: number; skipped: number }> {
  const { exportId, plan } = await createExport(lib, options)
  const { files, skipped } = await runExport(lib, exportId, progress)
  return { exportId, plan, files, skipped }
}
