/**
 * Producer-state snapshot files, named as Kafka names them: `<20-digit offset>.snapshot` in the
 * partition directory, holding the state of every producer as of that offset (the log end when it was
 * taken). Recovery loads the newest snapshot at or below the log end and replays the log from there,
 * so duplicate detection and open/aborted transactions survive a restart.
 *
 * Format (Brook's; Kafka's ProducerSnapshot keeps only the last batch per producer and puts aborted
 * transactions in per-segment .txnindex files, Brook keeps both here):
 *   magic "BRPS" | version int16 (1) | crc32c uint32 of the body | body = UTF-8 JSON
 *   { producers: [[pid, epoch, lastTimestamp, coordinatorEpoch, txnFirstOffset,
 *                  [[firstSeq, lastSeq, firstOffset, lastOffset, timestamp], …]], …],
 *     aborted: [[pid, firstOffset, lastOffset], …] }
 * Files are written atomically (temp + rename; fsynced only when `durable`, as at shutdown: a snapshot
 * is an optimisation, and one torn by a power loss fails its CRC and the previous one is used).
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '../../protocol/records/crc32c.js';
import { writeFileAtomic } from '../../storage/atomic-file.js';
import { PartitionProducerState, type BatchMetadata } from './partition-state.js';

export const SNAPSHOT_SUFFIX = '.snapshot';
const MAGIC = Buffer.from('BRPS');
const VERSION = 1;
/** Snapshots kept per partition (older ones are deleted when a new one is written). */
const KEEP = 2;

type SnapBatch = [number, number, number, number, number];
type SnapProducer = [number, number, number, number, number, SnapBatch[]];
interface SnapBody {
  producers: SnapProducer[];
  aborted: Array<[number, number, number]>;
}

export function snapshotFileName(offset: number): string {
  return String(offset).padStart(20, '0') + SNAPSHOT_SUFFIX;
}

/** Snapshot offsets found in `dir`, ascending. */
export function listSnapshots(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d{20}\.snapshot$/.test(n))
    .map((n) => Number(n.slice(0, 20)))
    .sort((a, b) => a - b);
}

export function encodeSnapshot(state: PartitionProducerState): Buffer {
  const body: SnapBody = {
    producers: [...state.producers.values()].map((e) => [
      e.producerId,
      e.epoch,
      e.lastTimestamp,
      e.coordinatorEpoch,
      e.currentTxnFirstOffset,
      e.batches.map((b): SnapBatch => [b.firstSeq, b.lastSeq, b.firstOffset, b.lastOffset, b.timestamp]),
    ]),
    aborted: state.aborted.map((a) => [a.producerId, a.firstOffset, a.lastOffset]),
  };
  const json = Buffer.from(JSON.stringify(body));
  const head = Buffer.alloc(10);
  MAGIC.copy(head, 0);
  head.writeInt16BE(VERSION, 4);
  head.writeUInt32BE(crc32c(json), 6);
  return Buffer.concat([head, json]);
}

/** Decodes a snapshot; undefined if it is not one or fails its CRC. */
export function decodeSnapshot(buf: Buffer): PartitionProducerState | undefined {
  if (buf.length < 10 || !buf.subarray(0, 4).equals(MAGIC) || buf.readInt16BE(4) !== VERSION) return undefined;
  const json = buf.subarray(10);
  if (crc32c(json) !== buf.readUInt32BE(6)) return undefined;
  let body: SnapBody;
  try {
    body = JSON.parse(json.toString('utf8')) as SnapBody;
  } catch {
    return undefined;
  }
  const state = new PartitionProducerState();
  for (const [producerId, epoch, lastTimestamp, coordinatorEpoch, txnFirst, batches] of body.producers) {
    state.producers.set(producerId, {
      producerId,
      epoch,
      lastTimestamp,
      coordinatorEpoch,
      currentTxnFirstOffset: txnFirst,
      batches: batches.map(([firstSeq, lastSeq, firstOffset, lastOffset, timestamp]): BatchMetadata => ({ firstSeq, lastSeq, firstOffset, lastOffset, timestamp })),
    });
    if (txnFirst >= 0) state.ongoing.set(txnFirst, producerId);
  }
  state.aborted = body.aborted.map(([producerId, firstOffset, lastOffset]) => ({ producerId, firstOffset, lastOffset }));
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
