/**
 * Runs the Engine in an Electron utility process, supervised: when it crashes or runs out of
 * memory the window stays up, gets `engine.crashed`, and the engine is started again.
 */
import path from 'node:path'
import { app, utilityProcess } from 'electron'
import { EngineSupervisor, type EngineProcess } from '../core/engine/supervisor'

/** Built by electron-vite next to this file (see electron.vite.config.ts, input `engine`). */
const ENGINE_ENTRY = path.join(__dirname, 'engine.js')

/** A packaged app carries its model weights in resources/models (electron-builder.yml). */
function engineEnv(): NodeJS.ProcessEnv {
  if (!app.isPackaged || process.env.KINDRED_MODELS_DIR) return process.env
  return { ...process.env, KINDRED_MODELS_DIR: path.join(process.resourcesPath, 'models') }
}

function spawnUtilityEngine(libraryDir: string): EngineProcess {
  // The app picks up photos added to its folders while it runs.
  const child = utilityProcess.fork(ENGINE_ENTRY, ['--library', libraryDir, '--watch'], {
    serviceName: 'Kindred engine',
    stdio: 'inherit',
    env: engineEnv(),
  })
  return {
    port: {
      postMessage: (message) => child.postMessage(message),
      onMessage(listener) {
        child.on('message', listener)
        return () => child.off('message', listener)
      },
    },
    onExit(listener) {
      child.once('exit', (code) => listener(`exited with code ${code}`))
    },
    kill: () => {
      child.kill()
    },
  }
}

export function startEngine(libraryDir: string): EngineSupervisor {
  return new EngineSupervisor(() => spawnUtilityEngine(libraryDir))
}
