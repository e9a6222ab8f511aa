/**
 * ListOffsets (key 2): the client looks up an offset by timestamp, or one of the special
 * timestamps (-1 latest, -2 earliest, -3 max timestamp, -4 local log start, -5 last tiered,
 * -6 earliest pending upload).
 *
 * Versions:
 *   v0    — initial: per partition a timestamp and max_num_offsets; response lists old-style offsets.
 *   v1    — one offset per partition: max_num_offsets and the offsets array are replaced by a single
 *           (timestamp, offset) pair in the response.
 *   v2    — request gains isolation_level; response gains throttle_time_ms.
 *   v3    — same layout; throttled responses are sent before the throttle is applied.
 *   v4    — request gains current_leader_epoch, response gains leader_epoch (fencing, KIP-320).
 *   v5    — same layout; OFFSET_NOT_AVAILABLE may be returned.
 *   v6    — flexible versions.
 *   v7    — same layout; timestamp -3 looks up the record with the max timestamp (KIP-734).
 *   v8    — same layout; timestamp -4 returns the local log start offset (KIP-405).
 *   v9    — same layout; timestamp -5 returns the last tiered offset (KIP-1005).
 *   v10   — request gains timeout_ms for remote-storage lookups (KIP-1075).
 *   v11   — same layout; timestamp -6 returns the earliest pending upload offset (KIP-1023).
 * Kafka 4.0 dropped v0 from its own broker; Brook still speaks it.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const ListOffsetsRequest = message({
  name: 'ListOffsetsRequest',
  kind: 'request',
  apiKey: 2,
  validVersions: '0-11',
  flexibleVersions: '6+',
  fields: [
    field('replicaId', T.int32, '0+'),
    field('isolationLevel', T.int8, '2+'),
    field(
      'topics',
      T.array(
        struct('ListOffsetsTopic', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('ListOffsetsPartition', [
                field('partitionIndex', T.int32, '0+'),
                field('currentLeaderEpoch', T.int32, '4+', { ignorable: true, default: -1 }),
                field('timestamp', T.int64, '0+'),
                field('maxNumOffsets', T.int32, '0', { default: 1 }),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field('timeoutMs', T.int32, '10+', { ignorable: true }),
  ],
});
export type ListOffsetsRequest = MessageValue<typeof ListOffsetsRequest>;

export const ListOffsetsResponse = message({
  name: 'ListOffsetsResponse',
  kind: 'response',
  apiKey: 2,
  validVersions: '0-11',
  flexibleVersions: '6+',
  fields: [
    field('throttleTimeMs', T.int32, '2+', { ignorable: true }),
    field(
      'topics',
      T.array(
        struct('ListOffsetsTopicResponse', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('ListOffsetsPartitionResponse', [
                field('partitionIndex', T.int32, '0+'),
                field('errorCode', T.int16, '0+'),
                field('oldStyleOffsets', T.array(T.int64), '0'),
                field('timestamp', T.int64, '1+', { default: -1n }),
                field('offset', T.int64, '1+', { default: -1n }),
                field('leaderEpoch', T.int32, '4+', { default: -1 }),
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
export type ListOffsetsResponse = MessageValue<typeof ListOffsetsResponse>;

export const api = defineApi({
  key: 2,
  name: 'ListOffsets',
  request: ListOffsetsRequest,
  response: ListOffsetsResponse,
});
