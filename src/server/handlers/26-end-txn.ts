/**
 * EndTxn (key 26): v0-5. Commits or aborts the ongoing transaction (../txn/coordinator.ts): the state
 * is written to __transaction_state, the markers to every partition of the transaction, and the answer
 * comes once they are all in the logs. A retried EndTxn for a completed transaction of the same kind is
 * NONE; the other kind or no transaction: INVALID_TXN_STATE; an old epoch: PRODUCER_FENCED
 * (INVALID_PRODUCER_EPOCH below v2). v5 (KIP-890): the epoch is bumped at the end of every
 * transaction and the response carries the producer id and epoch to use next.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type EndTxnResponse } from '../../protocol/messages/26-end-txn.js';
import { defineHandler } from '../handler.js';
import { TxnCoordinator } from '../txn/coordinator.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, request, version): EndTxnResponse {
    const r = TxnCoordinator.of(ctx.broker).endTxn(request.transactionalId, Number(request.producerId), request.producerEpoch, request.committed, version >= 5);
    const errorCode = r.errorCode === ErrorCode.PRODUCER_FENCED && version < 2 ? ErrorCode.INVALID_PRODUCER_EPOCH : r.errorCode;
    return {
      throttleTimeMs: 0,
      errorCode,
      producerId: version >= 5 ? BigInt(r.producerId) : -1n,
      producerEpoch: version >= 5 ? r.producerEpoch : -1,
    };
  },
});
