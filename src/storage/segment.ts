/**
 * One log segment, Kafka's layout: in the partition directory,
 *   <base>.log        record batches (v2, offsets assigned) back to back, exactly as produced: no
 *                     framing of our own, so the file is byte-compatible with Kafka's segment files;
 *   <base>.index      sparse offset index (see index-file.ts);
 *   <base>.timeindex  time index (see index-file.ts);
 * where <base> is the segment's first offset, zero-padded to 20 digits (00000000000000000000.log).
 *
 * Appends are one positional `writeSync` of the whole request, or, inside a write batch
 * (./write-batch.ts), queued and written with the segment's other queued appends in one `writev`;
 * reads, scans and syncs write the queue first. Reads are positional `readSync` into pooled buffers.
 * The file size is the append position; anything past the last valid batch after a
 * crash (a torn write) is cut off by `recover`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  batchBaseOffset,
  batchLastOffsetDelta,
  batchMaxTimestamp,
  batchSize,
  BATCH_LENGTH_OFFSET,
  LOG_OVERHEAD,
  RECORD_BATCH_HEADER_SIZE,
} from '../protocol/records/batch-header.js';
import { readBufferPool, type PooledRead } from './buffer-pool.js';
import { OffsetIndex, TimeIndex } from './index-file.js';
import { firstRecordAtOrAfter, recordWithMaxTimestamp, type RecordHit } from './record-scan.js';
import { scanBatches, type BatchVisitor, type ScanResult } from './segment-scan.js';
import type { LogConfig } from './types.js';
import { noteDeferredWriteFailure, registerPendingWriter, writeBatchOpen, type PendingWriter } from './write-batch.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(20, '0') + suffix;
}

const INT32_MAX = 2147483647;
const PAGE_SIZE = 4096;
/** Reads at least this large are page-aligned in the file (see readAt). */
const ALIGNED_READ_MIN = 64 * 1024;
export interface SegmentRead {
  /** Whole batches (a view into a pooled buffer). */
  readonly buf: Buffer;
  /** Offset after the last batch returned. */
  readonly nextOffset: number;
  /** Gives the buffer back to the read pool (see buffer-pool.ts). */
  readonly release: () => void;
}

