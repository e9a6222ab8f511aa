/**
 * AddOffsetsToTxn (key 25): a transactional producer tells its coordinator that the transaction will
 * commit offsets for a consumer group (the group's __consumer_offsets partition joins the transaction).
 *
 * Versions:
 *   v0    — transactional id, producer id/epoch and group id in; error code out.
 *   v1    — same layout; a throttled broker answers first and throttles afterwards.
 *   v2    — same layout; the broker may answer PRODUCER_FENCED (KIP-588).
 *   v3    — flexible versions.
 *   v4    — same layout; the broker may answer TRANSACTION_ABORTABLE (KIP-890).
 */
import { defineApi, field, message, T, type MessageValue } from '../schema/dsl.js';

export const AddOffsetsToTxnRequest = message({
  name: 'AddOffsetsToTxnRequest',
  kind: 'request',
  apiKey: 25,
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    field('transactionalId', T.string, '0+'),
    field('producerId', T.int64, '0+'),
    field('producerEpoch', T.int16, '0+'),
    field('groupId', T.string, '0+'),
  ],
});
export type AddOffsetsToTxnRequest = MessageValue<typeof AddOffsetsToTxnRequest>;

export const AddOffsetsToTxnResponse = message({
  name: 'AddOffsetsToTxnResponse',
  kind: 'response',
  apiKey: 25,
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '0+'),
  ],
});
export type AddOffsetsToTxnResponse = MessageValue<typeof AddOffsetsToTxnResponse>;

export const api = defineApi({
  key: 25,
  name: 'AddOffsetsToTxn',
  request: AddOffsetsToTxnRequest,
  response: AddOffsetsToTxnResponse,
});
