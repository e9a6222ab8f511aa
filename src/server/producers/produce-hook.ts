/**
 * The Produce path's producer-state hook: attaches the partition's producer state (idempotence,
 * transactions) before the append, and lets the transaction coordinator verify transactional batches
 * (the partition must be part of the producer's ongoing transaction; KIP-890 adds it implicitly for
 * Produce v12+). Then appends; storage's interceptor runs the sequence checks and deduplication.
 */
import { ErrorCode } from '../../protocol/errors.js';
import {
  MAGIC_V2,
  RECORD_BATCH_HEADER_SIZE,
  batchIsTransactional,
  batchMagic,
  batchProducerEpoch,
  batchProducerId,
} from '../../protocol/records/batch-header.js';
import type { AppendResult, PartitionLog } from '../../storage/index.js';
import type { BrokerContext } from '../handler.js';
import { ProducerStates } from './manager.js';

/** Checks a transactional produce against the coordinator: NONE or the error for this partition. */
export type TransactionalProduceVerifier = (
  broker: BrokerContext,
  transactionalId: string | null,
  producerId: number,
  producerEpoch: number,
  topic: string,
  partition: number,
  produceVersion: number,
) => { errorCode: number; message: string } | undefined;

let verifier: TransactionalProduceVerifier | undefined;

/** Installed by the transaction coordinator module. */
export function setTransactionalProduceVerifier(v: TransactionalProduceVerifier): void {
  verifier = v;
}

export function appendWithProducerState(
  broker: BrokerContext,
  log: PartitionLog,
  batches: Buffer,
  transactionalId: string | null,
  produceVersion: number,
): AppendResult {
  ProducerStates.of(broker).ensure(log);
  if (batches.length >= RECORD_BATCH_HEADER_SIZE && batchMagic(batches, 0) === MAGIC_V2 && batchIsTransactional(batches, 0)) {
    const pid = batchProducerId(batches, 0);
    const failure =
      verifier === undefined
        ? { errorCode: ErrorCode.INVALID_TXN_STATE, message: 'transactions are not available' }
        : verifier(broker, transactionalId, pid, batchProducerEpoch(batches, 0), log.topic, log.partition, produceVersion);
    if (failure !== undefined) {
      return { ok: false, errorCode: failure.errorCode, errorMessage: failure.message, batchIndex: -1, logStartOffset: log.logStartOffset };
    }
  }
  return log.append(batches);
}
