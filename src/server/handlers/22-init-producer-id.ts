/**
 * InitProducerId (key 22): v0-5.
 *
 * Behaviour:
 *   - No transactional id (idempotent producer): a new producer id, never handed out before by this
 *     data directory (../producers/producer-ids.ts), epoch 0. An idempotent producer bumps its epoch
 *     itself after an error (KIP-360), so v3+ producer id/epoch are not needed here.
 *   - A transactional id: the transaction coordinator (../txn/coordinator.ts) maps it to a producer id
 *     and bumps the epoch, fencing older producers with the same id; an ongoing transaction is aborted
 *     first. Empty id: INVALID_REQUEST; timeout outside 1..transaction.max.timeout.ms:
 *     INVALID_TRANSACTION_TIMEOUT; a v3+ producer id/epoch that is neither current nor the previous one:
 *     PRODUCER_FENCED (INVALID_PRODUCER_EPOCH below v4).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type InitProducerIdResponse } from '../../protocol/messages/22-init-producer-id.js';
import { defineHandler } from '../handler.js';
import { ProducerStates } from '../producers/manager.js';
import { TxnCoordinator } from '../txn/coordinator.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, request, version): InitProducerIdResponse {
    if (request.transactionalId === null) {
      const producerId = ProducerStates.of(ctx.broker).ids.generate();
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: BigInt(producerId), producerEpoch: 0 };
    }
    const r = TxnCoordinator.of(ctx.broker).initProducerId(
      request.transactionalId,
      request.transactionTimeoutMs,
      Number(request.producerId),
      request.producerEpoch,
    );
    const errorCode = r.errorCode === ErrorCode.PRODUCER_FENCED && version < 4 ? ErrorCode.INVALID_PRODUCER_EPOCH : r.errorCode;
    return { throttleTimeMs: 0, errorCode, producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch };
  },
});
