/**
 * OffsetFetch (key 9): a consumer reads a group's committed offsets.
 *
 * Versions:
 *   v0    — group id and topics/partitions in; per-partition offset, metadata and error out
 *           (v0 read offsets from ZooKeeper).
 *   v1    — same layout; offsets come from the __consumer_offsets topic.
 *   v2    — a null topic list asks for every committed offset of the group; response gains a
 *           top-level error code for group and coordinator errors.
 *   v3    — response gains throttle time.
 *   v4    — same layout; a throttled broker answers first and throttles afterwards.
 *   v5    — response carries the committed leader epoch per partition (KIP-320).
 *   v6    — flexible versions.
 *   v7    — request gains requireStable; partitions with pending transactional commits may answer
 *           UNSTABLE_OFFSET_COMMIT (KIP-447).
 *   v8    — multi-group form: the single group id, topic list and top-level error are replaced by a
 *           list of groups, each with its own topics and error (KIP-709).
 *   v9    — each group in the request carries member id and member epoch for the new consumer
 *           protocol (KIP-848); may answer STALE_MEMBER_EPOCH / UNKNOWN_MEMBER_ID.
 *   v10   — topics inside groups are named by topic id instead of name (KIP-848, Kafka 4.2).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const OffsetFetchRequest = message({
  name: 'OffsetFetchRequest',
  kind: 'request',
  apiKey: 9,
  validVersions: '0-10',
  flexibleVersions: '6+',
  fields: [
    field('groupId', T.string, '0-7'),
    field(
      'topics',
      T.array(
        struct('OffsetFetchRequestTopic', [
          field('name', T.string, '0-7'),
          field('partitionIndexes', T.array(T.int32), '0-7'),
        ]),
      ),
      '0-7',
      { nullable: '2-7' },
    ),
    field(
      'groups',
      T.array(
        struct('OffsetFetchRequestGroup', [
          field('groupId', T.string, '8+'),
          field('memberId', T.string, '9+', { nullable: '9+', default: null, ignorable: true }),
          field('memberEpoch', T.int32, '9+', { default: -1, ignorable: true }),
          field(
            'topics',
            T.array(
              struct('OffsetFetchRequestTopics', [
                field('name', T.string, '8-9', { ignorable: true }),
                field('topicId', T.uuid, '10+', { ignorable: true }),
                field('partitionIndexes', T.array(T.int32), '8+'),
              ]),
            ),
            '8+',
            { nullable: '8+' },
          ),
        ]),
      ),
      '8+',
    ),
    field('requireStable', T.bool, '7+', { default: false }),
  ],
});
export type OffsetFetchRequest = MessageValue<typeof OffsetFetchRequest>;

export const OffsetFetchResponse = message({
  name: 'OffsetFetchResponse',
  kind: 'response',
  apiKey: 9,
  validVersions: '0-10',
  flexibleVersions: '6+',
  fields: [
    field('throttleTimeMs', T.int32, '3+', { ignorable: true }),
    field(
      'topics',
      T.array(
        struct('OffsetFetchResponseTopic', [
          field('name', T.string, '0-7'),
          field(
            'partitions',
            T.array(
              struct('OffsetFetchResponsePartition', [
                field('partitionIndex', T.int32, '0-7'),
                field('committedOffset', T.int64, '0-7'),
                field('committedLeaderEpoch', T.int32, '5-7', { default: -1, ignorable: true }),
                field('metadata', T.string, '0-7', { nullable: '0-7' }),
                field('errorCode', T.int16, '0-7'),
              ]),
            ),
            '0-7',
          ),
        ]),
      ),
      '0-7',
    ),
    field('errorCode', T.int16, '2-7', { default: 0, ignorable: true }),
    field(
      'groups',
      T.array(
        struct('OffsetFetchResponseGroup', [
          field('groupId', T.string, '8+'),
          field(
            'topics',
            T.array(
              struct('OffsetFetchResponseTopics', [
                field('name', T.string, '8-9', { ignorable: true }),
                field('topicId', T.uuid, '10+', { ignorable: true }),
                field(
                  'partitions',
                  T.array(
                    struct('OffsetFetchResponsePartitions', [
                      field('partitionIndex', T.int32, '8+'),
                      field('committedOffset', T.int64, '8+'),
                      field('committedLeaderEpoch', T.int32, '8+', { default: -1, ignorable: true }),
                      field('metadata', T.string, '8+', { nullable: '8+' }),
                      field('errorCode', T.int16, '8+'),
                    ]),
                  ),
                  '8+',
                ),
              ]),
            ),
            '8+',
          ),
          field('errorCode', T.int16, '8+', { default: 0 }),
        ]),
      ),
      '8+',
    ),
  ],
});
export type OffsetFetchResponse = MessageValue<typeof OffsetFetchResponse>;

export const api = defineApi({ key: 9, name: 'OffsetFetch', request: OffsetFetchRequest, response: OffsetFetchResponse });
