/**
 * The durable side of the transaction coordinator: one record per state change in the internal topic
 * `__transaction_state`, in Kafka's TransactionLogKey (v0) / TransactionLogValue (v1, flexible, with the
 * tagged previous/next producer id and client transaction version) formats, each a 2-byte version
 * followed by the struct. The partition of a transactional id is abs(javaHash(id)) % partitions, as in
 * Kafka. A null value (tombstone) removes an expired transactional id. Loaded on start, last record wins.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { iterateRecordBatches } from '../../protocol/records/records.js';
import { field, struct, T } from '../../protocol/schema/dsl.js';
import { appendRecords, replayLog, type CoordinatorTopic } from '../coordinator-log.js';
import { coordinatorPartition, decodeRecord, decodeValue, encodeRecord, recordSchema } from '../coordinator-records.js';
import type { TxnMetadata, TxnState } from './state.js';

export const TransactionLogKey = recordSchema({
  name: 'TransactionLogKey',
  validVersions: '0',
  flexibleVersions: 'none',
  fields: [field('transactionalId', T.string, '0')],
});

export const TransactionLogValue = recordSchema({
  name: 'TransactionLogValue',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [
    field('producerId', T.int64, '0+'),
    field('previousProducerId', T.int64, '1+', { tag: 0, taggedVersions: '1+', default: -1n, ignorable: true }),
    field('nextProducerId', T.int64, '1+', { tag: 1, taggedVersions: '1+', default: -1n, ignorable: true }),
    field('producerEpoch', T.int16, '0+'),
    field('transactionTimeoutMs', T.int32, '0+'),
    field('transactionStatus', T.int8, '0+'),
    field(
      'transactionPartitions',
      T.array(struct('PartitionsSchema', [field('topic', T.string, '0+'), field('partitionIds', T.array(T.int32), '0+')])),
      '0+',
      { nullable: '0+' },
    ),
    field('transactionLastUpdateTimestampMs', T.int64, '0+'),
    field('transactionStartTimestampMs', T.int64, '0+'),
    field('clientTransactionVersion', T.int16, '1+', { tag: 2, taggedVersions: '1+', default: 0, ignorable: true }),
  ],
});

const KEY_VERSION = 0;
const VALUE_VERSION = 1;

export function encodeTxnKey(transactionalId: string): Buffer {
  return encodeRecord(TransactionLogKey, KEY_VERSION, { transactionalId });
}

export function encodeTxnValue(m: TxnMetadata): Buffer {
  return encodeRecord(TransactionLogValue, VALUE_VERSION, {
    producerId: BigInt(m.producerId),
    previousProducerId: BigInt(m.prevProducerId),
    nextProducerId: -1n,
    producerEpoch: m.producerEpoch,
    transactionTimeoutMs: m.timeoutMs,
    transactionStatus: m.state,
    transactionPartitions: [...m.partitions].map(([topic, ps]) => ({ topic, partitionIds: [...ps].sort((a, b) => a - b) })),
    transactionLastUpdateTimestampMs: BigInt(m.lastUpdateMs),
    transactionStartTimestampMs: BigInt(m.startTimeMs),
    clientTransactionVersion: m.clientTransactionVersion,
  });
}

/** Decodes one record; undefined value = tombstone. Throws on malformed bytes. */
export function decodeTxnRecord(key: Buffer, value: Buffer | null): { transactionalId: string; value: TxnMetadata | undefined } {
  const { transactionalId } = decodeRecord(TransactionLogKey, KEY_VERSION, key);
  const v = decodeValue(TransactionLogValue, VALUE_VERSION, value);
  if (v === undefined) return { transactionalId, value: undefined };
  return {
    transactionalId,
    value: {
      transactionalId,
      producerId: Number(v.producerId),
      prevProducerId: Number(v.previousProducerId),
      producerEpoch: v.producerEpoch,
      lastProducerEpoch: -1,
      timeoutMs: v.transactionTimeoutMs,
      state: v.transactionStatus as TxnState,
      partitions: new Map((v.transactionPartitions ?? []).map((p) => [p.topic, new Set(p.partitionIds)])),
      groups: new Set(),
      startTimeMs: Number(v.transactionStartTimestampMs),
      lastUpdateMs: Number(v.transactionLastUpdateTimestampMs),
      clientTransactionVersion: v.clientTransactionVersion,
    },
  };
}

/** The __transaction_state partition of a transactional id. */
export function partitionForTxn(transactionalId: string, partitions: number): number {
  return coordinatorPartition(transactionalId, partitions);
}

/** Where the log lives: the broker gives the partitions of __transaction_state. */
export type TxnTopicAccess = CoordinatorTopic;

/** Appends one state record; NONE, or COORDINATOR_NOT_AVAILABLE (retriable, as Kafka maps a failed write). */
export function appendTxnRecord(topic: TxnTopicAccess, transactionalId: string, value: Buffer | null, now: number): number {
  const log = topic.partition(partitionForTxn(transactionalId, topic.partitions()), true);
  if (log === undefined) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const r = appendRecords(log, [{ key: encodeTxnKey(transactionalId), value }], now);
  return r.ok ? ErrorCode.NONE : ErrorCode.COORDINATOR_NOT_AVAILABLE;
}

/** Replays every partition; the last record per transactional id wins. */
export function loadTxnLog(topic: TxnTopicAccess, onBad: (err: Error) => void): Map<string, TxnMetadata> {
  const out = new Map<string, TxnMetadata>();
  for (let p = 0; p < topic.partitions(); p++) {
    const log = topic.partition(p, false);
    if (log === undefined) continue;
    replayLog(log, (chunks, offset) => {
      let next = offset;
      for (const chunk of chunks) {
        for (const batch of iterateRecordBatches(chunk)) {
          next = batch.baseOffset + batch.lastOffsetDelta + 1;
          if (batch.isControl) continue;
          for (const rec of batch.records) {
            if (rec.offset < offset || rec.key === null) continue;
            try {
              const d = decodeTxnRecord(rec.key, rec.value);
              if (d.value === undefined) out.delete(d.transactionalId);
              else out.set(d.transactionalId, d.value);
            } catch (err) {
              onBad(err as Error);
            }
          }
        }
      }
      return next;
    });
  }
  return out;
}
