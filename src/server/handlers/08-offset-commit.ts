/**
 * OffsetCommit (key 8): v0-10. Stores committed offsets (with metadata strings and leader epochs) in
 * the shared offsets store, durably in __consumer_offsets before answering. Logic in
 * ../groups/coordinator.ts (commitOffsets) and the group's own member check.
 *
 * Behaviour:
 *   - Partitions of unknown topics: UNKNOWN_TOPIC_OR_PARTITION (v10 unknown topic ids: UNKNOWN_TOPIC_ID).
 *   - Classic groups, Kafka's checks: a commit with generation -1 on an Empty group (or a group that
 *     does not exist) is a simple commit; otherwise FENCED_INSTANCE_ID (replaced static member),
 *     REBALANCE_IN_PROGRESS (CompletingRebalance), UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION. A member
 *     commit to a group that does not exist: ILLEGAL_GENERATION (GROUP_ID_NOT_FOUND from v9).
 *     KIP-848 groups answer with their own checks (STALE_MEMBER_EPOCH, …).
 *   - Metadata longer than offset.metadata.max.bytes: OFFSET_METADATA_TOO_LARGE for that partition.
 *   - v0 has no member fields; v1 per-partition timestamps are ignored (the broker's time is stored);
 *     v2-v4 retention_time_ms sets the offset's expiry (as Kafka's expireTimestamp); v5+ retention is
 *     the broker's offsets.retention.minutes.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type OffsetCommitResponse } from '../../protocol/messages/08-offset-commit.js';
import { GroupCoordinator, type CommitPartition } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';
import { Topics } from '../topics/topics.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 10,
  handle(ctx, request, version): OffsetCommitResponse {
    const topics = Topics.of(ctx.broker);
    const commits: CommitPartition[] = [];
    // Per response partition: an error decided here, or the index of its commit.
    const plan = request.topics.map((t) => {
      const info = version >= 10 ? topics.byId(t.topicId) : topics.byName(t.name);
      const missing = info === undefined ? (version >= 10 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) : ErrorCode.NONE;
      return {
        name: info?.name ?? t.name,
        topicId: t.topicId,
        partitions: t.partitions.map((p) => {
          if (info === undefined) return { partitionIndex: p.partitionIndex, error: missing, commit: -1 };
          if (p.partitionIndex < 0 || p.partitionIndex >= info.partitions) {
            return { partitionIndex: p.partitionIndex, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, commit: -1 };
          }
          commits.push({
            topic: info.name,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1,
            metadata: p.committedMetadata,
          });
          return { partitionIndex: p.partitionIndex, error: ErrorCode.NONE, commit: commits.length - 1 };
        }),
      };
    });
    const results =
      commits.length === 0
        ? []
        : GroupCoordinator.of(ctx.broker).commitOffsets({
            groupId: request.groupId,
            generationIdOrMemberEpoch: version >= 1 ? request.generationIdOrMemberEpoch : -1,
            memberId: version >= 1 ? request.memberId : '',
            groupInstanceId: version >= 7 ? request.groupInstanceId : null,
            apiVersion: version,
            retentionTimeMs: version >= 2 && version <= 4 ? Number(request.retentionTimeMs) : -1,
            partitions: commits,
          });
    return {
      throttleTimeMs: 0,
      topics: plan.map((t) => ({
        name: version >= 10 ? '' : t.name,
        topicId: t.topicId,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: p.commit >= 0 ? results[p.commit]! : p.error,
        })),
      })),
    };
  },
});
