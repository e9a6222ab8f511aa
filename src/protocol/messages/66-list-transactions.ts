/**
 * ListTransactions (key 66): the transactions a coordinator knows, optionally filtered (KIP-664).
 *
 * Versions:
 *   v0    — filters by state and by producer id; always flexible.
 *   v1    — request may filter for transactions running longer than a duration (KIP-994).
 *   v2    — request may filter transactional ids by a regular expression (KIP-1152); the broker may
 *           answer INVALID_REGULAR_EXPRESSION.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const ListTransactionsRequest = message({
  name: 'ListTransactionsRequest',
  kind: 'request',
  apiKey: 66,
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    field('stateFilters', T.array(T.string), '0+'),
    field('producerIdFilters', T.array(T.int64), '0+'),
    // Milliseconds; negative means no duration filter.
    field('durationFilter', T.int64, '1+', { default: -1n }),
    field('transactionalIdPattern', T.string, '2+', { nullable: '2+', default: null }),
  ],
});
export type ListTransactionsRequest = MessageValue<typeof ListTransactionsRequest>;

export const ListTransactionsResponse = message({
  name: 'ListTransactionsResponse',
  kind: 'response',
  apiKey: 66,
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '0+'),
    field('unknownStateFilters', T.array(T.string), '0+'),
    field(
      'transactionStates',
      T.array(
        struct('TransactionState', [
          field('transactionalId', T.string, '0+'),
          field('producerId', T.int64, '0+'),
          field('transactionState', T.string, '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type ListTransactionsResponse = MessageValue<typeof ListTransactionsResponse>;

export const api = defineApi({
  key: 66,
  name: 'ListTransactions',
  request: ListTransactionsRequest,
  response: ListTransactionsResponse,
});
