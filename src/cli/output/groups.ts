import type { ClusterId, ClusterSummary, EmbedderInfo } from '../../shared/contract'
import type { Engine } from './engine'

/** The paths of these photos, in order (the contract's photos.details). */
export async function photoPaths(engine: Engine, photoIds: readonly number[]): Promise<string[]> {
  const paths: string[] = []
  for (const photoId of photoIds)
    paths.push((await engine.invoke('photos.details', { photoId })).path)
  return paths
}

/** Which groups may be the same kind as a given one (the contract's clusters.lookalikes). */
export async function lookalikesOf(engine: Engine): Promise<(id: ClusterId) => ClusterId[]> {
  const pairs = await engine.invoke('clusters.lookalikes', {})
  return (id) => pairs.flatMap(({ clusterIds: [a, b] }) => (a === id ? [b] : b === id ? [a] : []))
}

/** Names groups for people by their name, which is what they see in the app (not the id). */
export class GroupNames {
  readonly #names: Map<ClusterId, string>

  constructor(groups: readonly Pick<ClusterSummary, 'id' | 'name'>[]) {
    this.#names = new Map(groups.map((g) => [g.id, g.name]))
  }

  name(id: ClusterId): string {
    return this.#names.get(id) ?? 'a group merged away'
  }
}

/** Which runtime, provider and device described the photos (or that none needed it). */
export function embedderLine(embedder: EmbedderInfo | null): string {
  if (!embedder) return 'Describing photos: every photo was already described'
  const runtime = embedder.runtime === 'onnxruntime' ? 'ONNX Runtime' : 'TF.js'
  return `Describing photos on ${runtime} ${embedder.provider} (${embedder.device})`
}
