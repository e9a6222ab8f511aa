/**
 * DescribeTransactions (key 65): v0. Each transactional id's state as the coordinator holds it (state
 * name, timeout, start time, producer id/epoch, partitions of the ongoing transaction);
 * TRANSACTIONAL_ID_NOT_FOUND for an id it does not know.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type DescribeTransactionsResponse } from '../../protocol/messages/65-describe-transactions.js';
import { defineHandler } from '../handler.js';
import { TxnCoordinator } from '../txn/coordinator.js';
import { TXN_STATE_NAMES, TxnState } from '../txn/state.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, request): DescribeTransactionsResponse {
    const coordinator = TxnCoordinator.of(ctx.broker);
    return {
      throttleTimeMs: 0,
      transactionStates: request.transactionalIds.map((transactionalId) => {
        const m = coordinator.txns.get(transactionalId);
        if (m === undefined || m.state === TxnState.Dead) {
          return {
            errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND,
            transactionalId,
            transactionState: '',
            transactionTimeoutMs: 0,
            transactionStartTimeMs: -1n,
            producerId: -1n,
            producerEpoch: -1,
            topics: [],
          };
        }
        return {
          errorCode: ErrorCode.NONE,
          transactionalId,
          transactionState: TXN_STATE_NAMES[m.state],
          transactionTimeoutMs: m.timeoutMs,
          transactionStartTimeMs: BigInt(m.startTimeMs),
          producerId: BigInt(m.producerId),
          producerEpoch: m.producerEpoch,
          topics: [...m.partitions].map(([topic, ps]) => ({ topic, partitions: [...ps].sort((a, b) => a - b) })),
        };
      }),
    };
  },
});
