import { describe, expect, test } from 'vitest'
import { JobsManager } from '../../src/renderer/src/lib/jobs-manager.svelte'
import { Notices } from '../../src/renderer/src/lib/notices.svelte'
import { FakeApi } from './fake-api'

function setup() {
  const api = new FakeApi()
  const notices = new Notices()
  return { api, notices, jobs: new JobsManager(api, notices) }
}

describe('JobsManager.start', () => {
  test('shows the job at once and is starting only while the command is on its way', async () => {
    const { api, jobs } = setup()
    let answer!: () => void
    const asked = new Promise<void>((resolve) => (answer = resolve))
    const starting = jobs.start('organize', async () => {
      await asked
      return api.invoke('organize.start', { clusters: 'auto' })
    })
    expect(jobs.starting('organize')).toBe(true)
    expect(jobs.starting('export')).toBe(false)
    answer()
    const started = await starting
    expect(started).toEqual({ jobId: 1 })
    expect(jobs.starting('organize')).toBe(false)
    expect(jobs.get(1)).toMatchObject({ kind: 'organize', state: 'queued' })
    expect(jobs.active('organize')?.id).toBe(1)
  })

  test('a refusal is told in a notice with its context, never thrown', async () => {
    const { api, notices, jobs } = setup()
    api.failures.set('models.install', 'No model files in /tmp/empty.')
    const started = await jobs.start(
      'install-model',
      () => api.invoke('models.install', { from: '/tmp/empty' }),
      'Could not install the model',
    )
    expect(started).toBeNull()
    expect(jobs.starting('install-model')).toBe(false)
    expect(Object.keys(jobs.jobs)).toEqual([])
    expect(notices.items.map((n) => [n.kind, n.text])).toEqual([
      ['error', 'Could not install the model: No model files in /tmp/empty.'],
    ])
  })

  test('a screen can say a refusal itself, beside the field it is about', async () => {
    const { api, notices, jobs } = setup()
    api.failures.set('library.addFolder', 'Folder not found: /nope')
    const said: unknown[] = []
    const started = await jobs.start(
      'import',
      () => api.invoke('library.addFolder', { path: '/nope' }),
      (error) => said.push(error),
    )
    expect(started).toBeNull()
    expect(said).toEqual([{ code: 'failed', message: 'Folder not found: /nope' }])
    expect(notices.items).toEqual([])
  })

  test('nothing to start tracks nothing', async () => {
    const { api, jobs } = setup()
    const started = await jobs.start('organize', () => api.invoke('organize.resume', {}))
    expect(started).toBeNull()
    expect(jobs.starting('organize')).toBe(false)
    expect(Object.keys(jobs.jobs)).toEqual([])
  })
})
