/**
 * __transaction_state records in Kafka's formats: TransactionLogKey v0 (version 0, then the id as a
 * string) and TransactionLogValue v1 (flexible, tagged previous producer id / client transaction
 * version), round trip and the exact key bytes; the partition of an id as Kafka computes it.
 */
import { describe, expect, it } from 'vitest';
import { decodeTxnRecord, encodeTxnKey, encodeTxnValue, partitionForTxn } from '../../src/server/txn/log.js';
import { TxnState, type TxnMetadata } from '../../src/server/txn/state.js';

const meta: TxnMetadata = {
  transactionalId: 'app-1',
  producerId: 4001,
  prevProducerId: 17,
  producerEpoch: 3,
  lastProducerEpoch: 2,
  timeoutMs: 60_000,
  state: TxnState.Ongoing,
  partitions: new Map([
    ['orders', new Set([2, 0])],
    ['__consumer_offsets', new Set([13])],
  ]),
  groups: new Set(),
  startTimeMs: 1_700_000_000_000,
  lastUpdateMs: 1_700_000_000_500,
  clientTransactionVersion: 2,
};

describe('transaction log records', () => {
  it('key: version 0, then the transactional id as an int16-length string', () => {
    expect(encodeTxnKey('app-1').toString('hex')).toBe('0000' + '0005' + Buffer.from('app-1').toString('hex'));
  });

  it('value v1 round trips, partitions sorted, tagged fields kept', () => {
    const value = encodeTxnValue(meta);
    expect(value.readInt16BE(0)).toBe(1);
    const d = decodeTxnRecord(encodeTxnKey('app-1'), value);
    expect(d.transactionalId).toBe('app-1');
    expect(d.value).toMatchObject({
      producerId: 4001,
      prevProducerId: 17,
      producerEpoch: 3,
      timeoutMs: 60_000,
      state: TxnState.Ongoing,
      startTimeMs: meta.startTimeMs,
      lastUpdateMs: meta.lastUpdateMs,
      clientTransactionVersion: 2,
    });
    expect([...d.value!.partitions.get('orders')!]).toEqual([0, 2]);
    expect(decodeTxnRecord(encodeTxnKey('app-1'), null).value).toBeUndefined();
  });

  it('maps an id to its partition as Kafka: abs(hashCode) % partitions', () => {
    // Java: "app-1".hashCode() = ((((97·31+112)·31+112)·31+45)·31+49) = 93027205; % 50 = 5
    expect(partitionForTxn('app-1', 50)).toBe(5);
    expect(partitionForTxn('', 50)).toBe(0);
  });
});
