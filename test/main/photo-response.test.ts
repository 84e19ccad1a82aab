import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { answerPhotoRequest } from '../../src/main/photo-response'
import { photoUrl } from '../../src/main/photo-url'
import { tempDir } from '../helpers/tmp'
import { jobEnd, photoFolder } from '../engine/fixtures'

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

async function libraryWithPhotos(): Promise<{ engine: Engine; folder: string }> {
  const engine = await Engine.open(tempDir('kindred-lib-'))
  engines.push(engine)
  const folder = photoFolder()
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await engine.invoke('library.addFolder', { path: folder })).jobId
  await ended
  return { engine, folder }
}

describe('kindred-photo:// protocol answers', () => {
  it('serves a known photo and its thumbnail with validators, and 304 when unchanged', async () => {
    const { engine, folder } = await libraryWithPhotos()
    const { members } = await engine.invoke('clusters.members', {
      clusterId: null,
      offset: 0,
      limit: 100,
    })
    const details = await Promise.all(
      members.map((m) => engine.invoke('photos.details', { photoId: m.photoId })),
    )
    const canon = details.find((d) => d.path === path.join(folder, 'Canon_40D.jpg'))!

    const full = await answerPhotoRequest(engine, new Request(photoUrl(canon.id, 'full')))
    expect(full.status).toBe(200)
    expect(full.headers.get('content-type')).toBe('image/jpeg')
    const bytes = Buffer.from(await full.arrayBuffer())
    expect(bytes.equals(fs.readFileSync(canon.path))).toBe(true)

    const thumb = await answerPhotoRequest(engine, new Request(photoUrl(canon.id, 'thumbnail')))
    expect(thumb.headers.get('content-type')).toBe('image/webp')
    expect(thumb.headers.get('cache-control')).toMatch(/max-age=\d+/)
    const etag = thumb.headers.get('etag')!
    expect(etag).toMatch(/^".+"$/)
    await thumb.arrayBuffer()
    const cached = await answerPhotoRequest(
      engine,
      new Request(photoUrl(canon.id, 'thumbnail'), { headers: { 'If-None-Match': etag } }),
    )
    expect(cached.status).toBe(304)
  })

  it('answers 404 for unknown ids and anything that is not a photo address', async () => {
    const { engine } = await libraryWithPhotos()
    for (const url of [
      photoUrl(424242, 'full'),
      'kindred-photo://full/../../../etc/passwd',
      'kindred-photo://full/%2e%2e%2fetc%2fpasswd',
      // Dot segments are resolved by URL parsing first: they can only ever name another id.
      'kindred-photo://thumbnail/1/../../etc/passwd',
    ]) {
      const reply = await answerPhotoRequest(engine, new Request(url))
      expect(reply.status, url).toBe(404)
      expect(await reply.text(), url).not.toMatch(/root:/)
    }
    const post = await answerPhotoRequest(
      engine,
      new Request(photoUrl(1, 'full'), { method: 'POST' }),
    )
    expect(post.status).toBe(405)
  })
})
