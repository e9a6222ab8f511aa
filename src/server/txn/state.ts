/**
 * A transactional id's state as the coordinator keeps it (Kafka's TransactionMetadata), and the
 * transaction states with the ids Kafka writes into __transaction_state (TransactionState).
 */

export const TxnState = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;
export type TxnState = (typeof TxnState)[keyof typeof TxnState];

/** The names DescribeTransactions / ListTransactions use (Kafka's TransactionState.name). */
export const TXN_STATE_NAMES: Readonly<Record<TxnState, string>> = {
  0: 'Empty',
  1: 'Ongoing',
  2: 'PrepareCommit',
  3: 'PrepareAbort',
  4: 'CompleteCommit',
  5: 'CompleteAbort',
  6: 'Dead',
  7: 'PrepareEpochFence',
};

export interface TxnMetadata {
  readonly transactionalId: string;
  producerId: number;
  /** The producer id before the last rotation (epoch exhaustion), -1 if none. */
  prevProducerId: number;
  producerEpoch: number;
  /** The epoch before the last bump (lets a retried InitProducerId / EndTxn v5 be recognised), -1 if none. */
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  /** topic → partitions in the transaction. */
  partitions: Map<string, Set<number>>;
  /** Groups whose offsets the transaction carries (AddOffsetsToTxn); memory only. */
  groups: Set<string>;
  startTimeMs: number;
  lastUpdateMs: number;
  /** 2 when the client ended its last transaction with EndTxn v5 (KIP-890 epoch bump per transaction). */
  clientTransactionVersion: number;
}

export const MAX_EPOCH = 32767;

export function partitionCount(m: TxnMetadata): number {
  let n = 0;
  for (const s of m.partitions.values()) n += s.size;
  return n;
}

export function hasPartition(m: TxnMetadata, topic: string, partition: number): boolean {
  return m.partitions.get(topic)?.has(partition) ?? false;
}
