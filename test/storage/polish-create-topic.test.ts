/**
 * Creating a topic is cheap (no fsync per partition) and stays crash-safe: the topic store is written
 * atomically, the data directory is fsynced once, and whatever a crash takes from a new partition
 * (its directory, or the contents of partition.metadata) is recreated when the store opens again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { readPartitionMetadata } from '../../src/storage/partition-metadata.js';
import { readAllBatches, tempDir } from './helpers.js';
import { makeBatch } from './make-batch.js';

const dirs: string[] = [];
const stores: Storage[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(dir: string): Storage {
  const s = openStorage({ dataDir: dir });
  stores.push(s);
  return s;
}

it('creates 50 partitions with a constant number of fsyncs', () => {
  const dir = tempDir('brook-polish-create-');
  dirs.push(dir);
  const store = open(dir);
  const fsync = vi.spyOn(fs, 'fsyncSync');
  store.createTopic('__consumer_offsets', { partitions: 50, configs: { 'cleanup.policy': 'compact' } });
  // The topic store (its file and directory) and the data directory once; nothing per partition.
  expect(fsync.mock.calls.length).toBeLessThanOrEqual(3);
  fsync.mockClear();
  store.createPartitions('__consumer_offsets', 60);
  expect(fsync.mock.calls.length).toBeLessThanOrEqual(3);
  for (let p = 0; p < 60; p++) {
    expect(readPartitionMetadata(path.join(dir, `__consumer_offsets-${p}`))).toBe(store.topic('__consumer_offsets')!.topicId);
  }
});

it('a crash right after creating a topic loses nothing the reopened store needs', () => {
  const dir = tempDir('brook-polish-create-');
  const crashed = tempDir('brook-polish-crashed-');
  dirs.push(dir, crashed);
  const store = open(dir);
  const { topicId } = store.createTopic('fresh', { partitions: 6 });
  // The files as a crash could leave them (the store is still open: no clean-shutdown marker).
  fs.cpSync(dir, crashed, { recursive: true });
  const part = (p: number): string => path.join(crashed, `fresh-${p}`);
  fs.writeFileSync(path.join(part(0), 'partition.metadata'), ''); // renamed, contents never written
  fs.writeFileSync(path.join(part(1), 'partition.metadata'), Buffer.alloc(44)); // size written, data not
  fs.rmSync(part(2), { recursive: true }); // the directory entry never reached the disk
  fs.renameSync(path.join(part(3), 'partition.metadata'), path.join(part(3), 'partition.metadata.tmp')); // before the rename

  const reopened = open(crashed);
  expect(reopened.recoveredCleanly).toBe(false);
  expect(reopened.topic('fresh')).toMatchObject({ topicId, partitions: 6 });
  for (let p = 0; p < 6; p++) {
    expect(readPartitionMetadata(part(p))).toBe(topicId);
    expect(fs.existsSync(path.join(part(p), 'partition.metadata.tmp'))).toBe(false);
    const log = reopened.partition('fresh', p)!;
    expect(log.logEndOffset).toBe(0);
    const value = Buffer.from(`partition ${p}`);
    expect(log.append(makeBatch([value])).errorCode).toBe(0);
    expect(readAllBatches(log)).toHaveLength(1);
  }
});

it('a partition.metadata naming another topic id is still refused', () => {
  const dir = tempDir('brook-polish-create-');
  dirs.push(dir);
  const store = open(dir);
  store.createTopic('owned', { partitions: 1 });
  store.close();
  stores.length = 0;
  fs.writeFileSync(path.join(dir, 'owned-0', 'partition.metadata'), 'version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAQ\n');
  expect(() => openStorage({ dataDir: dir })).toThrow(/belongs to topic id/);
});
