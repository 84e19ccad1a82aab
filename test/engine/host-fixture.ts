/**
 * A host for rpc.test.ts: starts an engine child process, has it import a big folder, reports
 * the engine's pid once the import is under way, then waits to be killed.
 */
import { fork } from 'node:child_process'

const [entry, libraryDir, folder] = process.argv.slice(2)
const child = fork(entry!, ['--library', libraryDir!], {
  execArgv: ['--import', 'tsx'],
  serialization: 'advanced',
})
let reported = false
child.on('message', (message: { kind?: string; event?: { type: string } }) => {
  if (message.kind === 'ready') {
    const args = { command: 'library.addFolder', args: { path: folder } }
    child.send({ kind: 'request', id: 1, method: 'invoke', args })
  }
  if (message.kind === 'event' && message.event?.type === 'progress' && !reported) {
    reported = true
    process.send!(child.pid)
  }
})
setInterval(() => {}, 1000)
