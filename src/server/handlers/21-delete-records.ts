/**
 * DeleteRecords (key 21): v0-2.
 *
 * Behaviour (Kafka's Partition.deleteRecordsOnLeader):
 *   - Advances the partition's log start offset to `offset` (persisted by storage; whole segments
 *     below it are removed); -1 means the high watermark. The response's low_watermark is the log
 *     start offset afterwards.
 *   - An offset beyond the high watermark (or below -1): OFFSET_OUT_OF_RANGE; an unknown topic or
 *     partition: UNKNOWN_TOPIC_OR_PARTITION; a topic whose cleanup.policy lacks "delete":
 *     POLICY_VIOLATION. Failed partitions report low_watermark -1, as Kafka does.
 *   - An offset below the current start is not an error; nothing moves.
 * Per version: v2+ flexible; no field changes.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api } from '../../protocol/messages/21-delete-records.js';
import { defineHandler, type BrokerContext } from '../handler.js';

const HIGH_WATERMARK = -1n;

function deleteBefore(broker: BrokerContext, topic: string, partition: number, offset: bigint): { errorCode: number; lowWatermark: bigint } {
  const fail = (errorCode: number) => ({ errorCode, lowWatermark: -1n });
  const log = broker.storage.partition(topic, partition);
  if (log === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!log.config.cleanupPolicy.includes('delete')) return fail(ErrorCode.POLICY_VIOLATION);
  const target = offset === HIGH_WATERMARK ? log.highWatermark : Number(offset);
  if (offset < HIGH_WATERMARK || target > log.highWatermark) return fail(ErrorCode.OFFSET_OUT_OF_RANGE);
  const r = log.deleteRecordsBefore(target);
  return r.errorCode === ErrorCode.NONE ? { errorCode: 0, lowWatermark: BigInt(r.lowWatermark) } : fail(r.errorCode);
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, request) {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          ...deleteBefore(ctx.broker, t.name, p.partitionIndex, p.offset),
        })),
      })),
    };
  },
});
