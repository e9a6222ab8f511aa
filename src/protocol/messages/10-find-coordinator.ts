/**
 * FindCoordinator (key 10): which broker coordinates a consumer group, a transactional id or a share group.
 *
 * Versions:
 *   v0    — one group id in, one (node id, host, port) and an error code out.
 *   v1    — request gains the key type (0 group, 1 transaction); response gains throttle time and an
 *           error message.
 *   v2    — same layout as v1; a throttled broker answers first and throttles afterwards.
 *   v3    — flexible versions.
 *   v4    — batched lookup (KIP-699): the request carries a list of keys and the response a list of
 *           coordinators, each with its own error; the single-key fields are gone.
 *   v5    — same layout; the broker may answer TRANSACTION_ABORTABLE (KIP-890).
 *   v6    — same layout; key type 2 asks for a share-group coordinator (KIP-932).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const FindCoordinatorRequest = message({
  name: 'FindCoordinatorRequest',
  kind: 'request',
  apiKey: 10,
  validVersions: '0-6',
  flexibleVersions: '3+',
  fields: [
    field('key', T.string, '0-3'),
    field('keyType', T.int8, '1+', { default: 0 }),
    field('coordinatorKeys', T.array(T.string), '4+'),
  ],
});
export type FindCoordinatorRequest = MessageValue<typeof FindCoordinatorRequest>;

export const FindCoordinatorResponse = message({
  name: 'FindCoordinatorResponse',
  kind: 'response',
  apiKey: 10,
  validVersions: '0-6',
  flexibleVersions: '3+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field('errorCode', T.int16, '0-3'),
    field('errorMessage', T.string, '1-3', { nullable: '1-3', ignorable: true }),
    field('nodeId', T.int32, '0-3'),
    field('host', T.string, '0-3'),
    field('port', T.int32, '0-3'),
    field(
      'coordinators',
      T.array(
        struct('Coordinator', [
          field('key', T.string, '4+'),
          field('nodeId', T.int32, '4+'),
          field('host', T.string, '4+'),
          field('port', T.int32, '4+'),
          field('errorCode', T.int16, '4+'),
          field('errorMessage', T.string, '4+', { nullable: '4+', ignorable: true }),
        ]),
      ),
      '4+',
    ),
  ],
});
export type FindCoordinatorResponse = MessageValue<typeof FindCoordinatorResponse>;

export const api = defineApi({
  key: 10,
  name: 'FindCoordinator',
  request: FindCoordinatorRequest,
  response: FindCoordinatorResponse,
});
