/**
 * ListTransactions (key 66): v0-2. The transactional ids the coordinator knows (Dead ones excepted),
 * filtered by state name (unknown names are echoed in unknown_state_filters), producer id, running for
 * longer than duration_filter ms (v1+, ongoing transactions only) and a transactional id pattern (v2+,
 * a regular expression matched against the whole id; an invalid one: INVALID_REGULAR_EXPRESSION).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type ListTransactionsResponse } from '../../protocol/messages/66-list-transactions.js';
import { defineHandler } from '../handler.js';
import { TxnCoordinator } from '../txn/coordinator.js';
import { TXN_STATE_NAMES, TxnState } from '../txn/state.js';

const KNOWN = new Set(Object.values(TXN_STATE_NAMES));

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, request): ListTransactionsResponse {
    const empty = (errorCode: number): ListTransactionsResponse => ({ throttleTimeMs: 0, errorCode, unknownStateFilters: [], transactionStates: [] });
    let pattern: RegExp | undefined;
    if (request.transactionalIdPattern !== null && request.transactionalIdPattern !== '') {
      try {
        pattern = new RegExp(`^(?:${request.transactionalIdPattern})$`);
      } catch {
        return empty(ErrorCode.INVALID_REGULAR_EXPRESSION);
      }
    }
    const states = new Set(request.stateFilters);
    const pids = new Set(request.producerIdFilters.map(Number));
    const duration = Number(request.durationFilter);
    const now = ctx.broker.clock.now();
    const out: ListTransactionsResponse['transactionStates'] = [];
    for (const m of TxnCoordinator.of(ctx.broker).txns.values()) {
      if (m.state === TxnState.Dead) continue;
      const name = TXN_STATE_NAMES[m.state];
      if (states.size > 0 && !states.has(name)) continue;
      if (pids.size > 0 && !pids.has(m.producerId)) continue;
      if (duration >= 0 && (m.state !== TxnState.Ongoing || now - m.startTimeMs < duration)) continue;
      if (pattern !== undefined && !pattern.test(m.transactionalId)) continue;
      out.push({ transactionalId: m.transactionalId, producerId: BigInt(m.producerId), transactionState: name });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, unknownStateFilters: request.stateFilters.filter((s) => !KNOWN.has(s)), transactionStates: out };
  },
});
