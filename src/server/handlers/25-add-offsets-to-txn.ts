/**
 * AddOffsetsToTxn (key 25): v0-4. Adds the group's __consumer_offsets partition to the transaction,
 * so TxnOffsetCommit may stage offsets for it (../txn/coordinator.ts). Errors as AddPartitionsToTxn;
 * PRODUCER_FENCED is INVALID_PRODUCER_EPOCH below v2.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type AddOffsetsToTxnResponse } from '../../protocol/messages/25-add-offsets-to-txn.js';
import { defineHandler } from '../handler.js';
import { TxnCoordinator } from '../txn/coordinator.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, request, version): AddOffsetsToTxnResponse {
    let errorCode = TxnCoordinator.of(ctx.broker).addOffsets(request.transactionalId, Number(request.producerId), request.producerEpoch, request.groupId);
    if (errorCode === ErrorCode.PRODUCER_FENCED && version < 2) errorCode = ErrorCode.INVALID_PRODUCER_EPOCH;
    return { throttleTimeMs: 0, errorCode };
  },
});
