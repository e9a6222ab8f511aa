/**
 * AddPartitionsToTxn (key 24): a transactional producer registers partitions with its transaction before
 * writing to them. From v4 the request is the brokers' batched form, used by partition leaders to verify
 * (or add) partitions for many transactions at once (KIP-890).
 *
 * Versions:
 *   v0    — one transactional id, producer id/epoch and topics/partitions; per-partition errors out.
 *   v1    — same layout; a throttled broker answers first and throttles afterwards.
 *   v2    — same layout; the broker may answer PRODUCER_FENCED (KIP-588).
 *   v3    — flexible versions. The last version clients send.
 *   v4    — broker-to-broker batched form: a list of transactions, each with its own id, producer
 *           id/epoch, verifyOnly flag and topics; response gains a top-level error and results grouped
 *           by transaction. The v0-v3 single-transaction fields are gone.
 *   v5    — same layout; the broker may answer TRANSACTION_ABORTABLE (KIP-890).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

/** Kafka's common struct: the partitions of one topic to add to a transaction. */
const AddPartitionsToTxnTopic = struct('AddPartitionsToTxnTopic', [
  field('name', T.string, '0+'),
  field('partitions', T.array(T.int32), '0+'),
]);

/** Kafka's common struct: the error for one partition. */
const AddPartitionsToTxnPartitionResult = struct('AddPartitionsToTxnPartitionResult', [
  field('partitionIndex', T.int32, '0+'),
  field('partitionErrorCode', T.int16, '0+'),
]);

/** Kafka's common struct: the per-partition errors of one topic. */
const AddPartitionsToTxnTopicResult = struct('AddPartitionsToTxnTopicResult', [
  field('name', T.string, '0+'),
  field('resultsByPartition', T.array(AddPartitionsToTxnPartitionResult), '0+'),
]);

export const AddPartitionsToTxnRequest = message({
  name: 'AddPartitionsToTxnRequest',
  kind: 'request',
  apiKey: 24,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field(
      'transactions',
      T.array(
        struct('AddPartitionsToTxnTransaction', [
          field('transactionalId', T.string, '4+'),
          field('producerId', T.int64, '4+'),
          field('producerEpoch', T.int16, '4+'),
          field('verifyOnly', T.bool, '4+', { default: false }),
          field('topics', T.array(AddPartitionsToTxnTopic), '4+'),
        ]),
      ),
      '4+',
    ),
    field('v3AndBelowTransactionalId', T.string, '0-3'),
    field('v3AndBelowProducerId', T.int64, '0-3'),
    field('v3AndBelowProducerEpoch', T.int16, '0-3'),
    field('v3AndBelowTopics', T.array(AddPartitionsToTxnTopic), '0-3'),
  ],
});
export type AddPartitionsToTxnRequest = MessageValue<typeof AddPartitionsToTxnRequest>;

export const AddPartitionsToTxnResponse = message({
  name: 'AddPartitionsToTxnResponse',
  kind: 'response',
  apiKey: 24,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '4+', { ignorable: true }),
    field(
      'resultsByTransaction',
      T.array(
        struct('AddPartitionsToTxnResult', [
          field('transactionalId', T.string, '4+'),
          field('topicResults', T.array(AddPartitionsToTxnTopicResult), '4+'),
        ]),
      ),
      '4+',
    ),
    field('resultsByTopicV3AndBelow', T.array(AddPartitionsToTxnTopicResult), '0-3'),
  ],
});
export type AddPartitionsToTxnResponse = MessageValue<typeof AddPartitionsToTxnResponse>;

export const api = defineApi({
  key: 24,
  name: 'AddPartitionsToTxn',
  request: AddPartitionsToTxnRequest,
  response: AddPartitionsToTxnResponse,
});
