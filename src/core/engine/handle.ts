import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EngineEvent,
  PhotoId,
  PhotoKind,
} from '../../shared/contract'

/** Where a photo's bytes are, checked to belong to the library, plus what to answer with. */
export interface PhotoFile {
  path: string
  size: number
  mtimeMs: number
  contentType: string
  /** A strong validator: changes whenever the served bytes change. */
  etag: string
}

/**
 * What every host (Electron main, browser-mode server, tests) drives: the Engine itself, or a
 * client that reaches an Engine in another process over RPC.
 */
export interface EngineHandle {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>
  onEvent(listener: (event: EngineEvent) => void): () => void
  photoFile(photoId: PhotoId, kind: PhotoKind): Promise<PhotoFile>
  close(): Promise<void>
}
