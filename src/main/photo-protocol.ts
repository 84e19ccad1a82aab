/**
 * `kindred-photo://thumbnail/<id>` and `kindred-photo://full/<id>`: the only way photos reach
 * the renderer (see photo-response.ts for what is served).
 */
import { protocol } from 'electron'
import type { EngineHandle } from '../core/engine/handle'
import { answerPhotoRequest } from './photo-response'
import { PHOTO_SCHEME } from './photo-url'

/** Must run before the app is ready. */
export function registerPhotoScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: PHOTO_SCHEME, privileges: { standard: true, secure: true, stream: true } },
  ])
}

/** Must run after the app is ready. */
export function handlePhotoProtocol(engine: EngineHandle): void {
  protocol.handle(PHOTO_SCHEME, (request) => answerPhotoRequest(engine, request))
}
