/**
 * Run-time schemas for the contract in src/shared/contract.ts. Every message that crosses a
 * process or network boundary is checked against these before the engine acts on it.
 */
import { z } from 'zod'
import type { CommandArgs, CommandName, EngineEvent } from '../../shared/contract'
import type { JobSummary } from '../../shared/jobs'
import { CommandFailure } from './errors'

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
/** The most groups organize may be asked for. */
const MAX_GROUPS = 1000
const GROUPS = `Give a whole number of groups from 2 to ${MAX_GROUPS}, or "auto".`
const noArgs = z.strictObject({})
const offset = z.number().int().min(0)
const limit = (max: number) => z.number().int().min(1).max(max)
/** A moment as ms since 1970, within what a Date can hold. */
const time = z.number().int().min(-8.64e15).max(8.64e15)
const path = z
  .string()
  .trim()
  .min(1, 'Give a folder path.')
  .max(4096, 'That path is too long.')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character.')

/** Where to install a model from: a folder path or an http(s) address. */
const modelSource = z
  .string()
  .trim()
  .min(1, 'Give a folder path or a web address.')
  .max(4096, 'That folder path or web address is too long.')
  .refine((value) => !value.includes('\0'), 'It cannot contain a NUL character.')

/** Checked in full by the export (placeholders, separators); here only its size. */
const folderPattern = z.string().max(500, 'That folder name pattern is too long.')
/**
 * Below this similarity photos of one kind link into ever bigger sets: nothing a person would
 * call a near duplicate.
 */
const MIN_DUPLICATE_THRESHOLD = 0.5

const exportOptions = z.strictObject({
  destination: path,
  mode: z.enum(['copy', 'hardlink', 'symlink', 'move']),
  clusterIds: z.array(id).max(100_000).optional(),
  includeUnsorted: z.boolean().optional(),
  folderPattern: folderPattern.optional(),
})

/** One schema per command; `satisfies` keeps them in step with the contract's types. */
export const commandSchemas = {
  'engine.info': noArgs,
  'library.summary': noArgs,
  'library.addFolder': z.strictObject({ path }),
  'library.removeFolder': z.strictObject({ folderId: id }),
  'library.rescan': noArgs,
  'library.watchFolder': z.strictObject({ folderId: id, watch: z.boolean() }),
  'library.import': z.strictObject({ paths: z.array(path).min(1, 'Give a folder.').max(1000) }),
  'library.failures': z.strictObject({ offset, limit: limit(10_000) }),
  'jobs.list': noArgs,
  'jobs.cancel': z.strictObject({ jobId: id }),
  'organize.start': z.strictObject({
    clusters: z.union(
      [z.literal('auto'), z.number().int(GROUPS).min(2, GROUPS).max(MAX_GROUPS, GROUPS)],
      { error: GROUPS },
    ),
    seed: z
      .number({ error: 'Give the seed as a whole number.' })
      .int('Give the seed as a whole number.')
      .min(0, 'The seed cannot be negative.')
      .max(2 ** 31 - 1, `The seed can be at most ${2 ** 31 - 1}.`)
      .optional(),
    folders: z.array(path).max(1000).optional(),
  }),
  'organize.resume': noArgs,
  'clusters.list': z.strictObject({ sort: z.enum(['size', 'confidence', 'name']) }),
  'clusters.members': z.strictObject({ clusterId: id.nullable(), offset, limit: limit(10_000) }),
  'clusters.rename': z.strictObject({
    clusterId: id,
    name: z
      .string()
      .trim()
      .min(1, 'A group name cannot be empty.')
      .max(200, 'That name is too long.'),
  }),
  'clusters.merge': z.strictObject({ clusterIds: z.array(id).min(1).max(10_000), into: id }),
  'clusters.split': z.strictObject({ clusterId: id, parts: z.number().int().min(2).max(50) }),
  'clusters.lookalikes': z.strictObject({ clusterId: id.optional() }),
  'clusters.keepApart': z.strictObject({ clusterIds: z.tuple([id, id]) }),
  'photos.move': z.strictObject({ photoIds: z.array(id).min(1).max(1_000_000), to: id.nullable() }),
  'photos.details': z.strictObject({ photoId: id }),
  'photos.search': z
    .strictObject({
      text: z.string().max(1000, 'That search is too long.').optional(),
      folderId: id.optional(),
      takenFrom: time.optional(),
      takenTo: time.optional(),
      doubtful: z.boolean().optional(),
      clusterId: id.nullable().optional(),
      offset,
      limit: limit(10_000),
    })
    .refine(
      (q) => q.takenFrom === undefined || q.takenTo === undefined || q.takenFrom <= q.takenTo,
      'The start date is after the end date.',
    ),
  'edits.state': noArgs,
  'edits.undo': noArgs,
  'edits.redo': noArgs,
  'export.plan': exportOptions,
  'export.start': exportOptions,
  'export.exampleFolder': z.strictObject({ folderPattern }),
  'export.list': noArgs,
  'export.undo': z.strictObject({ exportId: id }),
  'export.resume': z.strictObject({ exportId: id }),
  'models.install': z.strictObject({
    from: modelSource,
    model: z.string().trim().min(1).max(200).optional(),
  }),
  'models.list': z.strictObject({ verify: z.boolean().optional() }),
  'duplicates.find': z.strictObject({
    threshold: z
      .number()
      .min(MIN_DUPLICATE_THRESHOLD, `The threshold must be at least ${MIN_DUPLICATE_THRESHOLD}.`)
      .max(1, 'The threshold is a similarity: at most 1.')
      .optional(),
  }),
  'duplicates.keep': z.strictObject({ keep: id, hide: z.array(id).min(1).max(10_000) }),
  'photos.show': z.strictObject({ photoIds: z.array(id).min(1).max(1_000_000) }),
} satisfies { [C in CommandName]: z.ZodType<CommandArgs<C>> }