export class LogSegment implements PendingWriter {
  /** Bytes in the .log file, queued writes included (the next append position). */
  size: number;
  /** Offset after the last batch (baseOffset when empty). */
  nextOffset: number;
  maxTimestampSoFar = -1;
  /** Last offset of the batch that holds maxTimestampSoFar (Kafka's shallow offset). */
  offsetOfMaxTimestampSoFar = -1;
  /** When the segment got its first batch (segment.ms). */
  createdAt: number;
  private bytesSinceLastIndexEntry = 0;
  /** Where the previous read ended: sequential consumers skip the index lookup. */
  private hintOffset = -1;
  private hintPosition = -1;
  /** No longer active: final index entries written, files trimmed. */
  private retired = false;
  private fd: number;
  /** Appends queued in the open write batch, to be written at `written`. */
  private queued: Buffer[] = [];
  /** Bytes actually written to the file (size minus the queue). */
  private written: number;
  /** A queued write failed: the file is behind `size`; refuse appends until restart recovers it. */
  private writeFailed = false;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private config: LogConfig,
    fd: number,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    now: number,
  ) {
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
    this.written = this.size;
    this.nextOffset = baseOffset;
    this.createdAt = now;
  }

  get logPath(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset, LOG_SUFFIX));
  }

  get fileDescriptor(): number {
    return this.fd;
  }

  /** A new, empty segment (any files of that name are truncated); indexes preallocated. */
  static create(dir: string, baseOffset: number, config: LogConfig, now: number): LogSegment {
    const fd = fs.openSync(path.join(dir, segmentFileName(baseOffset, LOG_SUFFIX)), 'w+');
    const oi = new OffsetIndex(path.join(dir, segmentFileName(baseOffset, INDEX_SUFFIX)), baseOffset, config.segmentIndexBytes, true);
    const ti = new TimeIndex(path.join(dir, segmentFileName(baseOffset, TIME_INDEX_SUFFIX)), baseOffset, config.segmentIndexBytes, true);
    oi.preallocate();
    ti.preallocate();
    return new LogSegment(dir, baseOffset, config, fd, oi, ti, now);
  }

  /**
   * Opens an existing segment. With `trustIndexes` the index files are loaded and only the bytes
   * after the last index entry are scanned; otherwise (or if the indexes fail their sanity checks)
   * the whole segment is recovered. Returns the segment and the bytes cut off by recovery.
   */
  static open(dir: string, baseOffset: number, config: LogConfig, trustIndexes: boolean): { segment: LogSegment; truncated: number } {
    const logPath = path.join(dir, segmentFileName(baseOffset, LOG_SUFFIX));
    // A missing index file means the index must be rebuilt, never that the segment has no entries.
    const indexesPresent =
      fs.existsSync(path.join(dir, segmentFileName(baseOffset, INDEX_SUFFIX))) &&
      fs.existsSync(path.join(dir, segmentFileName(baseOffset, TIME_INDEX_SUFFIX)));
    const fd = fs.openSync(logPath, 'r+');
    const mtime = fs.fstatSync(fd).mtimeMs;
    const oi = new OffsetIndex(path.join(dir, segmentFileName(baseOffset, INDEX_SUFFIX)), baseOffset, config.segmentIndexBytes, false);
    const ti = new TimeIndex(path.join(dir, segmentFileName(baseOffset, TIME_INDEX_SUFFIX)), baseOffset, config.segmentIndexBytes, false);
    const seg = new LogSegment(dir, baseOffset, config, fd, oi, ti, mtime);
    if (trustIndexes && indexesPresent && seg.loadIndexes()) return { segment: seg, truncated: 0 };
    return { segment: seg, truncated: seg.recover() };
  }

  setConfig(config: LogConfig): void {
    this.config = config;
  }

  /** Loads trusted indexes and scans only the tail after the last offset-index entry. False: recover instead. */
  private loadIndexes(): boolean {
    if (!this.offsetIndex.load() || !this.timeIndex.load()) return false;
    const last = this.offsetIndex.lastEntry();
    if (last.position > this.size || (this.offsetIndex.entries > 0 && last.position + RECORD_BATCH_HEADER_SIZE > this.size)) return false;
    const lastTime = this.timeIndex.lastEntry();
    if (lastTime !== undefined) {
      if (lastTime.offset < this.baseOffset) return false;
      this.maxTimestampSoFar = lastTime.timestamp;
      this.offsetOfMaxTimestampSoFar = lastTime.offset;
    }
    // Walk the batches after the last index entry: they give nextOffset and the index cadence.
    let expected = this.offsetIndex.entries > 0 ? -1 : this.baseOffset;
    let bytesSince = 0;
    const stop = this.scan(last.position, this.size, false, (buf, off, _pos, size) => {
      const base = batchBaseOffset(buf, off);
      if (expected >= 0 && base < expected) return false;
      expected = base + batchLastOffsetDelta(buf, off) + 1;
      const ts = batchMaxTimestamp(buf, off);
      if (ts > this.maxTimestampSoFar) {
        this.maxTimestampSoFar = ts;
        this.offsetOfMaxTimestampSoFar = expected - 1;
      }
      bytesSince += size;
      return true;
    });
    if (stop.stopped !== undefined) return false;
    this.nextOffset = expected < 0 ? this.baseOffset : expected;
    this.bytesSinceLastIndexEntry = bytesSince;
    return true;
  }

  /**
   * Rebuilds both indexes from the log, validating every batch (length, magic, CRC, offset order),
   * and truncates the file at the first invalid byte. Returns the number of bytes cut off.
   */
  recover(): number {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.maxTimestampSoFar = -1;
    this.offsetOfMaxTimestampSoFar = -1;
    this.bytesSinceLastIndexEntry = 0;
    this.hintOffset = -1;
    let expected = this.baseOffset;
    const stop = this.scan(0, this.size, true, (buf, off, pos, size) => {
      const base = batchBaseOffset(buf, off);
      const last = base + batchLastOffsetDelta(buf, off);
      if (base < expected || last < base || last - this.baseOffset > INT32_MAX) return false;
      this.indexBatch(last, batchMaxTimestamp(buf, off), pos, size);
      expected = last + 1;
      return true;
    });
    this.nextOffset = expected;
    const truncated = this.size - stop.position;
    if (truncated > 0) {
      fs.ftruncateSync(this.fd, stop.position);
      this.size = stop.position;
      this.written = stop.position;
    }
    this.offsetIndex.sync();
    this.timeIndex.sync();
    return truncated;
  }

  /** Walks batches in [from, to) after writing queued appends (see ./segment-scan.ts). */
  private scan(from: number, to: number, crc: boolean, visit: BatchVisitor): ScanResult {
    this.writeQueuedForRead();
    return scanBatches(this.fd, from, to, crc, visit);
  }

  private indexBatch(lastOffset: number, maxTimestamp: number, position: number, size: number): void {
    if (maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = maxTimestamp;
      this.offsetOfMaxTimestampSoFar = lastOffset;
    }
    if (this.bytesSinceLastIndexEntry > this.config.indexIntervalBytes) {
      this.offsetIndex.append(lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += size;
  }

  /** Reads see every append: queued bytes are written first (a failure leaves the file short; reads stop there). */
  private writeQueuedForRead(): void {
    if (this.queued.length === 0) return;
    try {
      this.writePending();
    } catch {
      /* reported to the write batch; the partition is offline */
    }
  }

  /** True if appending `bytes` holding offsets up to `lastOffset` needs a new segment first. */
  shouldRoll(bytes: number, lastOffset: number, now: number): boolean {
    // A failed segment must not roll: a new one would start after the bytes that never reached the file.
    if (this.size === 0 || this.writeFailed) return false;
    return (
      this.size + bytes > this.config.segmentBytes ||
      now - this.createdAt >= this.config.segmentMs ||
      this.offsetIndex.isFull() ||
      this.timeIndex.isFull() ||
      lastOffset - this.baseOffset > INT32_MAX
    );
  }

  /**
   * Writes validated batches (offsets assigned, from this.nextOffset to `nextOffset`) in one write, or
   * queues them while a write batch is open (`records` must then stay unchanged until it ends).
   */
  append(records: Buffer, nextOffset: number, now: number): void {
    if (this.writeFailed) throw new Error('an earlier write to this segment failed; the partition is offline until restart');
    const start = this.size;
    if (writeBatchOpen()) {
      if (this.queued.length === 0) registerPendingWriter(this);
      this.queued.push(records);
    } else {
      this.writePending();
      let written = 0;
      try {
        while (written < records.length) {
          written += fs.writeSync(this.fd, records, written, records.length - written, start + written);
        }
      } catch (err) {
        // Leave the log as it was: cut off whatever part of the write landed.
        try {
          fs.ftruncateSync(this.fd, start);
        } catch {
          /* the original error is the one to report */
        }
        throw err;
      }
      this.written = start + records.length;
    }
    if (start === 0) this.createdAt = now;
    let pos = 0;
    while (pos < records.length) {
      const size = batchSize(records, pos);
      const last = batchBaseOffset(records, pos) + batchLastOffsetDelta(records, pos);
      this.indexBatch(last, batchMaxTimestamp(records, pos), start + pos, size);
      pos += size;
    }
    this.size = start + records.length;
    this.nextOffset = nextOffset;
  }

  /** Writes the queued appends in one writev (looping over partial writes). Throws if the write fails. */
  writePending(): void {
    if (this.queued.length === 0) return;
    let bufs = this.queued;
    this.queued = [];
    const start = this.written;
    let pos = start;
    try {
      while (bufs.length > 0) {
        let n = fs.writevSync(this.fd, bufs, pos);
        pos += n;
        // Drop what was written (writev may stop short: IOV_MAX buffers, a signal, a full disk).
        let i = 0;
        while (i < bufs.length && n >= bufs[i]!.length) n -= bufs[i++]!.length;
        bufs = bufs.slice(i);
        if (n > 0) bufs[0] = bufs[0]!.subarray(n);
      }
    } catch (err) {
      // Queued appends were already answered as in memory: the partition cannot go on (see write-batch.ts).
      this.writeFailed = true;
      noteDeferredWriteFailure();
      try {
        fs.ftruncateSync(this.fd, start);
      } catch {
        /* the original error is the one to report */
      }
      throw err;
    }
    this.written = pos;
  }

  /** Byte position of the batch containing `offset` (or the first batch after it), scanning from the index. */
  private locate(offset: number): number {
    if (offset === this.hintOffset) return this.hintPosition;
    let pos = this.offsetIndex.lookup(offset).position;
    let found = this.size;
    this.scan(pos, this.size, false, (buf, off, p) => {
      if (batchBaseOffset(buf, off) + batchLastOffsetDelta(buf, off) >= offset) {
        found = p;
        return false;
      }
      return true;
    });
    pos = found;
    return pos;
  }

  /**
   * Whole batches from the one containing `offset`, up to `maxBytes` bytes (at least one batch when
   * `minOneBatch`), none starting at or after `maxOffset`. Undefined when nothing qualifies.
   */
  read(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): SegmentRead | undefined {
    const start = this.locate(offset);
    if (start >= this.size) return undefined;
    let want = Math.min(Math.max(maxBytes, 0), this.size - start);
    if (want < RECORD_BATCH_HEADER_SIZE) want = Math.min(RECORD_BATCH_HEADER_SIZE, this.size - start);
    let r = this.readAt(start, want);
    let { buf, pad, got } = r;
    // Only batch sizes are needed to find the last whole batch; base offsets only when a bound cuts in.
    const bounded = maxOffset < this.nextOffset;
    let end = 0;
    let last = -1;
    while (end + LOG_OVERHEAD <= got) {
      if (bounded && batchBaseOffset(buf, pad + end) >= maxOffset) break;
      const size = LOG_OVERHEAD + buf.readInt32BE(pad + end + BATCH_LENGTH_OFFSET);
      if (end + size > got) {
        if (end === 0 && (minOneBatch || size <= maxBytes)) {
          // KIP-74: the first batch is returned whole even when it exceeds maxBytes.
          r.lease.release();
          r = this.readAt(start, size);
          ({ buf, pad, got } = r);
          if (got === size) {
            last = 0;
            end = size;
          }
        }
        break;
      }
      last = end;
      end += size;
    }
    if (last < 0) {
      r.lease.release();
      return undefined;
    }
    const next = batchBaseOffset(buf, pad + last) + batchLastOffsetDelta(buf, pad + last) + 1;
    this.hintOffset = next;
    this.hintPosition = start + end;
    return { buf: buf.subarray(pad, pad + end), nextOffset: next, release: r.lease.release };
  }

  /**
   * Reads `length` bytes at file position `start` into a pooled buffer. Large reads start at the page
   * boundary below `start` (`pad` bytes early): page-aligned copies out of the page cache run about
   * twice as fast as unaligned ones, which matters for 1 MiB fetches.
   */
  private readAt(start: number, length: number): { lease: PooledRead; buf: Buffer; pad: number; got: number } {
    this.writeQueuedForRead();
    const pad = length >= ALIGNED_READ_MIN ? start % PAGE_SIZE : 0;
    const lease = readBufferPool.take(length + pad);
    const got = fs.readSync(this.fd, lease.buf, 0, length + pad, start - pad) - pad;
    return { lease, buf: lease.buf, pad, got };
  }

  /** The whole batch starting at or containing `offset` (for record-level lookups). */
  private readBatchAt(offset: number): Buffer | undefined {
    const r = this.read(offset, 1, Infinity, true);
    // Not released: the caller keeps the batch (record lookups are rare, the GC reclaims it).
    return r?.buf.subarray(0, batchSize(r.buf, 0));
  }

  /** First record at or after `startingOffset` with timestamp >= `timestamp` in this segment. */
  findOffsetByTimestamp(timestamp: number, startingOffset: number): RecordHit | undefined {
    if (this.maxTimestampSoFar < timestamp) return undefined;
    const fromIndex = this.timeIndex.lookup(timestamp).offset;
    const pos = this.offsetIndex.lookup(Math.max(fromIndex, startingOffset)).position;
    let target = -1;
    this.scan(pos, this.size, false, (buf, off) => {
      const last = batchBaseOffset(buf, off) + batchLastOffsetDelta(buf, off);
      if (last >= startingOffset && batchMaxTimestamp(buf, off) >= timestamp) {
        target = batchBaseOffset(buf, off);
        return false;
      }
      return true;
    });
    if (target < 0) return undefined;
    const batch = this.readBatchAt(target);
    if (batch === undefined) return undefined;
    const hit = firstRecordAtOrAfter(batch, timestamp);
    return hit.offset < startingOffset ? { ...hit, offset: startingOffset } : hit;
  }

  /** The record holding this segment's max timestamp. */
  maxTimestampRecord(): RecordHit | undefined {
    if (this.offsetOfMaxTimestampSoFar < 0) return undefined;
    const batch = this.readBatchAt(this.offsetOfMaxTimestampSoFar);
    if (batch === undefined) return undefined;
    return recordWithMaxTimestamp(batch);
  }

  /** Called when the segment stops being active: final time-index entry, indexes cut to their entries. */
  onBecomeInactive(): void {
    if (this.retired) return;
    this.retired = true;
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
    this.offsetIndex.trim();
    this.timeIndex.trim();
  }

  /**
   * For inactive segments: the indexes are complete in memory and written out, so their files can be
   * closed (keeps one descriptor per old segment instead of three).
   */
  closeIndexFiles(): void {
    this.retired = true;
    this.offsetIndex.trim();
    this.timeIndex.trim();
    this.offsetIndex.close();
    this.timeIndex.close();
    this.unloadIndexes();
  }

  /** Drops the in-memory index entries (they are read back from the files on the next lookup). */
  unloadIndexes(): void {
    this.offsetIndex.unload();
    this.timeIndex.unload();
  }

  get indexesLoaded(): boolean {
    return this.offsetIndex.isLoaded || this.timeIndex.isLoaded;
  }

  /** Writes pending index entries (no fsync). */
  syncIndexes(): void {
    this.offsetIndex.sync();
    this.timeIndex.sync();
  }

  /** fsync the log and (unless told otherwise) both indexes. */
  flush(includeIndexes = true): void {
    this.writePending();
    fs.fdatasyncSync(this.fd);
    if (!includeIndexes) return;
    this.offsetIndex.fsync();
    this.timeIndex.fsync();
  }

  /** Background fsync of an inactive segment; `done` runs once everything is on disk (or failed). */
  flushAsync(done: (err: Error | null) => void): void {
    try {
      this.writePending();
    } catch (err) {
      done(err as Error);
      return;
    }
    this.syncIndexes();
    const fds = [this.fd, this.offsetIndex.fileDescriptor, this.timeIndex.fileDescriptor].filter((f): f is number => f !== undefined);
    let pending = fds.length;
    let failed: Error | null = null;
    for (const f of fds) {
      fs.fdatasync(f, (err) => {
        if (err) failed = err;
        if (--pending === 0) done(failed);
      });
    }
  }

  close(): void {
    this.onBecomeInactive();
    try {
      this.writePending();
    } catch {
      /* the partition is already offline; recovery cuts what is missing */
    }
    fs.closeSync(this.fd);
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  /** Closes and removes the segment's files. */
  delete(): void {
    this.queued = [];
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.offsetIndex.close();
    this.timeIndex.close();
    for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX]) {
      fs.rmSync(path.join(this.dir, segmentFileName(this.baseOffset, suffix)), { force: true });
    }
  }
}
