import { openLibrary, resolveLibraryDir, type Library } from '../../core/store/library'
import type { GlobalOptions } from './options'

/** Opens the library the command line names (--library, KINDRED_LIBRARY or the default). */
export function openCliLibrary(options: GlobalOptions): Library {
  return openLibrary(resolveLibraryDir(options.library))
}

/** Runs `body` with the library open, closing it afterwards whatever happens. */
export async function withLibrary<T>(
  options: GlobalOptions,
  body: (lib: Library) => Promise<T> | T,
): Promise<T> {
  const lib = openCliLibrary(options)
  try {
    return await body(lib)
  } finally {
    lib.close()
  }
}