export const commandNames = Object.keys(commandSchemas) as CommandName[]

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commandSchemas, value)
}

/** Human-readable list of what is wrong, e.g. `name: A group name cannot be empty.` */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ')
}

/**
 * Checks a command name and its arguments; throws CommandFailure('invalid-arguments') with a
 * clear message when either is malformed. Returns the parsed (trimmed) arguments.
 */
export function parseCommand<C extends CommandName>(command: C, args: unknown): CommandArgs<C>
export function parseCommand(command: unknown, args: unknown): CommandArgs<CommandName>
export function parseCommand(command: unknown, args: unknown): unknown {
  if (!isCommandName(command)) {
    const name = typeof command === 'string' ? `"${command.slice(0, 80)}"` : 'a missing name'
    throw new CommandFailure('invalid-arguments', `Unknown command ${name}.`)
  }
  const result = commandSchemas[command].safeParse(args ?? {})
  if (!result.success) {
    throw new CommandFailure(
      'invalid-arguments',
      `Invalid arguments for ${command}: ${describeIssues(result.error)}`,
    )
  }
  return result.data
}

const jobKind = z.enum([
  'import',
  'organize',
  'embed',
  'neighbours',
  'scan',
  'selflabel',
  'assign',
  'export',
  'split',
  'install-model',
])
const stage = z.enum([
  'scan-folders',
  'import',
  'embed',
  'neighbours',
  'scan',
  'selflabel',
  'assign',
  'export',
  'install-model',
])
const job = { jobId: z.number().int(), kind: jobKind }
const count = z.number().min(0)

const progressSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('started'), ...job, stage, total: count }),
  z.object({
    status: z.literal('progress'),
    ...job,
    stage,
    done: count,
    total: count,
    rate: z.number(),
    etaSeconds: z.number().nullable(),
    loss: z.number().optional(),
    epoch: z.number().optional(),
  }),
  z.object({ status: z.literal('stage-done'), ...job, stage, seconds: z.number() }),
  z.object({
    status: z.literal('done'),
    ...job,
    seconds: z.number(),
    // Told by the engine itself; only its shape is checked.
    summary: z.custom<JobSummary>((v) => typeof v === 'object' && v !== null).optional(),
  }),
  z.object({ status: z.literal('failed'), ...job, error: z.string() }),
  z.object({ status: z.literal('cancelled'), ...job }),
])

const editState = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
})

/** Events coming from the engine process are checked too before they reach a window. */
export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: progressSchema }),
  z.object({ type: z.literal('library.changed') }),
  z.object({ type: z.literal('clusters.changed') }),
  z.object({
    type: z.literal('library.watched'),
    report: z.object({
      added: count,
      grouped: count,
      unsorted: count,
      changed: count,
      moved: count,
      missing: count,
      failed: count,
      message: z.string(),
    }),
  }),
  z.object({ type: z.literal('models.changed') }),
  z.object({ type: z.literal('edits.changed'), state: editState }),
  z.object({ type: z.literal('engine.crashed'), reason: z.string() }),
  z.object({ type: z.literal('engine.restarted') }),
]) satisfies z.ZodType<EngineEvent>

export const photoKindSchema = z.enum(['thumbnail', 'full'])
