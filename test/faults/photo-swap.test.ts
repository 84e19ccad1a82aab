/**
 * An imported photo replaced on disk (by a link to another file, or by another file) is not
 * served in its place by /photos/<id>/full: the answer is a 404 that says why.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { startServer, type RunningServer } from '../../src/server/server'
import { jobEnd, photoFolder } from '../engine/fixtures'
import { request } from '../server/http'

const made: string[] = []
function keptDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

let engine: Engine
let server: RunningServer
let photos: string
/** Photo ids by file name. */
const ids = new Map<string, number>()

beforeAll(async () => {
  const renderer = keptDir('kindred-renderer-')
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>')
  // The photo folder is added through a link to it: links the user made themselves still work.
  const source = photoFolder()
  const real = keptDir('kindred-photos-')
  for (const name of fs.readdirSync(source))
    fs.copyFileSync(path.join(source, name), path.join(real, name))
  photos = path.join(keptDir('kindred-link-'), 'Photos')
  fs.symlinkSync(real, photos)
  engine = await Engine.open(keptDir('kindred-lib-'))
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await engine.invoke('library.addFolder', { path: photos })).jobId
  await ended
  const { members } = await engine.invoke('clusters.members', {
    clusterId: null,
    offset: 0,
    limit: 100,
  })
  for (const member of members) {
    const details = await engine.invoke('photos.details', { photoId: member.photoId })
    ids.set(path.basename(details.path), member.photoId)
  }
  server = await startServer({ engine, rendererDir: renderer, port: 0 })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await engine?.close()
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

function full(name: string) {
  return request(server.port, {
    path: `/photos/${ids.get(name)}/full`,
    headers: { Authorization: `Bearer ${server.token}` },
  })
}

/** Replaces a photo by a link to `target`. */
function swapForLink(name: string, target: string): void {
  fs.rmSync(path.join(photos, name))
  fs.symlinkSync(target, path.join(photos, name))
}

describe('a photo swapped on disk after import', () => {
  it('an untouched photo (in a folder added through a link) is served as imported', async () => {
    const reply = await full('Canon_40D.jpg')
    expect(reply.status).toBe(200)
    expect(reply.body.equals(fs.readFileSync(path.join(photos, 'Canon_40D.jpg')))).toBe(true)
  })

  it('a link to a file outside the library folders is not served', async () => {
    const secret = path.join(keptDir('kindred-outside-'), 'secret.jpg')
    // Even a real JPEG of the very same size and date: it is not in the library's folders.
    fs.copyFileSync(path.join(photos, 'Nikon_D70.jpg'), secret)
    const stats = fs.statSync(path.join(photos, 'Nikon_D70.jpg'))
    fs.utimesSync(secret, stats.atime, stats.mtime)
    swapForLink('Nikon_D70.jpg', secret)
    const reply = await full('Nikon_D70.jpg')
    expect(reply.status).toBe(404)
    expect(reply.text).toMatch(/leads outside the library's folders/)
  })

  it('a link to a system file is not served', async () => {
    swapForLink('DSCN0010.jpg', '/etc/passwd')
    const reply = await full('DSCN0010.jpg')
    expect(reply.status).toBe(404)
    expect(reply.text).not.toMatch(/root:/)
    expect(reply.text).toMatch(/leads outside the library's folders/)
  })

  it('a link to another photo of the library is not served in its place', async () => {
    swapForLink('DSCN0012.jpg', path.join(photos, 'Canon_40D.jpg'))
    const reply = await full('DSCN0012.jpg')
    expect(reply.status).toBe(404)
    expect(reply.text).toMatch(/has changed since it was imported/)
  })

  it('a file replaced by another file is not served until the folder is rescanned', async () => {
    const file = path.join(photos, '4.webp')
    fs.rmSync(file)
    fs.copyFileSync(path.join(photos, 'with-alpha.png'), file)
    const reply = await full('4.webp')
    expect(reply.status).toBe(404)
    expect(reply.text).toMatch(/rescan its folder/)
  })

  it('thumbnails are still served', async () => {
    const reply = await request(server.port, {
      path: `/photos/${ids.get('DSCN0010.jpg')}/thumbnail`,
      headers: { Authorization: `Bearer ${server.token}` },
    })
    expect(reply.status).toBe(200)
  })
})
