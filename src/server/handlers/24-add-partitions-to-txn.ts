/**
 * AddPartitionsToTxn (key 24): v0-5. Logic in ../txn/coordinator.ts.
 *
 * Behaviour:
 *   - v0-3 (clients): one transaction. Partitions that do not exist answer UNKNOWN_TOPIC_OR_PARTITION
 *     and the others OPERATION_NOT_ATTEMPTED (nothing is added); otherwise every partition gets the
 *     coordinator's answer: NONE, INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED (INVALID_PRODUCER_EPOCH
 *     below v2), CONCURRENT_TRANSACTIONS (a commit/abort in flight), INVALID_TXN_STATE.
 *   - v4+ (the brokers' batched form, KIP-890): per transaction the same, or with verify_only the
 *     per-partition answer whether it is already in the ongoing transaction (INVALID_TXN_STATE if not).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type AddPartitionsToTxnResponse } from '../../protocol/messages/24-add-partitions-to-txn.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { Topics } from '../topics/topics.js';
import { TxnCoordinator, type TopicPartitions } from '../txn/coordinator.js';

type TopicResult = AddPartitionsToTxnResponse['resultsByTopicV3AndBelow'][number];
interface Txn {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: ReadonlyArray<{ name: string; partitions: readonly number[] }>;
}

function sameForAll(topics: Txn['topics'], code: (topic: string, partition: number) => number): TopicResult[] {
  return topics.map((t) => ({ name: t.name, resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: code(t.name, p) })) }));
}

function handleTxn(ctx: RequestContext, txn: Txn, version: number): TopicResult[] {
  const topics = Topics.of(ctx.broker);
  const coordinator = TxnCoordinator.of(ctx.broker);
  const missing = (t: string, p: number): boolean => topics.partition(t, p) === undefined;
  if (txn.topics.some((t) => t.partitions.some((p) => missing(t.name, p)))) {
    return sameForAll(txn.topics, (t, p) => (missing(t, p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED));
  }
  const parts: TopicPartitions[] = txn.topics.map((t) => ({ topic: t.name, partitions: t.partitions }));
  const pid = Number(txn.producerId);
  if (txn.verifyOnly) {
    const r = coordinator.verifyPartitions(txn.transactionalId, pid, txn.producerEpoch, parts);
    return sameForAll(txn.topics, (t, p) => (typeof r === 'number' ? r : (r.get(t)?.get(p) ?? ErrorCode.INVALID_TXN_STATE)));
  }
  let err = coordinator.addPartitions(txn.transactionalId, pid, txn.producerEpoch, parts);
  if (err === ErrorCode.PRODUCER_FENCED && version < 2) err = ErrorCode.INVALID_PRODUCER_EPOCH;
  return sameForAll(txn.topics, () => err);
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, request, version): AddPartitionsToTxnResponse {
    if (version >= 4) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        resultsByTransaction: request.transactions.map((t) => ({ transactionalId: t.transactionalId, topicResults: handleTxn(ctx, t, version) })),
        resultsByTopicV3AndBelow: [],
      };
    }
    const txn: Txn = {
      transactionalId: request.v3AndBelowTransactionalId,
      producerId: request.v3AndBelowProducerId,
      producerEpoch: request.v3AndBelowProducerEpoch,
      verifyOnly: false,
      topics: request.v3AndBelowTopics,
    };
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: handleTxn(ctx, txn, version) };
  },
});
