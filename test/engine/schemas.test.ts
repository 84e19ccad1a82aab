import { describe, expect, it } from 'vitest'
import { CommandFailure } from '../../src/core/engine/errors'
import { commandNames, engineEventSchema, parseCommand } from '../../src/core/engine/schemas'

function rejection(command: unknown, args: unknown): CommandFailure {
  try {
    parseCommand(command, args)
  } catch (error) {
    expect(error).toBeInstanceOf(CommandFailure)
    return error as CommandFailure
  }
  throw new Error(`expected ${String(command)} to be rejected`)
}

describe('command schemas', () => {
  it('cover every command of the contract', () => {
    expect(commandNames).toHaveLength(36)
    expect(commandNames).toContain('clusters.members')
    expect(commandNames).toContain('clusters.lookalikes')
  })

  it('accept well-formed arguments and trim text', () => {
    expect(parseCommand('clusters.rename', { clusterId: 3, name: '  Beach  ' })).toEqual({
      clusterId: 3,
      name: 'Beach',
    })
    expect(parseCommand('organize.start', { clusters: 'auto' })).toEqual({ clusters: 'auto' })
    expect(parseCommand('clusters.members', { clusterId: null, offset: 0, limit: 50 })).toEqual({
      clusterId: null,
      offset: 0,
      limit: 50,
    })
    expect(parseCommand('engine.info', undefined)).toEqual({})
    expect(parseCommand('duplicates.find', {})).toEqual({})
    expect(parseCommand('duplicates.find', { threshold: 0.93 })).toEqual({ threshold: 0.93 })
  })

  it('say what is wrong with a near-duplicate threshold', () => {
    expect(rejection('duplicates.find', { threshold: 0.2 }).message).toMatch(/at least 0.5/)
    expect(rejection('duplicates.find', { threshold: 2 }).message).toMatch(/at most 1/)
    expect(rejection('duplicates.keep', { keep: 1, hide: [] }).code).toBe('invalid-arguments')
  })

  it('reject unknown commands, including prototype keys', () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const error = rejection(name, {})
      expect(error.code).toBe('invalid-arguments')
      expect(error.message).toMatch(/Unknown command/)
    }
  })

  it('reject malformed arguments with a message naming the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['clusters.rename', { clusterId: 3, name: '   ' }, /name: A group name cannot be empty/],
      ['clusters.rename', { clusterId: '3', name: 'x' }, /clusterId/],
      ['clusters.rename', { clusterId: 3, name: 'x', extra: 1 }, /extra/],
      ['photos.move', { photoIds: [], to: null }, /photoIds/],
      ['photos.move', { photoIds: [1.5], to: null }, /photoIds\.0/],
      ['photos.move', { photoIds: [-1], to: 2 }, /photoIds\.0/],
      ['library.failures', { offset: -1, limit: 10 }, /offset/],
      ['library.failures', { offset: 0, limit: 1e9 }, /limit/],
      ['organize.start', { clusters: 1 }, /clusters/],
      ['organize.start', { clusters: 'many' }, /clusters/],
      [
        'organize.start',
        { clusters: 1001 },
        /clusters: Give a whole number of groups from 2 to 1000, or "auto"/,
      ],
      ['organize.start', { clusters: 3, seed: -1 }, /seed: The seed cannot be negative/],
      ['organize.start', { clusters: 3, folders: [''] }, /folders\.0/],
      ['library.import', { paths: ['a\0b'] }, /NUL/],
      ['models.list', { verify: 'yes' }, /verify/],
      ['export.start', { destination: '/tmp/x', mode: 'teleport' }, /mode/],
      ['library.addFolder', { path: 'a\0b' }, /NUL/],
      ['library.addFolder', { path: '' }, /path/],
      ['photos.search', { offset: 0, limit: 10, takenFrom: 5, takenTo: 1 }, /start date/],
      ['photos.search', { offset: 0, limit: 10, text: 'x'.repeat(1001) }, /too long/],
      ['photos.search', { offset: 0, limit: 10, clusterId: '3' }, /clusterId/],
      ['photos.search', { offset: 0, limit: 10, takenFrom: 1e20 }, /takenFrom/],
      ['engine.info', { sneaky: true }, /sneaky/],
      ['engine.info', 'not an object', /object/i],
    ]
    for (const [command, args, message] of cases) {
      const error = rejection(command, args)
      expect(error.code, command).toBe('invalid-arguments')
      expect(error.message, command).toMatch(
        new RegExp(`^Invalid arguments for ${command.replace('.', '\\.')}: `),
      )
      expect(error.message, command).toMatch(message)
    }
  })
})

describe('engine event schema', () => {
  it('accepts the contract events and rejects malformed ones', () => {
    expect(engineEventSchema.safeParse({ type: 'clusters.changed' }).success).toBe(true)
    expect(engineEventSchema.safeParse({ type: 'models.changed' }).success).toBe(true)
    const started = { status: 'started', jobId: 2, kind: 'install-model', stage: 'install-model' }
    expect(
      engineEventSchema.safeParse({ type: 'progress', progress: { ...started, total: 9 } }).success,
    ).toBe(true)
    expect(
      engineEventSchema.safeParse({
        type: 'progress',
        progress: {
          status: 'progress',
          jobId: 1,
          kind: 'import',
          stage: 'import',
          done: 1,
          total: 2,
          rate: 3,
          etaSeconds: null,
        },
      }).success,
    ).toBe(true)
    expect(
      engineEventSchema.safeParse({ type: 'progress', progress: { status: 'bogus' } }).success,
    ).toBe(false)
    expect(engineEventSchema.safeParse({ type: 'engine.crashed' }).success).toBe(false)
  })
})
