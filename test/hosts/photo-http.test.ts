/**
 * What both hosts send for a photo, at the moment between the engine's check and the read: a
 * file swapped for a link or for other bytes in that moment is not sent (the engine's own
 * checks are covered by test/faults/photo-swap.test.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CommandFailure } from '../../src/core/engine/errors'
import type { EngineHandle, PhotoFile } from '../../src/core/engine/handle'
import { answerPhoto } from '../../src/hosts/photo-http'
import { photoFolder } from '../engine/fixtures'

/** An engine that has checked `file` (as Engine.photoFile does) and resolves every id to it. */
function engineServing(file: PhotoFile | Error): EngineHandle {
  return {
    photoFile: async () => {
      if (file instanceof Error) throw file
      return file
    },
  } as unknown as EngineHandle
}

function checked(file: string): PhotoFile {
  const stats = fs.statSync(file)
  return {
    path: file,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    contentType: 'image/jpeg',
    etag: `"${stats.size}-${stats.mtimeMs}"`,
  }
}

async function bytesOf(answer: Awaited<ReturnType<typeof answerPhoto>>): Promise<Buffer> {
  if (!answer.ok || !answer.file) throw new Error('no file to read')
  const chunks: Buffer[] = []
  for await (const chunk of answer.file.createReadStream()) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const target = { photoId: 1, kind: 'full' } as const

describe('answerPhoto', () => {
  it('sends the checked file with its validators, and no body for HEAD or a matching ETag', async () => {
    const file = path.join(photoFolder(), 'Canon_40D.jpg')
    const engine = engineServing(checked(file))
    const answer = await answerPhoto(engine, target, 'GET', null)
    expect(answer).toMatchObject({ ok: true, head: { status: 200 } })
    expect((await bytesOf(answer)).equals(fs.readFileSync(file))).toBe(true)
    expect(await answerPhoto(engine, target, 'HEAD', null)).toMatchObject({ ok: true, file: null })
    const etag = checked(file).etag
    const cached = await answerPhoto(engine, target, 'GET', etag)
    expect(cached).toMatchObject({ ok: true, head: { status: 304 }, file: null })
  })

  it('sends nothing when the file became a link after the check', async () => {
    const folder = photoFolder()
    const file = path.join(folder, 'Canon_40D.jpg')
    const before = checked(file)
    const copy = path.join(folder, 'copy.jpg')
    fs.renameSync(file, copy)
    fs.symlinkSync(copy, file)
    const answer = await answerPhoto(engineServing(before), target, 'GET', null)
    expect(answer).toEqual({
      ok: false,
      status: 404,
      message: 'The photo file changed while it was being sent.',
    })
  })

  it('sends nothing when other bytes replaced the file after the check', async () => {
    const folder = photoFolder()
    const file = path.join(folder, 'Canon_40D.jpg')
    const before = checked(file)
    fs.appendFileSync(file, Buffer.alloc(10))
    const answer = await answerPhoto(engineServing(before), target, 'GET', null)
    expect(answer).toMatchObject({ ok: false, status: 404 })
  })

  it('answers 404 for an unknown photo and 503 when the engine cannot answer', async () => {
    const unknown = engineServing(new CommandFailure('not-found', 'There is no photo 1.'))
    expect(await answerPhoto(unknown, target, 'GET', null)).toEqual({
      ok: false,
      status: 404,
      message: 'There is no photo 1.',
    })
    const down = engineServing(new CommandFailure('engine-unavailable', 'The engine stopped.'))
    expect(await answerPhoto(down, target, 'GET', null)).toMatchObject({ ok: false, status: 503 })
  })
})
