/**
 * Producer-state snapshot files in Kafka's format (ProducerSnapshot v1, as Kafka's ProducerStateManager
 * writes them): `<20-digit offset>.snapshot` in the partition directory, the state of every producer as
 * of that offset. Recovery loads the newest snapshot at or below the log end and replays the log from
 * there, so duplicate detection and open transactions survive a restart. Aborted transactions live in
 * the per-segment `.txnindex` files (./txn-index.ts), as in Kafka.
 *
 *   version int16 (1) | crc uint32 (CRC-32C of everything after it) | entry count int32 |
 *   entries: producerId int64, epoch int16, lastSequence int32, lastOffset int64, offsetDelta int32,
 *            timestamp int64, coordinatorEpoch int32, currentTxnFirstOffset int64   (46 bytes each)
 *
 * As in Kafka only the last batch of each producer is kept (offsetDelta = its last minus first offset);
 * everything after the snapshot is replayed from the log with full detail. Files are replaced
 * atomically (temp + rename), fsynced only when `durable` (shutdown): one torn by a power loss fails
 * its CRC, and the previous one (two are kept) or a full replay takes over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '../../protocol/records/crc32c.js';
import { readInt64, writeInt64 } from '../../protocol/records/batch-header.js';
import { writeFileAtomic } from '../../storage/atomic-file.js';
import { listOffsetFiles, offsetFileName } from './offset-files.js';
import { PartitionProducerState } from './partition-state.js';

export const SNAPSHOT_SUFFIX = '.snapshot';
const VERSION = 1;
const CRC_OFFSET = 2;
const ENTRIES_OFFSET = 6;
const ENTRY_SIZE = 46;
const INT32_MAX = 0x7fffffff;
/** Snapshots kept per partition (older ones are deleted when a new one is written). */
const KEEP = 2;

export function snapshotFileName(offset: number): string {
  return offsetFileName(offset, SNAPSHOT_SUFFIX);
}

/** Snapshot offsets found in `dir`, ascending. */
export function listSnapshots(dir: string): number[] {
  return listOffsetFiles(dir, SNAPSHOT_SUFFIX).map((f) => f.offset);
}

export function encodeSnapshot(state: PartitionProducerState): Buffer {
  const entries = [...state.producers.values()];
  const buf = Buffer.alloc(ENTRIES_OFFSET + 4 + entries.length * ENTRY_SIZE);
  buf.writeInt16BE(VERSION, 0);
  buf.writeInt32BE(entries.length, ENTRIES_OFFSET);
  let p = ENTRIES_OFFSET + 4;
  for (const e of entries) {
    const last = e.batches[e.batches.length - 1];
    writeInt64(buf, p, e.producerId);
    buf.writeInt16BE(e.epoch, p + 8);
    buf.writeInt32BE(last?.lastSeq ?? -1, p + 10);
    writeInt64(buf, p + 14, last?.lastOffset ?? -1);
    buf.writeInt32BE(last === undefined ? 0 : last.lastOffset - last.firstOffset, p + 22);
    writeInt64(buf, p + 26, e.lastTimestamp);
    buf.writeInt32BE(e.coordinatorEpoch, p + 34);
    writeInt64(buf, p + 38, e.currentTxnFirstOffset);
    p += ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf.subarray(ENTRIES_OFFSET)), CRC_OFFSET);
  return buf;
}

/** Decodes a snapshot (producers and open transactions); undefined if it is not one or fails its CRC. */
export function decodeSnapshot(buf: Buffer): PartitionProducerState | undefined {
  if (buf.length < ENTRIES_OFFSET + 4 || buf.readInt16BE(0) !== VERSION) return undefined;
  if (crc32c(buf.subarray(ENTRIES_OFFSET)) !== buf.readUInt32BE(CRC_OFFSET)) return undefined;
  const count = buf.readInt32BE(ENTRIES_OFFSET);
  if (count < 0 || buf.length !== ENTRIES_OFFSET + 4 + count * ENTRY_SIZE) return undefined;
  const state = new PartitionProducerState();
  for (let i = 0, p = ENTRIES_OFFSET + 4; i < count; i++, p += ENTRY_SIZE) {
    const producerId = readInt64(buf, p);
    const lastSeq = buf.readInt32BE(p + 10);
    const lastOffset = readInt64(buf, p + 14);
    const delta = buf.readInt32BE(p + 22);
    const timestamp = readInt64(buf, p + 26);
    const txnFirst = readInt64(buf, p + 38);
    const firstSeq = lastSeq - delta < 0 ? lastSeq - delta + INT32_MAX + 1 : lastSeq - delta;
    state.producers.set(producerId, {
      producerId,
      epoch: buf.readInt16BE(p + 8),
      batches: lastOffset >= 0 ? [{ firstSeq, lastSeq, firstOffset: lastOffset - delta, lastOffset, timestamp }] : [],
      lastTimestamp: timestamp,
      coordinatorEpoch: buf.readInt32BE(p + 34),
      currentTxnFirstOffset: txnFirst,
    });
    if (txnFirst >= 0) state.ongoing.set(txnFirst, producerId);
  }
  return state;
}

/** Writes the snapshot for `offset` and deletes all but the newest KEEP. */
export function writeSnapshot(dir: string, offset: number, state: PartitionProducerState, durable = true): void {
  const file = path.join(dir, snapshotFileName(offset));
  if (durable) writeFileAtomic(file, encodeSnapshot(state));
  else {
    fs.writeFileSync(`${file}.tmp`, encodeSnapshot(state));
    fs.renameSync(`${file}.tmp`, file);
  }
  const all = listSnapshots(dir);
  for (const old of all.slice(0, Math.max(0, all.length - KEEP))) fs.rmSync(path.join(dir, snapshotFileName(old)), { force: true });
}

/**
 * The newest readable snapshot at or below `logEnd`, with its offset; snapshots above the log end
 * (the log was truncated by recovery) are deleted, as Kafka does.
 */
export function loadSnapshot(dir: string, logEnd: number): { offset: number; state: PartitionProducerState } | undefined {
  const all = listSnapshots(dir);
  for (const off of all) if (off > logEnd) fs.rmSync(path.join(dir, snapshotFileName(off)), { force: true });
  for (const off of all.filter((o) => o <= logEnd).reverse()) {
    try {
      const state = decodeSnapshot(fs.readFileSync(path.join(dir, snapshotFileName(off))));
      if (state !== undefined) return { offset: off, state };
    } catch {
      /* unreadable: try an older one */
    }
  }
  return undefined;
}
