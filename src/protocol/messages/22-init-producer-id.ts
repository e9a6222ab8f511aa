/**
 * InitProducerId (key 22): an idempotent or transactional producer obtains its producer id and epoch.
 *
 * Versions:
 *   v0    — transactional id (null for a plain idempotent producer) and transaction timeout in;
 *           producer id and epoch out.
 *   v1    — same layout; a throttled broker answers first and throttles afterwards.
 *   v2    — flexible versions.
 *   v3    — request carries the producer's current id and epoch so it can bump its epoch and resume
 *           after an error instead of starting over (KIP-360).
 *   v4    — same layout; the broker may answer PRODUCER_FENCED (KIP-588).
 *   v5    — same layout; the broker may answer TRANSACTION_ABORTABLE (KIP-890).
 */
import { defineApi, field, message, T, type MessageValue } from '../schema/dsl.js';

export const InitProducerIdRequest = message({
  name: 'InitProducerIdRequest',
  kind: 'request',
  apiKey: 22,
  validVersions: '0-5',
  flexibleVersions: '2+',
  fields: [
    field('transactionalId', T.string, '0+', { nullable: '0+' }),
    field('transactionTimeoutMs', T.int32, '0+'),
    field('producerId', T.int64, '3+', { default: -1n }),
    field('producerEpoch', T.int16, '3+', { default: -1 }),
  ],
});
export type InitProducerIdRequest = MessageValue<typeof InitProducerIdRequest>;

export const InitProducerIdResponse = message({
  name: 'InitProducerIdResponse',
  kind: 'response',
  apiKey: 22,
  validVersions: '0-5',
  flexibleVersions: '2+',
  fields: [
    field('throttleTimeMs', T.int32, '0+', { ignorable: true }),
    field('errorCode', T.int16, '0+'),
    field('producerId', T.int64, '0+', { default: -1n }),
    field('producerEpoch', T.int16, '0+'),
  ],
});
export type InitProducerIdResponse = MessageValue<typeof InitProducerIdResponse>;

export const api = defineApi({
  key: 22,
  name: 'InitProducerId',
  request: InitProducerIdRequest,
  response: InitProducerIdResponse,
});
