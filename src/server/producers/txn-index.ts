/**
 * Aborted-transaction index files, Kafka's TransactionIndex: one `<segment base offset>.txnindex` per
 * log segment, listing the transactions whose ABORT marker was written in that segment, in marker
 * order, each entry 34 bytes:
 *
 *   version int16 (0) | producerId int64 | firstOffset int64 | lastOffset int64 (the marker) |
 *   lastStableOffset int64 (the LSO once the transaction ended)
 *
 * Entries are appended as markers are written (page cache; flushed with the log). On load every index
 * of a live segment is read back — a torn last entry, or an entry at or past the log end (the log was
 * cut by recovery), is dropped — and indexes of segments that are gone are deleted. The replay after
 * the producer snapshot adds whatever the index missed (a crash between marker and index write).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readInt64, writeInt64 } from '../../protocol/records/batch-header.js';
import { listOffsetFiles, offsetFileName } from './offset-files.js';
import type { AbortedTxn } from './partition-state.js';

export const TXN_INDEX_SUFFIX = '.txnindex';
const ENTRY_SIZE = 34;

export function txnIndexFileName(segmentBase: number): string {
  return offsetFileName(segmentBase, TXN_INDEX_SUFFIX);
}

export function encodeAbortedTxn(a: AbortedTxn, lastStableOffset: number): Buffer {
  const b = Buffer.alloc(ENTRY_SIZE);
  b.writeInt16BE(0, 0);
  writeInt64(b, 2, a.producerId);
  writeInt64(b, 10, a.firstOffset);
  writeInt64(b, 18, a.lastOffset);
  writeInt64(b, 26, lastStableOffset);
  return b;
}

/** Appends one entry to the index of the segment starting at `segmentBase`. */
export function appendAbortedTxn(dir: string, segmentBase: number, a: AbortedTxn, lastStableOffset: number): void {
  fs.appendFileSync(path.join(dir, txnIndexFileName(segmentBase)), encodeAbortedTxn(a, lastStableOffset));
}

/**
 * Reads the indexes of the live segments (`segmentBases`), oldest first, keeping entries that end
 * before `logEnd`; deletes the indexes of segments that no longer exist.
 */
export function loadTxnIndexes(dir: string, segmentBases: readonly number[], logEnd: number): AbortedTxn[] {
  const live = new Set(segmentBases);
  const bases: number[] = [];
  for (const f of listOffsetFiles(dir, TXN_INDEX_SUFFIX)) {
    if (live.has(f.offset)) bases.push(f.offset);
    else fs.rmSync(path.join(dir, f.name), { force: true });
  }
  const out: AbortedTxn[] = [];
  for (const base of bases) {
    const file = path.join(dir, txnIndexFileName(base));
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      continue;
    }
    const kept: Buffer[] = [];
    for (let p = 0; p + ENTRY_SIZE <= buf.length; p += ENTRY_SIZE) {
      const a = { producerId: readInt64(buf, p + 2), firstOffset: readInt64(buf, p + 10), lastOffset: readInt64(buf, p + 18) };
      if (a.lastOffset < logEnd && a.firstOffset <= a.lastOffset) {
        out.push(a);
        kept.push(buf.subarray(p, p + ENTRY_SIZE));
      }
    }
    // Cut what recovery made stale (and a torn tail), so later appends follow valid entries only.
    if (kept.length * ENTRY_SIZE !== buf.length) fs.writeFileSync(file, Buffer.concat(kept));
  }
  out.sort((a, b) => a.lastOffset - b.lastOffset);
  return out;
}

/** Deletes the indexes of segments that no longer exist (retention, DeleteRecords). */
export function deleteOrphanTxnIndexes(dir: string, segmentBases: readonly number[]): void {
  const live = new Set(segmentBases);
  for (const f of listOffsetFiles(dir, TXN_INDEX_SUFFIX)) {
    if (!live.has(f.offset)) fs.rmSync(path.join(dir, f.name), { force: true });
  }
}
