/**
 * OffsetCommit (key 8): a consumer stores its committed offsets for a group.
 *
 * Versions:
 *   v0    — group id and per-partition offset + metadata (v0 offsets lived in ZooKeeper).
 *   v1    — request gains generation id and member id, and a per-partition commit timestamp.
 *   v2    — the per-partition timestamp is replaced by one retention time for the whole request.
 *   v3    — response gains throttle time.
 *   v4    — same layout; a throttled broker answers first and throttles afterwards.
 *   v5    — retention time is gone: the broker's offsets.retention.minutes alone decides (KIP-211).
 *   v6    — each partition carries the leader epoch of the committed record (KIP-320).
 *   v7    — request gains the group instance id for static membership (KIP-345).
 *   v8    — flexible versions.
 *   v9    — same layout; usable by the new consumer protocol (KIP-848), where the generation field
 *           holds the member epoch; may answer STALE_MEMBER_EPOCH and GROUP_ID_NOT_FOUND.
 *   v10   — topics are named by topic id instead of name, in request and response (KIP-848, Kafka 4.2).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const OffsetCommitRequest = message({
  name: 'OffsetCommitRequest',
  kind: 'request',
  apiKey: 8,
  validVersions: '0-10',
  flexibleVersions: '8+',
  fields: [
    field('groupId', T.string, '0+'),
    field('generationIdOrMemberEpoch', T.int32, '1+', { default: -1, ignorable: true }),
    field('memberId', T.string, '1+', { ignorable: true }),
    field('groupInstanceId', T.string, '7+', { nullable: '7+', default: null }),
    field('retentionTimeMs', T.int64, '2-4', { default: -1n, ignorable: true }),
    field(
      'topics',
      T.array(
        struct('OffsetCommitRequestTopic', [
          field('name', T.string, '0-9', { ignorable: true }),
          field('topicId', T.uuid, '10+', { ignorable: true }),
          field(
            'partitions',
            T.array(
              struct('OffsetCommitRequestPartition', [
                field('partitionIndex', T.int32, '0+'),
                field('committedOffset', T.int64, '0+'),
                field('committedLeaderEpoch', T.int32, '6+', { default: -1, ignorable: true }),
                // Only v1 carries a per-partition timestamp; v2-v4 use the request's retention time.
                field('commitTimestamp', T.int64, '1', { default: -1n }),
                field('committedMetadata', T.string, '0+', { nullable: '0+' }),
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
export type OffsetCommitRequest = MessageValue<typeof OffsetCommitRequest>;

export const OffsetCommitResponse = message({
  name: 'OffsetCommitResponse',
  kind: 'response',
  apiKey: 8,
  validVersions: '0-10',
  flexibleVersions: '8+',
  fields: [
    field('throttleTimeMs', T.int32, '3+', { ignorable: true }),
    field(
      'topics',
      T.array(
        struct('OffsetCommitResponseTopic', [
          field('name', T.string, '0-9', { ignorable: true }),
          field('topicId', T.uuid, '10+', { ignorable: true }),
          field(
            'partitions',
            T.array(
              struct('OffsetCommitResponsePartition', [
                field('partitionIndex', T.int32, '0+'),
                field('errorCode', T.int16, '0+'),
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
export type OffsetCommitResponse = MessageValue<typeof OffsetCommitResponse>;

export const api = defineApi({
  key: 8,
  name: 'OffsetCommit',
  request: OffsetCommitRequest,
  response: OffsetCommitResponse,
});
