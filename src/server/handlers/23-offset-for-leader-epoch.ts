/**
 * OffsetForLeaderEpoch (key 23): v0-4.
 *
 * A single-node broker has one leader epoch, 0, which starts at the log start offset and is still
 * current, so Kafka's leader-epoch cache lookup (LeaderEpochFileCache.endOffsetFor) reduces to:
 *   - requested epoch 0 (the latest): epoch 0, end offset = the log end offset;
 *   - requested epoch -1 (UNDEFINED_EPOCH, e.g. a follower on an old message format) or above 0
 *     (newer than any epoch this log has seen): epoch -1, end offset -1;
 *   - any other negative epoch (older than the first): the requested epoch, ending where epoch 0
 *     starts (the log start offset).
 * current_leader_epoch (v2+) above 0: UNKNOWN_LEADER_EPOCH (clients learn epoch 0 from Metadata);
 * -1 skips the check. Unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type OffsetForLeaderEpochResponse } from '../../protocol/messages/23-offset-for-leader-epoch.js';
import { defineHandler } from '../handler.js';
import { LEADER_EPOCH, Topics } from '../topics/topics.js';

type EpochEndOffset = OffsetForLeaderEpochResponse['topics'][number]['partitions'][number];

const UNDEFINED_EPOCH = -1;

function failed(partition: number, errorCode: number): EpochEndOffset {
  return { errorCode, partition, leaderEpoch: UNDEFINED_EPOCH, endOffset: -1n };
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, request): OffsetForLeaderEpochResponse {
    const topics = Topics.of(ctx.broker);
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p): EpochEndOffset => {
          const log = topics.partition(t.topic, p.partition);
          if (log === undefined) return failed(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (p.currentLeaderEpoch > LEADER_EPOCH) return failed(p.partition, ErrorCode.UNKNOWN_LEADER_EPOCH);
          const epoch = p.leaderEpoch;
          if (epoch === LEADER_EPOCH) {
            return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: LEADER_EPOCH, endOffset: BigInt(log.logEndOffset) };
          }
          if (epoch === UNDEFINED_EPOCH || epoch > LEADER_EPOCH) return failed(p.partition, ErrorCode.NONE);
          return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: epoch, endOffset: BigInt(log.logStartOffset) };
        }),
      })),
    };
  },
});
