/**
 * Write batching (src/storage/write-batch.ts): appends inside a batch reach the segment file in one
 * writev when it ends; reads and syncs inside the batch see every append; a failed deferred write is
 * reported by endWriteBatch and takes the partition offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { beginWriteBatch, endWriteBatch } from '../../src/storage/write-batch.js';
import { readAllBatches, tempDir } from './helpers.js';
import { makeSizedBatch } from './make-batch.js';

let dir: string;
let store: Storage;
const logFile = (): string => path.join(dir, 't-0', '00000000000000000000.log');

beforeEach(() => {
  dir = tempDir();
  store = openStorage({ dataDir: dir });
  store.createTopic('t', { partitions: 1 });
});
afterEach(() => {
  vi.restoreAllMocks();
  try {
    store.close();
  } catch {
    /* a test may have broken the files on purpose */
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('write batches', () => {
  it('queues appends and writes them with one writev when the batch ends', () => {
    const log = store.partition('t', 0)!;
    const writev = vi.spyOn(fs, 'writevSync');
    const batches = [1, 2, 3, 4].map((seed) => makeSizedBatch(4000, 5, seed));
    beginWriteBatch();
    const results = batches.map((b) => log.append(b));
    expect(results.map((r) => (r.ok ? r.baseOffset : -1))).toEqual([0, 5, 10, 15]);
    expect(fs.statSync(logFile()).size).toBe(0);
    expect(endWriteBatch()).toBe(true);
    const total = batches.reduce((n, b) => n + b.length, 0);
    expect(fs.statSync(logFile()).size).toBe(total);
    expect(writev).toHaveBeenCalledTimes(1);
    expect(Buffer.concat(readAllBatches(log))).toEqual(Buffer.concat(batches));
  });

  it('lets a read inside the batch see every append', () => {
    const log = store.partition('t', 0)!;
    beginWriteBatch();
    log.append(makeSizedBatch(3000, 2, 1));
    log.append(makeSizedBatch(3000, 2, 2));
    const r = log.read(2, 1 << 20);
    expect(r.errorCode).toBe(0);
    expect(r.nextOffset).toBe(4);
    r.release();
    log.append(makeSizedBatch(3000, 2, 3));
    expect(endWriteBatch()).toBe(true);
    expect(readAllBatches(log).length).toBe(3);
    expect(fs.statSync(logFile()).size).toBe(readAllBatches(log).reduce((n, b) => n + b.length, 0));
  });

  it('writes at once outside a batch', () => {
    const log = store.partition('t', 0)!;
    const b = makeSizedBatch(2000, 1, 1);
    log.append(b);
    expect(fs.statSync(logFile()).size).toBe(b.length);
  });

  it('reports a failed deferred write and refuses later appends with KAFKA_STORAGE_ERROR', () => {
    const log = store.partition('t', 0)!;
    log.append(makeSizedBatch(1000, 1, 1));
    const before = fs.statSync(logFile()).size;
    vi.spyOn(fs, 'writevSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    beginWriteBatch();
    expect(log.append(makeSizedBatch(1000, 1, 2)).ok).toBe(true);
    expect(endWriteBatch()).toBe(false);
    expect(fs.statSync(logFile()).size).toBe(before);
    const after = log.append(makeSizedBatch(1000, 1, 3));
    expect(after.ok).toBe(false);
    expect(after.errorCode).toBe(56); // KAFKA_STORAGE_ERROR
  });

  it('nests: only the outermost end writes', () => {
    const log = store.partition('t', 0)!;
    beginWriteBatch();
    beginWriteBatch();
    log.append(makeSizedBatch(1000, 1, 1));
    expect(endWriteBatch()).toBe(true);
    expect(fs.statSync(logFile()).size).toBe(0);
    expect(endWriteBatch()).toBe(true);
    expect(fs.statSync(logFile()).size).toBeGreaterThan(0);
  });
});
