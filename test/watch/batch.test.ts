/**
 * How file events become batches: many events in a burst make one batch, events that come while
 * a batch is handled wait for it and make the next one, and a long stream is cut by the
 * longest wait. Fake timers stand in for the quiet time; the handling is a real promise.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ChangeBatcher, type ChangeBatch } from '../../src/core/watch/batch'
import { watchIgnore } from '../../src/core/watch/ignore'
import { isIgnoredName } from '../../src/core/ingest/scan'
import { tempDir } from '../helpers/tmp'
import { execFileSync } from 'node:child_process'

describe('ChangeBatcher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function recorder() {
    const batches: ChangeBatch[] = []
    let finish: () => void = () => {}
    const handle = vi.fn(async (batch: ChangeBatch) => {
      batches.push(batch)
      await new Promise<void>((resolve) => (finish = resolve))
    })
    return { batches, handle, finish: () => finish() }
  }

  it('makes one batch of 500 files saved in a burst', async () => {
    const { batches, handle, finish } = recorder()
    const batcher = new ChangeBatcher(handle, { quietMs: 500, maxWaitMs: 10_000 })
    for (let i = 0; i < 500; i++) {
      batcher.note('/photos', 'add', `/photos/${i}.jpg`)
      await vi.advanceTimersByTimeAsync(5)
    }
    expect(handle).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(500)
    expect(handle).toHaveBeenCalledTimes(1)
    expect(batches[0]!.folders).toEqual(['/photos'])
    expect(batches[0]!.events).toEqual({ add: 500, change: 0, unlink: 0 })
    expect(batches[0]!.paths.size).toBe(500)
    finish()
    await batcher.settled()
  })

  it('gathers what comes during a batch into the next one, started when it ends', async () => {
    const { batches, handle, finish } = recorder()
    const batcher = new ChangeBatcher(handle, { quietMs: 100, maxWaitMs: 1_000 })
    batcher.note('/a', 'add', '/a/1.jpg')
    await vi.advanceTimersByTimeAsync(100)
    expect(handle).toHaveBeenCalledTimes(1)
    batcher.note('/a', 'unlink', '/a/0.jpg')
    batcher.note('/b', 'change', '/b/2.jpg')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(handle).toHaveBeenCalledTimes(1) // still handling the first
    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(handle).toHaveBeenCalledTimes(2)
    expect(batches[1]!.folders.sort()).toEqual(['/a', '/b'])
    expect(batches[1]!.events).toEqual({ add: 0, change: 1, unlink: 1 })
    finish()
    await batcher.settled()
  })

  it('cuts a stream that never goes quiet at the longest wait', async () => {
    const { handle, finish } = recorder()
    const batcher = new ChangeBatcher(handle, { quietMs: 500, maxWaitMs: 2_000 })
    for (let i = 0; i < 30; i++) {
      batcher.note('/photos', 'add', `/photos/${i}.jpg`)
      await vi.advanceTimersByTimeAsync(100)
    }
    expect(handle).toHaveBeenCalledTimes(1)
    batcher.close() // the rest of the stream is not handled
    finish()
    await batcher.settled()
    expect(handle).toHaveBeenCalledTimes(1)
  })

  it('drops what it gathered once closed, and a failing batch does not stop the next', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const handle = vi.fn(async () => {
      throw new Error('disk gone')
    })
    const batcher = new ChangeBatcher(handle, { quietMs: 100, maxWaitMs: 1_000 })
    batcher.note('/a', 'add', '/a/1.jpg')
    await vi.advanceTimersByTimeAsync(100)
    batcher.note('/a', 'add', '/a/2.jpg')
    await vi.advanceTimersByTimeAsync(100)
    expect(handle).toHaveBeenCalledTimes(2)
    expect(errors).toHaveBeenCalledTimes(2)
    batcher.note('/a', 'add', '/a/3.jpg')
    batcher.close()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(handle).toHaveBeenCalledTimes(2)
    errors.mockRestore()
  })
})

describe('what the watcher leaves alone', () => {
  it('skips temporary, backup, hidden and sidecar names, and keeps photos', () => {
    for (const name of [
      'IMG_1.jpg.part',
      'IMG_1.JPG.crdownload',
      'photo.jpg~',
      '~$photo.jpg',
      '#photo.jpg#',
      '.IMG_1.jpg.swp',
      'x.tmp',
      'IMG_1.xmp',
      '.DS_Store',
    ])
      expect(isIgnoredName(name), name).toBe(true)
    for (const name of ['IMG_1.jpg', 'holiday~2024.png', 'a.heic', 'tmp.jpg'])
      expect(isIgnoredName(name), name).toBe(false)
  })

  it('skips the library inside a watched folder, and FIFOs, never the folder itself', () => {
    const photos = tempDir('kindred-photos-')
    const library = path.join(photos, 'library')
    fs.mkdirSync(library)
    const fifo = path.join(photos, 'pipe.jpg')
    execFileSync('mkfifo', [fifo])
    const file = path.join(photos, 'a.jpg')
    fs.writeFileSync(file, 'x')
    const ignored = watchIgnore(new Set([photos]), [library])
    expect(ignored(photos, fs.statSync(photos))).toBe(false)
    expect(ignored(file)).toBe(false)
    expect(ignored(file, fs.statSync(file))).toBe(false)
    expect(ignored(library)).toBe(true)
    expect(ignored(path.join(library, 'thumbnails', 'ab.webp'))).toBe(true)
    expect(ignored(fifo, fs.lstatSync(fifo))).toBe(true)
  })
})
