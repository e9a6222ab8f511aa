/**
 * OffsetDelete (key 47): v0. Deletes committed offsets of some partitions of a group (KIP-496).
 *
 * Behaviour (as Kafka):
 *   - Unknown group: GROUP_ID_NOT_FOUND (top level).
 *   - A group with members: allowed only for the consumer protocol, and only for topics no member
 *     subscribes to (GROUP_SUBSCRIBED_TO_TOPIC per partition); other protocols: NON_EMPTY_GROUP.
 *   - Partitions of unknown topics: UNKNOWN_TOPIC_OR_PARTITION. Deleting an offset that was never
 *     committed succeeds.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type OffsetDeleteResponse } from '../../protocol/messages/47-offset-delete.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';
import { Topics } from '../topics/topics.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, request): OffsetDeleteResponse {
    const topics = Topics.of(ctx.broker);
    const known = request.topics.map((t) => {
      const info = topics.byName(t.name);
      return t.partitions.map((p) => info !== undefined && p.partitionIndex >= 0 && p.partitionIndex < info.partitions);
    });
    const toDelete = request.topics.map((t, i) => ({
      topic: t.name,
      partitions: t.partitions.filter((_, j) => known[i]![j]).map((p) => p.partitionIndex),
    }));
    const r = GroupCoordinator.of(ctx.broker).deleteOffsets(request.groupId, toDelete);
    if (r.errorCode !== ErrorCode.NONE) return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] };
    return {
      errorCode: ErrorCode.NONE,
      throttleTimeMs: 0,
      topics: request.topics.map((t, i) => {
        let k = 0;
        return {
          name: t.name,
          partitions: t.partitions.map((p, j) => ({
            partitionIndex: p.partitionIndex,
            errorCode: known[i]![j] ? r.partitionErrors[i]![k++]! : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          })),
        };
      }),
    };
  },
});
