/**
 * OffsetFetch (key 9): v0-10. Committed offsets of one group (v0-7) or of several (v8+).
 *
 * Behaviour:
 *   - Topics null (v2+) or a group's topics null (v8+): every committed offset of the group.
 *   - A partition without a committed offset (or a group that does not exist): offset -1, metadata
 *     '' and no error, as Kafka answers.
 *   - require_stable (v7+, KIP-447): a partition with a pending transactional offset answers
 *     UNSTABLE_OFFSET_COMMIT (the client retries).
 *   - v9+: member id and epoch are checked by KIP-848 groups; classic groups do not check them.
 *   - v10: topics by id (an unknown id: UNKNOWN_TOPIC_ID per partition).
 *   - v0 read ZooKeeper in old Kafka; here every version reads the same store.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type OffsetFetchRequest, type OffsetFetchResponse } from '../../protocol/messages/09-offset-fetch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { GroupCoordinator, type FetchedOffsets, type FetchedPartition } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';
import { Topics } from '../topics/topics.js';

type RequestGroup = OffsetFetchRequest['groups'][number];
type ResponseGroup = OffsetFetchResponse['groups'][number];

function wirePartition(p: FetchedPartition, errorCode: number): ResponseGroup['topics'][number]['partitions'][number] {
  return { partitionIndex: p.partition, committedOffset: BigInt(p.offset), committedLeaderEpoch: p.leaderEpoch, metadata: p.metadata, errorCode };
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 10,
  handle(ctx, request, version): OffsetFetchResponse {
    const groups = GroupCoordinator.of(ctx.broker);
    if (version <= 7) {
      const topics = request.topics === null ? null : request.topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes }));
      const r = groups.fetchOffsets(request.groupId, topics, version >= 7 && request.requireStable);
      return {
        throttleTimeMs: 0,
        topics: r.topics.map((t) => ({
          name: t.topic,
          // v0-1 have no top-level error: a group error is reported per partition.
          partitions: t.partitions.map((p) => wirePartition(p, p.errorCode !== ErrorCode.NONE ? p.errorCode : version < 2 ? r.errorCode : ErrorCode.NONE)),
        })),
        errorCode: r.errorCode,
        groups: [],
      };
    }
    const topicsService = Topics.of(ctx.broker);
    return {
      throttleTimeMs: 0,
      topics: [],
      errorCode: 0,
      groups: request.groups.map((g) => fetchGroup(groups, topicsService, g, version, request.requireStable)),
    };
  },
});

function fetchGroup(groups: GroupCoordinator, topics: Topics, g: RequestGroup, version: number, requireStable: boolean): ResponseGroup {
  const byId = version >= 10;
  // v10: resolve ids to names; unknown ids answer UNKNOWN_TOPIC_ID.
  const unknownIds = new Map<string, number[]>();
  let asked: Array<{ topic: string; partitions: number[] }> | null = null;
  if (g.topics !== null) {
    asked = [];
    for (const t of g.topics) {
      const name = byId ? topics.byId(t.topicId)?.name : t.name;
      if (name === undefined) unknownIds.set(t.topicId, t.partitionIndexes);
      else asked.push({ topic: name, partitions: t.partitionIndexes });
    }
  }
  const member = version >= 9 ? { memberId: g.memberId, memberEpoch: g.memberEpoch } : undefined;
  const r: FetchedOffsets = groups.fetchOffsets(g.groupId, asked, requireStable, member);
  const out: ResponseGroup['topics'] = r.topics.map((t) => ({
    name: byId ? '' : t.topic,
    topicId: byId ? (topics.byName(t.topic)?.topicId ?? ZERO_UUID) : ZERO_UUID,
    partitions: t.partitions.map((p) => wirePartition(p, p.errorCode)),
  }));
  for (const [topicId, partitions] of unknownIds) {
    out.push({
      name: '',
      topicId,
      partitions: partitions.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
      })),
    });
  }
  return { groupId: g.groupId, topics: r.errorCode === ErrorCode.NONE ? out : [], errorCode: r.errorCode };
}
