/**
 * The transaction APIs at the protocol level (Brook's codec over a raw socket), for what clients hide:
 * error codes of the coordinator's state machine, the v4+ batched AddPartitionsToTxn with verify_only,
 * Produce verification and KIP-890 implicit add (v12), EndTxn v5 epoch bump, timeouts that abort with
 * a bumped epoch, DescribeProducers / DescribeTransactions / ListTransactions, and __transaction_state
 * reloaded after a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { api as produce } from '../../src/protocol/messages/00-produce.js';
import { api as initProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { api as addPartitions } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { api as addOffsets } from '../../src/protocol/messages/25-add-offsets-to-txn.js';
import { api as endTxn } from '../../src/protocol/messages/26-end-txn.js';
import { api as writeTxnMarkers } from '../../src/protocol/messages/27-write-txn-markers.js';
import { api as txnOffsetCommit } from '../../src/protocol/messages/28-txn-offset-commit.js';
import { api as describeProducers } from '../../src/protocol/messages/61-describe-producers.js';
import { api as describeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { api as listTransactions } from '../../src/protocol/messages/66-list-transactions.js';
import { encodeRecordBatch } from '../../src/protocol/records/records.js';
import { startBroker } from '../../src/index.js';
import type { Broker } from '../../src/server/broker.js';
import { RawClient, sleep } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Conn {
  broker: Broker;
  client: RawClient;
  call<Req, Res>(api: ApiSpec<Req, Res>, version: number, body: Req): Promise<Res>;
}

let correlationId = 0;
async function connect(options: { dataDir?: string; config?: Record<string, string | number | boolean> } = {}): Promise<Conn> {
  const broker = await startBroker({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
    ...(options.dataDir === undefined ? { memory: true } : { dataDir: options.dataDir }),
    config: options.config ?? {},
  });
  const client = await RawClient.connect(broker.port);
  cleanups.push(async () => {
    client.destroy();
    await broker.close();
  });
  if (broker.storage.topic('t') === undefined) broker.storage.createTopic('t', { partitions: 3 });
  return {
    broker,
    client,
    async call(api, version, body) {
      const id = ++correlationId;
      const before = client.frames.length;
      for (const b of encodeRequestFrame(api, version, { correlationId: id, clientId: 'txn-protocol' }, body)) client.write(b);
      const frames = await client.waitFrames(before + 1);
      return decodeResponseFrame(api, version, frames[before]!).body;
    },
  };
}

function txBatch(pid: bigint, epoch: number, seq: number, value: string): Buffer {
  return encodeRecordBatch({ producerId: Number(pid), producerEpoch: epoch, baseSequence: seq, isTransactional: true, records: [{ key: null, value: Buffer.from(value), timestamp: Date.now() }] });
}

async function produceTo(c: Conn, version: number, transactionalId: string | null, partition: number, batch: Buffer): Promise<number> {
  const r = await c.call(produce, version, {
    transactionalId,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitionData: [{ index: partition, records: batch }] }],
  });
  return r.responses[0]!.partitionResponses[0]!.errorCode;
}

async function init(c: Conn, id: string, timeoutMs = 60_000, version = 4, pid = -1n, epoch = -1) {
  return c.call(initProducerId, version, { transactionalId: id, transactionTimeoutMs: timeoutMs, producerId: pid, producerEpoch: epoch });
}

async function add(c: Conn, id: string, pid: bigint, epoch: number, partitions: number[], version = 3) {
  const r = await c.call(addPartitions, version, {
    transactions: [],
    v3AndBelowTransactionalId: id,
    v3AndBelowProducerId: pid,
    v3AndBelowProducerEpoch: epoch,
    v3AndBelowTopics: [{ name: 't', partitions }],
  });
  return r.resultsByTopicV3AndBelow[0]!.resultsByPartition.map((p) => p.partitionErrorCode);
}

async function describeTxn(c: Conn, id: string) {
  return (await c.call(describeTransactions, 0, { transactionalIds: [id] })).transactionStates[0]!;
}

describe('transaction coordinator', () => {
  it('runs a transaction and answers the state machine errors', async () => {
    const c = await connect();
    const { producerId: pid, producerEpoch: epoch, errorCode } = await init(c, 'app');
    expect(errorCode).toBe(ErrorCode.NONE);
    // Producing before adding the partition: the coordinator does not know it (verification).
    expect(await produceTo(c, 9, 'app', 0, txBatch(pid, epoch, 0, 'early'))).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await add(c, 'app', pid, epoch, [0, 1])).toEqual([0, 0]);
    expect(await add(c, 'app', pid, epoch, [0, 9])).toEqual([ErrorCode.OPERATION_NOT_ATTEMPTED, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(await add(c, 'app', pid + 1n, epoch, [0])).toEqual([ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
    expect(await add(c, 'app', pid, epoch - 1, [0])).toEqual([ErrorCode.PRODUCER_FENCED]);
    expect(await add(c, 'app', pid, epoch - 1, [0], 1)).toEqual([ErrorCode.INVALID_PRODUCER_EPOCH]);
    expect(await produceTo(c, 9, 'app', 0, txBatch(pid, epoch, 0, 'a'))).toBe(ErrorCode.NONE);

    const described = await describeTxn(c, 'app');
    expect(described).toMatchObject({ errorCode: 0, transactionState: 'Ongoing', producerId: pid, producerEpoch: epoch, topics: [{ topic: 't', partitions: [0, 1] }] });
    const producers = await c.call(describeProducers, 0, { topics: [{ name: 't', partitionIndexes: [0, 7] }] });
    expect(producers.topics[0]!.partitions[0]!.activeProducers).toEqual([
      expect.objectContaining({ producerId: pid, producerEpoch: epoch, lastSequence: 0, currentTxnStartOffset: 0n }),
    ]);
    expect(producers.topics[0]!.partitions[1]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const listed = await c.call(listTransactions, 1, { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [], durationFilter: -1n, transactionalIdPattern: null });
    expect(listed.transactionStates).toEqual([{ transactionalId: 'app', producerId: pid, transactionState: 'Ongoing' }]);
    expect(listed.unknownStateFilters).toEqual(['Bogus']);

    const end = (commit: boolean, e = epoch) => c.call(endTxn, 3, { transactionalId: 'app', producerId: pid, producerEpoch: e, committed: commit });
    expect((await end(true)).errorCode).toBe(ErrorCode.NONE);
    expect((await end(true)).errorCode).toBe(ErrorCode.NONE); // a retry of the same decision
    expect((await end(false)).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    expect((await describeTxn(c, 'app')).transactionState).toBe('CompleteCommit');
    expect((await describeTxn(c, 'nope')).errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    expect(c.broker.storage.partition('t', 0)!.lastStableOffset).toBe(2); // record + marker
  });

  it('InitProducerId fences: new epoch, the open transaction aborted, the old epoch refused', async () => {
    const c = await connect();
    const first = await init(c, 'f');
    await add(c, 'f', first.producerId, first.producerEpoch, [2]);
    expect(await produceTo(c, 9, 'f', 2, txBatch(first.producerId, first.producerEpoch, 0, 'zombie'))).toBe(0);
    const log = c.broker.storage.partition('t', 2)!;
    expect(log.lastStableOffset).toBe(0);
    const second = await init(c, 'f');
    expect(second.producerId).toBe(first.producerId);
    expect(second.producerEpoch).toBeGreaterThan(first.producerEpoch);
    expect(log.lastStableOffset).toBe(log.highWatermark); // aborted: marker written
    expect(await produceTo(c, 9, 'f', 2, txBatch(first.producerId, first.producerEpoch, 1, 'late'))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    const end = await c.call(endTxn, 3, { transactionalId: 'f', producerId: first.producerId, producerEpoch: first.producerEpoch, committed: true });
    expect(end.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    // KIP-360: resuming with a stale id/epoch is fenced too.
    expect((await init(c, 'f', 60_000, 4, first.producerId, first.producerEpoch)).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    expect((await init(c, 'f', 60_000, 3, first.producerId, first.producerEpoch)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await init(c, 'f', 0)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  });

  it('KIP-890: Produce v12 adds the partition implicitly, EndTxn v5 bumps the epoch and answers it', async () => {
    const c = await connect();
    const { producerId: pid, producerEpoch: epoch } = await init(c, 'tv2', 60_000, 5);
    expect(await produceTo(c, 12, 'tv2', 1, txBatch(pid, epoch, 0, 'x'))).toBe(ErrorCode.NONE);
    expect((await describeTxn(c, 'tv2')).topics).toEqual([{ topic: 't', partitions: [1] }]);
    const end = await c.call(endTxn, 5, { transactionalId: 'tv2', producerId: pid, producerEpoch: epoch, committed: true });
    expect(end).toMatchObject({ errorCode: 0, producerId: pid, producerEpoch: epoch + 1 });
    // The retry (old epoch) gets the same answer.
    const retry = await c.call(endTxn, 5, { transactionalId: 'tv2', producerId: pid, producerEpoch: epoch, committed: true });
    expect(retry).toMatchObject({ errorCode: 0, producerEpoch: epoch + 1 });
  });

  it('AddPartitionsToTxn v4 (batched) adds and verifies', async () => {
    const c = await connect();
    const a = await init(c, 'a');
    const r = await c.call(addPartitions, 4, {
      transactions: [
        { transactionalId: 'a', producerId: a.producerId, producerEpoch: a.producerEpoch, verifyOnly: false, topics: [{ name: 't', partitions: [0] }] },
        { transactionalId: 'missing', producerId: 1n, producerEpoch: 0, verifyOnly: false, topics: [{ name: 't', partitions: [0] }] },
      ],
      v3AndBelowTransactionalId: '',
      v3AndBelowProducerId: 0n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [],
    });
    expect(r.resultsByTransaction.map((t) => t.topicResults[0]!.resultsByPartition[0]!.partitionErrorCode)).toEqual([0, ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
    const v = await c.call(addPartitions, 4, {
      transactions: [{ transactionalId: 'a', producerId: a.producerId, producerEpoch: a.producerEpoch, verifyOnly: true, topics: [{ name: 't', partitions: [0, 1] }] }],
      v3AndBelowTransactionalId: '',
      v3AndBelowProducerId: 0n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [],
    });
    expect(v.resultsByTransaction[0]!.topicResults[0]!.resultsByPartition.map((p) => p.partitionErrorCode)).toEqual([0, ErrorCode.INVALID_TXN_STATE]);
  });

  it('TxnOffsetCommit needs AddOffsetsToTxn first; staged offsets are unstable until the commit', async () => {
    const c = await connect();
    const { producerId: pid, producerEpoch: epoch } = await init(c, 'offs');
    const commitOffsets = (e = epoch) =>
      c.call(txnOffsetCommit, 3, {
        transactionalId: 'offs',
        groupId: 'g',
        producerId: pid,
        producerEpoch: e,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: 'm' }, { partitionIndex: 9, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }] }],
      });
    const codes = (r: Awaited<ReturnType<typeof commitOffsets>>) => r.topics[0]!.partitions.map((p) => p.errorCode);
    expect(codes(await commitOffsets())).toEqual([ErrorCode.INVALID_TXN_STATE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect((await c.call(addOffsets, 3, { transactionalId: 'offs', producerId: pid, producerEpoch: epoch, groupId: 'g' })).errorCode).toBe(0);
    expect(codes(await commitOffsets(epoch + 1))).toEqual([ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(codes(await commitOffsets())).toEqual([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    const { GroupCoordinator } = await import('../../src/server/groups/coordinator.js');
    const groups = GroupCoordinator.of(c.broker.context);
    expect(groups.fetchOffsets('g', [{ topic: 't', partitions: [0] }], true).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);
    await c.call(endTxn, 3, { transactionalId: 'offs', producerId: pid, producerEpoch: epoch, committed: true });
    expect(groups.fetchOffsets('g', [{ topic: 't', partitions: [0] }], true).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 5, metadata: 'm' });
  });

  it('WriteTxnMarkers ends a transaction in the listed partitions (as a partition leader does)', async () => {
    const c = await connect();
    const { producerId: pid, producerEpoch: epoch } = await init(c, 'wm');
    await add(c, 'wm', pid, epoch, [1]);
    await produceTo(c, 9, 'wm', 1, txBatch(pid, epoch, 0, 'x'));
    const log = c.broker.storage.partition('t', 1)!;
    expect(log.lastStableOffset).toBe(0);
    const r = await c.call(writeTxnMarkers, 1, {
      markers: [{ producerId: pid, producerEpoch: epoch, transactionResult: false, topics: [{ name: 't', partitionIndexes: [1, 5] }], coordinatorEpoch: 0, transactionVersion: 0 }],
    });
    expect(r.markers[0]!.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(log.lastStableOffset).toBe(2);
  });

  it('forgets idle transactional ids and producers after their expiration', async () => {
    const c = await connect({ config: { 'transactional.id.expiration.ms': 300, 'producer.id.expiration.ms': 300 } });
    const { producerId: pid, producerEpoch: epoch } = await init(c, 'idle');
    await add(c, 'idle', pid, epoch, [0]);
    await produceTo(c, 9, 'idle', 0, txBatch(pid, epoch, 0, 'x'));
    await c.call(endTxn, 3, { transactionalId: 'idle', producerId: pid, producerEpoch: epoch, committed: true });
    const producers = async () => (await c.call(describeProducers, 0, { topics: [{ name: 't', partitionIndexes: [0] }] })).topics[0]!.partitions[0]!.activeProducers;
    expect(await producers()).toHaveLength(1);
    for (let i = 0; i < 30 && (await describeTxn(c, 'idle')).errorCode === 0; i++) await sleep(100);
    expect((await describeTxn(c, 'idle')).errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    for (let i = 0; i < 30 && (await producers()).length > 0; i++) await sleep(100);
    expect(await producers()).toEqual([]);
    // A new InitProducerId for the id starts over with a new producer id.
    expect((await init(c, 'idle')).producerId).not.toBe(pid);
  });

  it('a transaction open longer than its timeout is aborted with a bumped epoch', async () => {
    const c = await connect();
    const { producerId: pid, producerEpoch: epoch } = await init(c, 'slow', 500);
    await add(c, 'slow', pid, epoch, [0]);
    await produceTo(c, 9, 'slow', 0, txBatch(pid, epoch, 0, 'never'));
    const log = c.broker.storage.partition('t', 0)!;
    expect(log.lastStableOffset).toBe(0);
    for (let i = 0; i < 40 && log.lastStableOffset === 0; i++) await sleep(100);
    expect(log.lastStableOffset).toBe(2);
    expect(await describeTxn(c, 'slow')).toMatchObject({ transactionState: 'CompleteAbort', producerEpoch: epoch + 1 });
  });

  it('__transaction_state is loaded at start; an ongoing transaction left by a restart times out without any client', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-txn-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const c = await connect({ dataDir: dir });
    const done = await init(c, 'done');
    await add(c, 'done', done.producerId, done.producerEpoch, [1]);
    await c.call(endTxn, 3, { transactionalId: 'done', producerId: done.producerId, producerEpoch: done.producerEpoch, committed: false });
    const open = await init(c, 'open', 1500);
    await add(c, 'open', open.producerId, open.producerEpoch, [0]);
    await produceTo(c, 9, 'open', 0, txBatch(open.producerId, open.producerEpoch, 0, 'dangling'));
    c.client.destroy();
    await c.broker.close();

    const again = await connect({ dataDir: dir });
    // The coordinator loaded at start (no request needed); the partition's producer state came back
    // from the snapshot: the LSO holds at the open transaction until its timeout aborts it.
    const log = again.broker.storage.partition('t', 0)!;
    expect(log.lastStableOffset).toBe(0);
    for (let i = 0; i < 40 && log.lastStableOffset === 0; i++) await sleep(100);
    expect(log.lastStableOffset).toBe(2);
    expect(await describeTxn(again, 'done')).toMatchObject({ transactionState: 'CompleteAbort', producerId: done.producerId });
    expect(await describeTxn(again, 'open')).toMatchObject({ transactionState: 'CompleteAbort', producerEpoch: open.producerEpoch + 1 });
    const producers = await again.call(describeProducers, 0, { topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(producers.topics[0]!.partitions[0]!.activeProducers[0]).toMatchObject({ producerId: open.producerId, currentTxnStartOffset: -1n });
    const fresh = await init(again, 'new-id');
    expect(fresh.producerId).toBeGreaterThan(open.producerId); // ids never repeat
  });
});
