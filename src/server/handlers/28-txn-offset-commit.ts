/**
 * TxnOffsetCommit (key 28): v0-5. Stages a transaction's consumer offsets in the group coordinator's
 * offset store (pending, per producer id); EndTxn commits them to __consumer_offsets or drops them
 * (../txn/markers.ts). OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT meanwhile.
 *
 * Behaviour:
 *   - The producer must be the transactional id's current one (INVALID_PRODUCER_ID_MAPPING,
 *     INVALID_PRODUCER_EPOCH) and have added the group with AddOffsetsToTxn (INVALID_TXN_STATE).
 *   - v3+ member fields: when a generation or member id is given, the group checks them as for
 *     OffsetCommit (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID, …).
 *   - Unknown partitions: UNKNOWN_TOPIC_OR_PARTITION; metadata above offset.metadata.max.bytes:
 *     OFFSET_METADATA_TOO_LARGE.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type TxnOffsetCommitResponse } from '../../protocol/messages/28-txn-offset-commit.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';
import { Topics } from '../topics/topics.js';
import { TxnCoordinator } from '../txn/coordinator.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, request, version): TxnOffsetCommitResponse {
    const topics = Topics.of(ctx.broker);
    const groups = GroupCoordinator.of(ctx.broker);
    const pid = Number(request.producerId);
    let common = TxnCoordinator.of(ctx.broker).checkOffsetCommit(request.transactionalId, pid, request.producerEpoch, request.groupId);
    const group = groups.group(request.groupId);
    if (common === ErrorCode.NONE && version >= 3 && group !== undefined && (request.generationId >= 0 || request.memberId !== '')) {
      common = group.validateOffsetCommit({
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        generationIdOrMemberEpoch: request.generationId,
        apiVersion: 9,
      });
    }
    const now = ctx.broker.clock.now();
    const maxMetadata = ctx.broker.config.get('offset.metadata.max.bytes');
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const reply = (errorCode: number) => ({ partitionIndex: p.partitionIndex, errorCode });
          if (topics.partition(t.name, p.partitionIndex) === undefined) return reply(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (common !== ErrorCode.NONE) return reply(common);
          const metadata = p.committedMetadata ?? '';
          if (Buffer.byteLength(metadata) > maxMetadata) return reply(ErrorCode.OFFSET_METADATA_TOO_LARGE);
          groups.offsets.stagePending(request.groupId, pid, t.name, p.partitionIndex, {
            offset: Number(p.committedOffset),
            leaderEpoch: version >= 2 ? p.committedLeaderEpoch : -1,
            metadata,
            commitTimestamp: now,
            expireTimestamp: -1,
          });
          return reply(ErrorCode.NONE);
        }),
      })),
    };
  },
});
