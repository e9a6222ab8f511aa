/**
 * TxnOffsetCommit (key 28): v0-5. Writes a transaction's consumer offsets to the group's
 * __consumer_offsets partition as a transactional batch (the producer's id and epoch, as Kafka does) and
 * stages them in the group coordinator's offset store (pending, per producer id); the transaction's
 * marker in that partition commits or drops them (../txn/markers.ts live, the group coordinator's load
 * on replay). OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT meanwhile.
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
import { encodeRecordBatch } from '../../protocol/records/records.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import type { CommittedOffset } from '../groups/offsets.js';
import { encodeOffsetKey, encodeOffsetValue, partitionForGroup } from '../groups/records.js';
import { defineHandler, type BrokerContext } from '../handler.js';
import { ProducerStates } from '../producers/manager.js';
import { GROUP_METADATA_TOPIC, Topics } from '../topics/topics.js';
import { TxnCoordinator } from '../txn/coordinator.js';

/** Appends the offsets as one transactional batch to the group's __consumer_offsets partition. */
function writeTransactionalOffsets(
  broker: BrokerContext,
  groupId: string,
  producerId: number,
  producerEpoch: number,
  offsets: ReadonlyArray<{ topic: string; partition: number; value: CommittedOffset }>,
  now: number,
): number {
  const topics = Topics.of(broker);
  if (topics.byName(GROUP_METADATA_TOPIC) === undefined) topics.ensureInternalTopic(GROUP_METADATA_TOPIC);
  const count = topics.byName(GROUP_METADATA_TOPIC)?.partitions ?? broker.config.get('offsets.topic.num.partitions');
  const log = topics.partition(GROUP_METADATA_TOPIC, partitionForGroup(groupId, count));
  if (log === undefined) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  ProducerStates.of(broker).ensure(log);
  const batch = encodeRecordBatch({
    producerId,
    producerEpoch,
    isTransactional: true,
    records: offsets.map((o) => ({ key: encodeOffsetKey(groupId, o.topic, o.partition), value: encodeOffsetValue(o.value), timestamp: now })),
  });
  const r = log.append(batch, { origin: 'coordinator', now });
  if (r.ok) return ErrorCode.NONE;
  return r.errorCode === ErrorCode.MESSAGE_TOO_LARGE || r.errorCode === ErrorCode.RECORD_LIST_TOO_LARGE ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : ErrorCode.UNKNOWN_SERVER_ERROR;
}

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
    const staged: Array<{ topic: string; partition: number; value: CommittedOffset }> = [];
    const response: TxnOffsetCommitResponse = {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const reply = (errorCode: number) => ({ partitionIndex: p.partitionIndex, errorCode });
          if (topics.partition(t.name, p.partitionIndex) === undefined) return reply(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (common !== ErrorCode.NONE) return reply(common);
          const metadata = p.committedMetadata ?? '';
          if (Buffer.byteLength(metadata) > maxMetadata) return reply(ErrorCode.OFFSET_METADATA_TOO_LARGE);
          staged.push({
            topic: t.name,
            partition: p.partitionIndex,
            value: { offset: Number(p.committedOffset), leaderEpoch: version >= 2 ? p.committedLeaderEpoch : -1, metadata, commitTimestamp: now, expireTimestamp: -1 },
          });
          return reply(ErrorCode.NONE);
        }),
      })),
    };
    if (staged.length === 0) return response;
    const written = writeTransactionalOffsets(ctx.broker, request.groupId, pid, request.producerEpoch, staged, now);
    if (written !== ErrorCode.NONE) {
      for (const t of response.topics) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = written;
      return response;
    }
    for (const s of staged) groups.offsets.stagePending(request.groupId, pid, s.topic, s.partition, s.value);
    return response;
  },
});
