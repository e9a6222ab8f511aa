/**
 * Disk-specific behaviour: Kafka's file layout, segment rolls, index files (preallocation, trimming,
 * rebuild), recovery of torn tails, checkpoints, flush policy, and the topic store's persistence.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import type { DiskPartitionLog } from '../../src/storage/disk-log.js';
import { readAllBatches, tempDir } from './helpers.js';
import { makeSizedBatch } from './make-batch.js';

let dir: string;
const open = (extra: Parameters<typeof openStorage>[0] = {}): Storage => openStorage({ dataDir: dir, tailCacheBytes: 0, ...extra });
const files = (p: string): string[] => fs.readdirSync(path.join(dir, p)).sort();
const size = (p: string): number => fs.statSync(path.join(dir, p)).size;
const disk = (s: Storage, t = 't', p = 0): DiskPartitionLog => s.partition(t, p) as DiskPartitionLog;
/** Simulates a process crash: the store is dropped without close(), so no clean-shutdown marker. */
const crash = (s: Storage): void => {
  (s as unknown as { timer?: NodeJS.Timeout }).timer?.unref();
  const t = (s as unknown as { timer?: NodeJS.Timeout }).timer;
  if (t) clearInterval(t);
};

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('disk layout and segments', () => {
  it("uses Kafka's directory and file names", () => {
    const s = open({ nodeId: 3, clusterId: 'abcdefghijklmnopqrstuv' });
    const info = s.createTopic('orders', { partitions: 2 });
    s.partition('orders', 1)!.append(makeSizedBatch(500, 1, 1));
    s.close();
    expect(fs.readdirSync(dir).sort()).toEqual([
      '.kafka_cleanshutdown',
      'brook-topics.json',
      'log-start-offset-checkpoint',
      'meta.properties',
      'orders-0',
      'orders-1',
      'recovery-point-offset-checkpoint',
    ]);
    expect(files('orders-1')).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'partition.metadata',
    ]);
    expect(fs.readFileSync(path.join(dir, 'orders-1', 'partition.metadata'), 'utf8')).toBe(`version: 0\ntopic_id: ${info.topicId}\n`);
    expect(fs.readFileSync(path.join(dir, 'meta.properties'), 'utf8')).toMatch(/cluster\.id=abcdefghijklmnopqrstuv\nnode\.id=3\nversion=1\n/);
    expect(fs.readFileSync(path.join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n2\norders 0 0\norders 1 1\n');
    const s2 = open({ nodeId: 9 });
    expect(s2.nodeId).toBe(3); // an existing meta.properties wins
    expect(s2.recoveredCleanly).toBe(true);
    s2.close();
  });

  it('refuses a data directory locked by another live process, and takes over a stale lock', () => {
    fs.writeFileSync(path.join(dir, '.lock'), `${process.ppid}\n`);
    expect(() => open()).toThrow(/in use by process/);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(path.join(dir, '.lock'), `${dead}\n`);
    const s = open();
    expect(fs.readFileSync(path.join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`);
    s.close();
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  it('rolls on segment.bytes, preallocates the active indexes and trims rolled ones', () => {
    const s = open();
    s.createTopic('t', { partitions: 1, configs: { 'segment.bytes': '10000', 'segment.index.bytes': '1000', 'index.interval.bytes': '1000' } });
    const log = disk(s);
    for (let i = 0; i < 30; i++) log.append(makeSizedBatch(1200, 2, i + 1));
    const bases = log.segmentBaseOffsets();
    expect(bases.length).toBeGreaterThan(3);
    expect(bases[0]).toBe(0);
    for (const b of bases.slice(0, -1)) {
      const name = String(b).padStart(20, '0');
      expect(size(`t-0/${name}.log`)).toBeLessThanOrEqual(10000);
      expect(size(`t-0/${name}.index`) % 8).toBe(0);
      expect(size(`t-0/${name}.index`)).toBeGreaterThan(0);
      expect(size(`t-0/${name}.index`)).toBeLessThan(1000);
    }
    const active = String(bases.at(-1)).padStart(20, '0');
    expect(size(`t-0/${active}.index`)).toBe(1000);
    expect(size(`t-0/${active}.timeindex`)).toBe(996);
    // Reads cross segment boundaries transparently.
    expect(readAllBatches(log, 0, 3000).length).toBe(30);
    s.close();
    expect(size(`t-0/${active}.index`)).toBeLessThan(1000); // trimmed on close
  });

  it('flushes rolled segments in the background, then advances the recovery point and closes their index files', async () => {
    const s = open();
    s.createTopic('t', { partitions: 1, configs: { 'segment.bytes': '10000', 'index.interval.bytes': '500' } });
    const log = disk(s);
    for (let i = 0; i < 30; i++) log.append(makeSizedBatch(1200, 2, i + 1));
    const bases = log.segmentBaseOffsets();
    expect(log.recoveryPoint).toBe(0);
    const fdCount = (): number => (fs.existsSync('/proc/self/fd') ? fs.readdirSync('/proc/self/fd').length : 0); // Linux only
    const fdsBefore = fdCount();
    for (let waited = 0; log.recoveryPoint !== bases.at(-1) && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 20));
    expect(log.recoveryPoint).toBe(bases.at(-1));
    if (fdsBefore > 0) expect(fdCount()).toBe(fdsBefore - 2 * (bases.length - 1));
    const batches = readAllBatches(log, 0, 700);
    expect(batches.length).toBe(30);
    expect(log.offsetForTimestamp(0)?.offset).toBe(0);
    s.close();
    const s2 = open();
    expect(readAllBatches(s2.partition('t', 0)!, 0, 700)).toEqual(batches);
    s2.close();
  });

  it('keeps only recently used inactive indexes in memory and reloads others from their files', () => {
    const s = open();
    s.createTopic('t', { partitions: 1, configs: { 'segment.bytes': '4000', 'index.interval.bytes': '300' } });
    for (let i = 0; i < 150; i++) s.partition('t', 0)!.append(makeSizedBatch(400 + ((i * 37) % 300), 2, i + 1));
    const batches = readAllBatches(s.partition('t', 0)!, 0, 900);
    s.close();
    const s2 = open();
    const log = disk(s2);
    type Seg = { indexesLoaded: boolean };
    const segs = (log as unknown as { segments: Seg[] }).segments;
    expect(segs.length).toBeGreaterThan(20);
    expect(segs.slice(0, -1).every((x) => !x.indexesLoaded)).toBe(true); // nothing loaded at open
    // Random-access reads (each a fresh lookup) across all segments: answers stay exact.
    const offsets = batches.map((b) => Number(b.readBigInt64BE(0)));
    for (let k = 0; k < 200; k++) {
      const i = (k * 7919) % batches.length;
      const r = log.read(offsets[i]! + 1, 1);
      expect(Buffer.concat(r.chunks).equals(batches[i]!)).toBe(true);
      expect(segs.filter((x) => x.indexesLoaded).length).toBeLessThanOrEqual(9); // 8 inactive + the active one
    }
    expect(log.offsetForTimestamp(0)?.offset).toBe(0);
    s2.close();
  });

  it('rolls on segment.ms and on a full index', () => {
    let now = 1_000_000;
    const s = open({ now: () => now });
    s.createTopic('a', { partitions: 1, configs: { 'segment.ms': '60000' } });
    s.createTopic('b', { partitions: 1, configs: { 'segment.index.bytes': '24', 'index.interval.bytes': '0' } });
    const a = disk(s, 'a');
    a.append(makeSizedBatch(300, 1, 1));
    now += 59_000;
    a.append(makeSizedBatch(300, 1, 2));
    expect(a.segmentBaseOffsets()).toEqual([0]);
    now += 2_000;
    a.append(makeSizedBatch(300, 1, 3));
    expect(a.segmentBaseOffsets()).toEqual([0, 2]);
    const b = disk(s, 'b');
    for (let i = 0; i < 10; i++) b.append(makeSizedBatch(100, 1, i));
    // 3 index entries per segment: batches 2..4 get entries, the 5th append rolls.
    expect(b.segmentBaseOffsets()).toEqual([0, 4, 8]);
    expect(readAllBatches(b).length).toBe(10);
    s.close();
  });

  it('writes all batches of one append in a single write, and fsyncs per append with flush.messages=1', () => {
    const s = open();
    s.createTopic('t', { partitions: 1 });
    s.createTopic('sync', { partitions: 1, configs: { 'flush.messages': '1' } });
    const writes = vi.spyOn(fs, 'writeSync');
    const syncs = vi.spyOn(fs, 'fdatasyncSync');
    disk(s).append(Buffer.concat([makeSizedBatch(3000, 2, 1), makeSizedBatch(9000, 2, 2), makeSizedBatch(500, 1, 3)]));
    const logWrites = writes.mock.calls.filter((c) => (c[1] as unknown as Uint8Array).byteLength > 10_000);
    expect(logWrites.length).toBe(1);
    expect(syncs).not.toHaveBeenCalled();
    disk(s, 'sync').append(makeSizedBatch(300, 1, 1));
    disk(s, 'sync').append(makeSizedBatch(300, 1, 2));
    expect(syncs.mock.calls.length).toBe(2); // one fdatasync per append: the log file only
    expect(disk(s, 'sync').recoveryPoint).toBe(2);
    s.close();
  });
});

describe('flush.ms', () => {
  it('fsyncs on the store timer once flush.ms has passed', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let now = 5_000_000;
      const s = open({ now: () => now });
      s.createTopic('t', { partitions: 1, configs: { 'flush.ms': '1500' } });
      const syncs = vi.spyOn(fs, 'fdatasyncSync');
      disk(s).append(makeSizedBatch(300, 3, 1));
      now += 1000;
      vi.advanceTimersByTime(1000);
      expect(syncs).not.toHaveBeenCalled();
      expect(disk(s).recoveryPoint).toBe(0);
      now += 1000;
      vi.advanceTimersByTime(1000);
      expect(syncs).toHaveBeenCalled();
      expect(disk(s).recoveryPoint).toBe(3);
      s.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('recovery', () => {
  function fill(s: Storage, n: number, configs: Record<string, string> = {}): Buffer[] {
    s.createTopic('t', { partitions: 1, configs: { 'segment.bytes': '20000', 'index.interval.bytes': '512', ...configs } });
    for (let i = 0; i < n; i++) s.partition('t', 0)!.append(makeSizedBatch(300 + ((i * 131) % 1500), 1 + (i % 3), i + 1));
    return readAllBatches(s.partition('t', 0)!);
  }

  it('rebuilds indexes after an unclean stop, byte-identical to those written while appending', () => {
    const s = open();
    const batches = fill(s, 80);
    s.close();
    const logDir = path.join(dir, 't-0');
    const indexFiles = fs.readdirSync(logDir).filter((f) => f.endsWith('index'));
    const original = new Map(indexFiles.map((f) => [f, fs.readFileSync(path.join(logDir, f))]));
    // Unclean: no marker, no recovery point; also delete one index and scribble over another.
    fs.rmSync(path.join(dir, '.kafka_cleanshutdown'));
    fs.rmSync(path.join(dir, 'recovery-point-offset-checkpoint'));
    fs.rmSync(path.join(logDir, indexFiles[0]!));
    fs.writeFileSync(path.join(logDir, indexFiles[1]!), Buffer.alloc(64, 0xab));
    const s2 = open();
    expect(s2.recoveredCleanly).toBe(false);
    const log = s2.partition('t', 0)!;
    expect(readAllBatches(log)).toEqual(batches);
    s2.close();
    for (const [f, bytes] of original) expect(fs.readFileSync(path.join(logDir, f)).equals(bytes)).toBe(true);
  });

  it('rebuilds a missing index even after a clean stop', () => {
    const s = open();
    const batches = fill(s, 40);
    s.close();
    const logDir = path.join(dir, 't-0');
    const idx = fs.readdirSync(logDir).filter((f) => f.endsWith('.index'));
    const before = fs.readFileSync(path.join(logDir, idx[0]!));
    fs.rmSync(path.join(logDir, idx[0]!));
    const s2 = open();
    expect(readAllBatches(s2.partition('t', 0)!, 0, 700)).toEqual(batches);
    s2.close();
    expect(fs.readFileSync(path.join(logDir, idx[0]!)).equals(before)).toBe(true);
  });

  it('cuts garbage and torn batches off the active segment and keeps appending', () => {
    const s = open();
    const batches = fill(s, 30);
    const log = disk(s);
    const leo = log.logEndOffset;
    const activeBase = log.segmentBaseOffsets().at(-1)!;
    crash(s);
    const active = path.join(dir, 't-0', String(activeBase).padStart(20, '0') + '.log');
    const cleanSize = fs.statSync(active).size;
    fs.appendFileSync(active, Buffer.from('garbage that is not a record batch'));
    const s2 = open();
    expect(s2.recoveredCleanly).toBe(false);
    expect(disk(s2).truncatedOnOpen).toBe(34);
    expect(fs.statSync(active).size).toBe(cleanSize);
    expect(s2.partition('t', 0)!.logEndOffset).toBe(leo);
    expect(readAllBatches(s2.partition('t', 0)!)).toEqual(batches);
    // Now tear the last batch in half.
    crash(s2);
    fs.truncateSync(active, cleanSize - 10);
    const s3 = open();
    const log3 = s3.partition('t', 0)!;
    const kept = readAllBatches(log3);
    expect(kept).toEqual(batches.slice(0, -1));
    expect(log3.logEndOffset).toBe(leo - (batches.at(-1)!.readInt32BE(23) + 1));
    expect(log3.append(makeSizedBatch(400, 2, 1000))).toMatchObject({ ok: true, baseOffset: log3.logEndOffset - 2 });
    expect(readAllBatches(log3).length).toBe(batches.length);
    s3.close();
  });

  it('drops segments that follow a corrupt one', () => {
    const s = open();
    const batches = fill(s, 60);
    const bases = disk(s).segmentBaseOffsets();
    expect(bases.length).toBeGreaterThanOrEqual(4);
    crash(s);
    fs.rmSync(path.join(dir, 'recovery-point-offset-checkpoint'));
    const second = path.join(dir, 't-0', String(bases[1]).padStart(20, '0') + '.log');
    const fd = fs.openSync(second, 'r+');
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, 200); // inside the first batch of the second segment
    fs.closeSync(fd);
    const s2 = open();
    const log = disk(s2);
    expect(log.segmentBaseOffsets()).toEqual([0, bases[1]]);
    expect(log.logEndOffset).toBe(bases[1]);
    expect(readAllBatches(log)).toEqual(batches.filter((b) => Number(b.readBigInt64BE(0)) < bases[1]!));
    expect(files('t-0').filter((f) => f.endsWith('.log')).length).toBe(2);
    s2.close();
  });

  it('cuts the log just before any corrupted batch, wherever it is (10 random flips)', () => {
    const s = open();
    const batches = fill(s, 70);
    s.close();
    const logDir = path.join(dir, 't-0');
    const segs = fs.readdirSync(logDir).filter((f) => f.endsWith('.log')).sort();
    // Positions of every batch: [segment file, byte position, index in `batches`].
    const where: Array<[string, number, number]> = [];
    let k = 0;
    for (const seg of segs) {
      const bytes = fs.readFileSync(path.join(logDir, seg));
      for (let p = 0; p < bytes.length; p += 12 + bytes.readInt32BE(p + 8)) where.push([seg, p, k++]);
    }
    expect(where.length).toBe(batches.length);
    const pristine = new Map(segs.map((f) => [f, fs.readFileSync(path.join(logDir, f))]));
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 10; round++) {
      for (const [f, bytes] of pristine) fs.writeFileSync(path.join(logDir, f), bytes);
      const [seg, pos, index] = where[rnd(where.length)]!;
      const size = batches[index]!.length;
      const at = pos + 16 + rnd(size - 16); // magic, CRC or CRC-covered bytes
      const fd = fs.openSync(path.join(logDir, seg), 'r+');
      const one = Buffer.alloc(1);
      fs.readSync(fd, one, 0, 1, at);
      one[0] ^= 1 << rnd(8);
      fs.writeSync(fd, one, 0, 1, at);
      fs.closeSync(fd);
      fs.rmSync(path.join(dir, '.kafka_cleanshutdown'), { force: true });
      fs.rmSync(path.join(dir, 'recovery-point-offset-checkpoint'), { force: true });
      const s2 = open();
      expect(readAllBatches(s2.partition('t', 0)!)).toEqual(batches.slice(0, index));
      crash(s2);
      // Put back the files recovery removed (later segments) for the next round.
      for (const f of pristine.keys()) if (!fs.existsSync(path.join(logDir, f))) fs.writeFileSync(path.join(logDir, f), Buffer.alloc(0));
    }
  });

  it('trusts segments below the recovery point and scans the rest', () => {
    const s = open();
    fill(s, 60);
    s.flush(); // recovery point = log end
    const log = disk(s);
    const leo = log.logEndOffset;
    log.append(makeSizedBatch(500, 1, 77));
    crash(s);
    expect(fs.readFileSync(path.join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toContain(`t 0 ${leo}\n`);
    const s2 = open();
    expect(s2.partition('t', 0)!.logEndOffset).toBe(leo + 1);
    s2.close();
  });

  it('persists the log start offset across clean and unclean restarts', () => {
    const s = open();
    fill(s, 60);
    expect(s.partition('t', 0)!.deleteRecordsBefore(50).errorCode).toBe(0);
    const segsBefore = disk(s).segmentBaseOffsets();
    expect(segsBefore[0]).toBeGreaterThan(0); // whole segments below 50 were deleted
    crash(s);
    const s2 = open();
    expect(s2.partition('t', 0)!.logStartOffset).toBe(50);
    expect(s2.partition('t', 0)!.read(49, 100).errorCode).toBe(1);
    s2.close();
    const s3 = open();
    expect(s3.partition('t', 0)!.earliestOffset()).toBe(50);
    s3.close();
  });
});

describe('topic store', () => {
  it('persists topics, ids, partition counts and configs atomically', () => {
    const s = open();
    const a = s.createTopic('a', { partitions: 3, configs: { 'cleanup.policy': 'compact' } });
    s.createTopic('b', { partitions: 1 });
    s.createPartitions('b', 4);
    s.alterTopicConfigs('a', { 'retention.ms': '1000', 'cleanup.policy': null });
    s.partition('b', 3)!.append(makeSizedBatch(100, 1, 1));
    s.close();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const s2 = open();
    expect(s2.topic('a')).toEqual({ name: 'a', topicId: a.topicId, partitions: 3, configs: { 'retention.ms': '1000' } });
    expect(s2.topicById(a.topicId)?.name).toBe('a');
    expect(s2.topic('b')?.partitions).toBe(4);
    expect(s2.topicConfig('a')?.retentionMs).toBe(1000);
    expect(s2.topicConfig('a')?.cleanupPolicy).toEqual(['delete']);
    expect(s2.partition('b', 3)!.logEndOffset).toBe(1);
    s2.deleteTopic('b');
    expect(fs.existsSync(path.join(dir, 'b-0'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('b-'))).toEqual([]);
    s2.close();
    const s3 = open();
    expect(s3.listTopics().map((t) => t.name)).toEqual(['a']);
    expect(s3.partition('b', 0)).toBeUndefined();
    s3.close();
  });

  it('recreating a topic after an interrupted delete starts from an empty log', () => {
    const s = open();
    s.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 5; i++) s.partition('t', 0)!.append(makeSizedBatch(200, 2, i + 1));
    s.partition('t', 0)!.deleteRecordsBefore(6);
    s.close();
    // A delete that persisted the metadata but crashed before removing the directory.
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'brook-topics.json'), 'utf8')) as { topics: unknown[] };
    doc.topics = [];
    fs.writeFileSync(path.join(dir, 'brook-topics.json'), JSON.stringify(doc));
    fs.rmSync(path.join(dir, '.kafka_cleanshutdown'));
    const s2 = open();
    expect(s2.topic('t')).toBeUndefined();
    s2.createTopic('t', { partitions: 1 });
    const log = s2.partition('t', 0)!;
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0, 0]);
    expect(log.append(makeSizedBatch(200, 1, 9))).toMatchObject({ ok: true, baseOffset: 0 });
    s2.close();
  });

  it('reports Kafka error codes for bad admin requests', () => {
    const s = openStorage({ memory: true });
    s.createTopic('t', { partitions: 1 });
    const code = (fn: () => unknown): number | undefined => {
      try {
        fn();
        return undefined;
      } catch (e) {
        return (e as { errorCode?: number }).errorCode;
      }
    };
    expect(code(() => s.createTopic('t', { partitions: 1 }))).toBe(36); // TOPIC_ALREADY_EXISTS
    expect(code(() => s.createTopic('bad name', { partitions: 1 }))).toBe(17); // INVALID_TOPIC_EXCEPTION
    expect(code(() => s.createTopic('..', { partitions: 1 }))).toBe(17);
    s.createTopic('a.b', { partitions: 1 });
    expect(code(() => s.createTopic('a_b', { partitions: 1 }))).toBe(17); // collides with a.b
    expect(code(() => s.createTopic('x'.repeat(250), { partitions: 1 }))).toBe(17);
    expect(code(() => s.createTopic('z', { partitions: 0 }))).toBe(37); // INVALID_PARTITIONS
    expect(code(() => s.createTopic('z', { partitions: 1, configs: { 'segment.bytes': 'lots' } }))).toBe(40); // INVALID_CONFIG
    expect(code(() => s.createTopic('z', { partitions: 1, configs: { 'message.timestamp.type': 'Now' } }))).toBe(40);
    expect(code(() => s.createPartitions('t', 1))).toBe(37);
    expect(code(() => s.deleteTopic('nope'))).toBe(3); // UNKNOWN_TOPIC_OR_PARTITION
    expect(code(() => s.alterTopicConfigs('t', { 'max.message.bytes': '-4' }))).toBe(40);
    expect(s.topic('z')).toBeUndefined();
    s.close();
  });
});
