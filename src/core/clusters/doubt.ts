/**
 * When the model was unsure of a photo: it placed it (a person didn't), in a group, with less
 * than this probability, and another group came close. The app marks such photos with the
 * group they almost joined and offers them for review.
 */
import type { ClusterId, ClusterMember } from '../../shared/contract'

export const DOUBTFUL_BELOW = 0.5

export function isDoubtful(
  member: Pick<ClusterMember, 'source' | 'confidence' | 'runnerUp'>,
  clusterId: ClusterId | null,
): boolean {
  return (
    member.source === 'model' &&
    clusterId !== null &&
    member.runnerUp !== null &&
    member.confidence < DOUBTFUL_BELOW
  )
}
