/**
 * The fetch state machines on their own: the session cache (epochs, eviction by idleness and size)
 * and the long-poll waiter over a real memory store (wake on append, min_bytes accounting, timeout,
 * shutdown).
 */
import { describe, expect, it } from 'vitest';
import { FetchSessionCache, type RequestedPartition } from '../../src/server/fetch/sessions.js';
import { FetchWaiter } from '../../src/server/fetch/waiter.js';
import type { BrokerContext } from '../../src/server/handler.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { encodeRecordBatch } from '../../src/protocol/records/records.js';

const part = (partition: number, fetchOffset = 0): RequestedPartition => ({
  topic: 't',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
  partition,
  fetchOffset,
  partitionMaxBytes: 1 << 20,
  currentLeaderEpoch: -1,
});

describe('FetchSessionCache', () => {
  it('creates sessions on epoch 0, advances epochs, closes on epoch -1 and when emptied', () => {
    const cache = new FetchSessionCache({ maxSlots: 10 });
    const full = cache.open(0, 0, false, [part(0), part(1)], []);
    expect(full.kind).toBe('full');
    const s = full.kind === 'full' ? full.session! : undefined!;
    expect(s.epoch).toBe(1);
    expect(cache.open(s.id, 1, false, [part(0, 5)], []).kind).toBe('incremental');
    expect(s.partitions.get('t\u00000')!.fetchOffset).toBe(5);
    expect(cache.open(s.id, 1, false, [], [])).toEqual({ kind: 'error', errorCode: 71 });
    // Forgetting every partition closes the session.
    const emptied = cache.open(s.id, 2, false, [], [
      { topic: 't', topicId: '', partition: 0 },
      { topic: 't', topicId: '', partition: 1 },
    ]);
    expect(emptied).toEqual({ kind: 'full', session: undefined });
    expect(cache.get(s.id)).toBeUndefined();
    const again = cache.open(0, 0, false, [part(0)], []);
    const id = again.kind === 'full' ? again.session!.id : 0;
    expect(cache.open(id, -1, false, [part(0)], [])).toEqual({ kind: 'full', session: undefined });
    expect(cache.size).toBe(0);
  });

  it('when full, evicts the least recently used session once it has been idle past the eviction time', () => {
    let now = 1_000_000;
    const cache = new FetchSessionCache({ maxSlots: 2, evictionMs: 120_000, now: () => now });
    const ids = [0, 1].map(() => {
      const c = cache.open(0, 0, false, [part(0), part(1)], []);
      return c.kind === 'full' ? c.session!.id : 0;
    });
    // Same size, not idle: no room.
    expect(cache.open(0, 0, false, [part(0), part(1)], [])).toEqual({ kind: 'full', session: undefined });
    now += 60_000;
    expect(cache.open(ids[1]!, 1, false, [], []).kind).toBe('incremental'); // touch the second one
    now += 70_000; // the first is now idle for 130 s, the second for 70 s
    const c = cache.open(0, 0, false, [part(0)], []);
    expect(c.kind === 'full' && c.session !== undefined).toBe(true);
    expect(cache.get(ids[0]!)).toBeUndefined();
    expect(cache.get(ids[1]!)).toBeDefined();
  });

  it('0 slots disables sessions', () => {
    const cache = new FetchSessionCache({ maxSlots: 0 });
    expect(cache.open(0, 0, false, [part(0)], [])).toEqual({ kind: 'full', session: undefined });
  });
});

function fakeBroker(storage: Storage, signal: AbortSignal): BrokerContext {
  const services = new Map<string, object>();
  const ctx = {
    storage,
    signal,
    service<T extends object>(key: string, create: (b: BrokerContext) => T): T {
      if (!services.has(key)) services.set(key, create(ctx));
      return services.get(key) as T;
    },
  } as unknown as BrokerContext;
  return ctx;
}

describe('FetchWaiter', () => {
  const batch = (value: string) => encodeRecordBatch({ baseOffset: 0, records: [{ value, timestamp: Date.now() }] });

  it('wakes a waiting fetch once appends reach min_bytes, counting only watched partitions', async () => {
    const storage = openStorage({ memory: true });
    storage.createTopic('w', { partitions: 2 });
    const abort = new AbortController();
    const waiter = FetchWaiter.of(fakeBroker(storage, abort.signal));
    const log0 = storage.partition('w', 0)!;
    const log1 = storage.partition('w', 1)!;
    const one = batch('x').length;
    let outcome: string | undefined;
    const watch = (log: typeof log0) => ({ log, initialBytes: 0, available: () => log.read(0, 1 << 20).bytes });
    const p = waiter.wait({ partitions: [watch(log0)], minBytes: one + 1, maxWaitMs: 10_000 }).then((o) => (outcome = o));
    expect(waiter.waiting).toBe(1);
    log1.append(batch('x')); // not watched
    log0.append(batch('x')); // watched, but one batch is below min_bytes
    await Promise.resolve();
    expect(outcome).toBeUndefined();
    log0.append(batch('y'));
    await p;
    expect(outcome).toBe('data');
    expect(waiter.waiting).toBe(0);
    storage.close();
  });

  it('times out after max_wait_ms, and answers every waiter when the broker shuts down', async () => {
    const storage = openStorage({ memory: true });
    storage.createTopic('w', { partitions: 1 });
    const abort = new AbortController();
    const waiter = FetchWaiter.of(fakeBroker(storage, abort.signal));
    const log = storage.partition('w', 0)!;
    const watched = [{ log, initialBytes: 0, available: () => 0 }];
    expect(await waiter.wait({ partitions: watched, minBytes: 1, maxWaitMs: 20 })).toBe('timeout');
    const waits = [1, 2, 3].map(() => waiter.wait({ partitions: watched, minBytes: 1, maxWaitMs: 60_000 }));
    abort.abort();
    expect(await Promise.all(waits)).toEqual(['shutdown', 'shutdown', 'shutdown']);
    expect(await waiter.wait({ partitions: watched, minBytes: 1, maxWaitMs: 60_000 })).toBe('shutdown');
    storage.close();
  });
});

describe('readPartitions', () => {
  it('turns a failing log read into KAFKA_STORAGE_ERROR for that partition only', async () => {
    const { readPartitions } = await import('../../src/server/fetch/read.js');
    const storage = openStorage({ memory: true });
    storage.createTopic('r', { partitions: 1 });
    const good = storage.partition('r', 0)!;
    good.append(encodeRecordBatch({ baseOffset: 0, records: [{ value: 'ok', timestamp: Date.now() }] }));
    const broken = Object.create(good, {
      read: {
        value: () => {
          throw new Error('EIO');
        },
      },
    }) as typeof good;
    const target = (log: typeof good) => ({ log, missingError: 3, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 });
    const pass = readPartitions([target(broken), target(good)], 12, 0, 1 << 20);
    expect(pass.reads.map((r) => r.errorCode)).toEqual([56, 0]);
    expect(pass.reads[1]!.bytes).toBeGreaterThan(0);
    expect(pass.anyError).toBe(true);
    storage.close();
  });
});
