/**
 * FindCoordinator (key 10): v0-6.
 *
 * Behaviour:
 *   - Single node: this broker coordinates every group and every transactional id, so every key is
 *     answered with this node at the address of the listener the request came in on.
 *   - Key type 0 (group): always this node. Key type 1 (transaction): this node as well — Kafka's lookup
 *     hashes the transactional id onto __transaction_state, whose only leader here is this node; the
 *     answer is given now, before the transaction coordinator exists, exactly as it will be then.
 *   - Key type 2 (share group, KIP-932) and unknown types: INVALID_REQUEST (Brook has no share
 *     coordinator), as is type 2 below v6.
 *   - v0-3 carry one key (v0: group only); v4+ batch keys (KIP-699) and answer one entry per key.
 *   - v1-3 and per-key v4+ error messages: null on success.
 */
import { ErrorCode, errorMessage } from '../../protocol/errors.js';
import { api, type FindCoordinatorResponse } from '../../protocol/messages/10-find-coordinator.js';
import { defineHandler } from '../handler.js';
import { listenerFor } from '../listeners.js';

type Coordinator = FindCoordinatorResponse['coordinators'][number];

const GROUP = 0;
const TRANSACTION = 1;

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 6,
  handle(ctx, request, version): FindCoordinatorResponse {
    const broker = ctx.broker;
    const listener = listenerFor(broker.listeners, ctx.connection.listenerName);
    const keyType = version >= 1 ? request.keyType : GROUP;
    const known = keyType === GROUP || keyType === TRANSACTION;
    const answer = (key: string): Coordinator =>
      known && listener !== undefined
        ? { key, nodeId: broker.nodeId, host: listener.host, port: listener.port, errorCode: ErrorCode.NONE, errorMessage: null }
        : {
            key,
            nodeId: -1,
            host: '',
            port: -1,
            errorCode: known ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.INVALID_REQUEST,
            errorMessage: known ? errorMessage(ErrorCode.COORDINATOR_NOT_AVAILABLE) : `Unsupported coordinator key type ${keyType}`,
          };

    if (version >= 4) {
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        nodeId: 0,
        host: '',
        port: 0,
        coordinators: request.coordinatorKeys.map(answer),
      };
    }
    const c = answer(request.key);
    return {
      throttleTimeMs: 0,
      errorCode: c.errorCode,
      errorMessage: c.errorMessage,
      nodeId: c.nodeId,
      host: c.host,
      port: c.port,
      coordinators: [],
    };
  },
});
