/**
 * Runs the Engine in an Electron utility process, supervised: when it crashes or runs out of
 * memory the window stays up, gets `engine.crashed`, and the engine is started again.
 */
import path from 'node:path'
import { utilityProcess } from 'electron'
import { EngineSupervisor, type EngineProcess } from '../core/engine/supervisor'

/** Built by electron-vite next to this file (see electron.vite.config.ts, input `engine`). */
const ENGINE_ENTRY = path.join(__dirname, 'engine.js')

function spawnUtilityEngine(libraryDir: string): EngineProcess {
  const child = utilityProcess.fork(ENGINE_ENTRY, ['--library', libraryDir], {
    serviceName: 'Kindred engine',
    stdio: 'inherit',
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
