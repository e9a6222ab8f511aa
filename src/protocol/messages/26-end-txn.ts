/**
 * EndTxn (key 26): a transactional producer commits or aborts its ongoing transaction.
 *
 * Versions:
 *   v0    — transactional id, producer id/epoch and commit flag in; error code out.
 *   v1    — same layout; a throttled broker answers first and throttles afterwards.
 *   v2    — same layout; the broker may answer PRODUCER_FENCED (KIP-588).
 *   v3    — flexible versions.
 *   v4    — same layout; the broker may answer TRANSACTION_ABORTABLE (KIP-890).
 *   v5    — the epoch is bumped at the end of every transaction (KIP-890 part 2), so the response
 *           carries the producer id and epoch to use next.
 */
import { defineApi, field, message, T, type MessageValue } from '../schema/dsl.js';

export const EndTxnRequest = message({
  name: 'EndTxnRequest',
  kind: 'request',
  apiKey: 26,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('transactionalId', T.string, '0+'),
    field('producerId', T.int64, '0+'),
    field('producerEpoch', T.int16, '0+'),
    field('committed', T.bool, '0+'),
  ],
});
export type EndTxnRequest = MessageValue<typeof EndTxnRequest>;

export const EndTxnResponse = message({
  name: 'EndTxnResponse',
  kind: 'response',
  apiKey: 26,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '0+'),
    field('producerId', T.int64, '5+', { default: -1n, ignorable: true }),
    field('producerEpoch', T.int16, '5+', { default: -1, ignorable: true }),
  ],
});
export type EndTxnResponse = MessageValue<typeof EndTxnResponse>;

export const api = defineApi({ key: 26, name: 'EndTxn', request: EndTxnRequest, response: EndTxnResponse });
