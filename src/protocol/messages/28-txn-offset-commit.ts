/**
 * TxnOffsetCommit (key 28): a transactional producer stages consumer-group offsets that become visible
 * only when its transaction commits.
 *
 * Versions:
 *   v0    — transactional id, group id, producer id/epoch and per-partition offset + metadata.
 *   v1    — same layout; a throttled broker answers first and throttles afterwards.
 *   v2    — each partition carries the committed leader epoch (KIP-320).
 *   v3    — flexible versions; request gains generation id, member id and group instance id so the
 *           group coordinator can fence zombie members (KIP-447).
 *   v4    — same layout; the broker may answer TRANSACTION_ABORTABLE (KIP-890).
 *   v5    — same layout; the coordinator adds the offsets partition to the transaction implicitly
 *           (KIP-890 part 2), so AddOffsetsToTxn is no longer needed first.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const TxnOffsetCommitRequest = message({
  name: 'TxnOffsetCommitRequest',
  kind: 'request',
  apiKey: 28,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('transactionalId', T.string, '0+'),
    field('groupId', T.string, '0+'),
    field('producerId', T.int64, '0+'),
    field('producerEpoch', T.int16, '0+'),
    field('generationId', T.int32, '3+', { default: -1 }),
    field('memberId', T.string, '3+', { default: '' }),
    field('groupInstanceId', T.string, '3+', { nullable: '3+', default: null }),
    field(
      'topics',
      T.array(
        struct('TxnOffsetCommitRequestTopic', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('TxnOffsetCommitRequestPartition', [
                field('partitionIndex', T.int32, '0+'),
                field('committedOffset', T.int64, '0+'),
                field('committedLeaderEpoch', T.int32, '2+', { default: -1, ignorable: true }),
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
export type TxnOffsetCommitRequest = MessageValue<typeof TxnOffsetCommitRequest>;

export const TxnOffsetCommitResponse = message({
  name: 'TxnOffsetCommitResponse',
  kind: 'response',
  apiKey: 28,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'topics',
      T.array(
        struct('TxnOffsetCommitResponseTopic', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('TxnOffsetCommitResponsePartition', [
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
export type TxnOffsetCommitResponse = MessageValue<typeof TxnOffsetCommitResponse>;

export const api = defineApi({
  key: 28,
  name: 'TxnOffsetCommit',
  request: TxnOffsetCommitRequest,
  response: TxnOffsetCommitResponse,
});
