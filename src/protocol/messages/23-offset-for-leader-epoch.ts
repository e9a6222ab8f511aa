/**
 * OffsetForLeaderEpoch (key 23): for each partition, the end offset of a given leader epoch
 * (used by followers and, since KIP-320, by consumers to detect log truncation).
 *
 * Versions:
 *   v0    — initial: per partition a leader epoch; response gives the end offset.
 *   v1    — response gains the leader epoch the end offset belongs to.
 *   v2    — request gains current_leader_epoch for fencing; response gains throttle_time_ms.
 *   v3    — request gains replica_id (-2 = debug consumer, -1 = normal consumer).
 *   v4    — flexible versions.
 * Kafka 4.0 dropped v0-1 from its own broker; Brook still speaks them.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const OffsetForLeaderEpochRequest = message({
  name: 'OffsetForLeaderEpochRequest',
  kind: 'request',
  apiKey: 23,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('replicaId', T.int32, '3+', { ignorable: true, default: -2 }),
    field(
      'topics',
      T.array(
        struct('OffsetForLeaderTopic', [
          field('topic', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('OffsetForLeaderPartition', [
                field('partition', T.int32, '0+'),
                field('currentLeaderEpoch', T.int32, '2+', { ignorable: true, default: -1 }),
                field('leaderEpoch', T.int32, '0+'),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
  ],
});
export type OffsetForLeaderEpochRequest = MessageValue<typeof OffsetForLeaderEpochRequest>;

export const OffsetForLeaderEpochResponse = message({
  name: 'OffsetForLeaderEpochResponse',
  kind: 'response',
  apiKey: 23,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('throttleTimeMs', T.int32, '2+', { ignorable: true }),
    field(
      'topics',
      T.array(
        struct('OffsetForLeaderTopicResult', [
          field('topic', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('EpochEndOffset', [
                field('errorCode', T.int16, '0+'),
                field('partition', T.int32, '0+'),
                field('leaderEpoch', T.int32, '1+', { ignorable: true, default: -1 }),
                field('endOffset', T.int64, '0+', { default: -1n }),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
  ],
});
export type OffsetForLeaderEpochResponse = MessageValue<typeof OffsetForLeaderEpochResponse>;

export const api = defineApi({
  key: 23,
  name: 'OffsetForLeaderEpoch',
  request: OffsetForLeaderEpochRequest,
  response: OffsetForLeaderEpochResponse,
});
