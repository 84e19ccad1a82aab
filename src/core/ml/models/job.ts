import { errorMessage, type JobSpec } from '../../jobs'
import type { Library } from '../../store/library'
import { DEFAULT_MODEL } from './registry'
import { installModel } from './install'

/**
 * Installing the backbone model into the library's models folder as a one-stage job whose
 * done/total are bytes. Re-running it is safe: verified files already staged are kept.
 */
export function installModelJob(lib: Library, from: string, model = DEFAULT_MODEL): JobSpec {
  let installed: { id: string; dir: string; files: number; bytes: number } | undefined
  return {
    kind: 'install-model',
    params: { model, from },
    stages: [
      {
        stage: 'install-model',
        async run(stage) {
          try {
            installed = await installModel(model, {
              from,
              modelsDir: lib.userModelsDir,
              signal: stage.signal,
              onProgress: (bytes, total) => stage.report(bytes, total),
            })
          } catch (error) {
            if (stage.signal.aborted) throw error
            // The installer's messages already name the file or address at fault.
            throw new Error(`Could not install the model: ${errorMessage(error)}`, { cause: error })
          }
        },
      },
    ],
    summary: () => (installed ? { installed } : {}),
  }
}
