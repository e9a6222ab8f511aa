/**
 * A partition's log on disk: the directory `<data-dir>/<topic>-<partition>/` holding
 * `partition.metadata` and segments named by base offset (see segment.ts for the files).
 *
 * Durability: an append is one `writeSync` of the whole request, so once `append` returns the bytes
 * are in the OS page cache and survive a process crash (as in Kafka); inside a write batch
 * (./write-batch.ts) the write is queued until the batch writes it, which the server does before it
 * sends any response. `flush.messages=1` adds an
 * fdatasync before returning; `flush.ms` is driven by the store's timer. Rolled segments are flushed
 * in the background, then the recovery point advances past them.
 *
 * Recovery (`open`): after a clean shutdown indexes are trusted; otherwise every segment from the one
 * holding the recovery point on is scanned, validated (length, magic, CRC, offset order), cut at the
 * first invalid byte, and its indexes rebuilt. Segments after a cut are deleted (their data follows a
 * hole).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from './atomic-file.js';
import { BasePartitionLog, type BaseLogOptions } from './base-log.js';
import { CacheCopier, ChunkList } from './chunk-list.js';
import { ensurePartitionMetadata } from './partition-metadata.js';
import { LogSegment, LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX } from './segment.js';
import { assignOffsets } from './validate.js';
import type { LogConfig, OffsetAndTimestamp, ReadResult } from './types.js';

export interface DiskLogOptions extends BaseLogOptions {
  readonly dir: string;
  /** Offsets below this are known to be on disk (from the recovery-point checkpoint). */
  readonly recoveryPoint: number;
  /** From the log-start-offset checkpoint. */
  readonly logStartOffset: number;
  /** The previous run closed the store cleanly: trust the index files. */
  readonly cleanShutdown: boolean;
  readonly tailCacheBytes: number;
  /** Persist the log start offset (DeleteRecords, retention). */
  readonly onLogStartOffsetChanged: (log: DiskPartitionLog) => void;
  /**
   * A partition being created: its files are written without fsyncs. The caller fsyncs the data
   * directory once for all new partitions; this directory is fsynced by the first flush (dirDirty).
   */
  readonly creating?: boolean;
}

/** Inactive segments per log whose indexes stay in memory after use. */
const MAX_LOADED_INDEXES = 8;

export class DiskPartitionLog extends BasePartitionLog {
  readonly dir: string;
  private segments: LogSegment[] = [];
  private readonly tail = new ChunkList();
  private readonly copier = new CacheCopier();
  /** Offsets below this are fsynced. */
  recoveryPoint: number;
  /** Bytes cut from the log by recovery when it was opened (torn writes). */
  readonly truncatedOnOpen: number;
  private tailCacheBytes: number;
  private unflushedMessages = 0;
  private lastFlushAt: number;
  private dirDirty = false;
  /** Inactive segments whose indexes are in memory, least recently used first. */
  private readonly loadedIndexes: LogSegment[] = [];
  private readonly pendingRollFlushes: Array<{ nextBase: number; done: boolean; failed: boolean }> = [];

  private constructor(private readonly opts: DiskLogOptions) {
    super(opts, opts.logStartOffset);
    this.dir = opts.dir;
    this.recoveryPoint = opts.recoveryPoint;
    this.tailCacheBytes = opts.tailCacheBytes;
    this.lastFlushAt = opts.now();
    this.truncatedOnOpen = this.load();
  }

  static open(opts: DiskLogOptions): DiskPartitionLog {
    fs.mkdirSync(opts.dir, { recursive: true });
    ensurePartitionMetadata(opts.dir, opts.topicId, opts.creating !== true);
    return new DiskPartitionLog(opts);
  }

  /** Opens or recovers the segments; returns the bytes truncated. */
  private load(): number {
    const dir = this.dir;
    const names = fs.readdirSync(dir);
    const bases = new Set<number>();
    for (const name of names) {
      if (name.endsWith('.tmp') || name.endsWith('.deleted') || name.endsWith('.cleaned') || name.endsWith('.swap')) {
        // Leftovers of an interrupted atomic write, deletion or (later) compaction.
        fs.rmSync(path.join(dir, name), { force: true });
        continue;
      }
      if (name.endsWith(LOG_SUFFIX) && /^\d{20}\.log$/.test(name)) bases.add(Number(name.slice(0, 20)));
    }
    for (const name of names) {
      const m = /^(\d{20})\.(index|timeindex)$/.exec(name);
      if (m && !bases.has(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
    }
    const sorted = [...bases].sort((a, b) => a - b);
    const now = this.opts.now();
    let truncated = 0;
    let recovered = false;
    for (let i = 0; i < sorted.length; i++) {
      const base = sorted[i]!;
      const next = sorted[i + 1];
      const trust = this.opts.cleanShutdown || (next !== undefined && next <= this.recoveryPoint);
      const { segment, truncated: cut } = LogSegment.open(dir, base, this.cfg, trust);
      if (!trust) recovered = true;
      this.segments.push(segment);
      truncated += cut;
      if (cut > 0) {
        // Everything after a torn or corrupt region is unreachable: drop the later segments.
        for (const later of sorted.slice(i + 1)) {
          for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX]) {
            fs.rmSync(path.join(dir, String(later).padStart(20, '0') + suffix), { force: true });
          }
        }
        break;
      }
    }
    if (this.segments.length === 0) {
      this.segments.push(LogSegment.create(dir, this.startOffset, this.cfg, now));
      this.dirDirty = true;
    }
    this.endOffset = this.active.nextOffset;
    const first = this.segments[0]!.baseOffset;
    if (this.startOffset < first) this.startOffset = first;
    if (this.startOffset > this.endOffset) {
      // The checkpointed start is beyond what survived: start over there (Kafka does the same).
      for (const s of this.segments) s.delete();
      this.segments = [LogSegment.create(dir, this.startOffset, this.cfg, now)];
      this.endOffset = this.startOffset;
      this.dirDirty = true;
    }
    if (recovered) {
      // What recovery validated came from the page cache; make it durable before trusting it.
      for (const s of this.segments) if (s.baseOffset >= this.segmentFor(this.recoveryPoint).baseOffset) s.flush();
    }
    this.recoveryPoint = this.endOffset;
    for (const s of this.segments) if (s !== this.active) s.closeIndexFiles();
    this.active.offsetIndex.preallocate();
    this.active.timeIndex.preallocate();
    return truncated;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /** The segment holding `offset`: the last one whose base offset is <= offset (the first if none). */
  private segmentFor(offset: number): LogSegment {
    return this.segments[this.segmentIndexFor(offset)]!;
  }

  private segmentIndexFor(offset: number): number {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (segs[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Keeps at most MAX_LOADED_INDEXES inactive segments' indexes in memory (LRU). */
  private touch(seg: LogSegment): void {
    if (seg === this.active) return;
    const i = this.loadedIndexes.indexOf(seg);
    if (i >= 0) this.loadedIndexes.splice(i, 1);
    this.loadedIndexes.push(seg);
    while (this.loadedIndexes.length > MAX_LOADED_INDEXES) this.loadedIndexes.shift()!.unloadIndexes();
  }

  /** Caps the in-memory tail (the store shares one budget among its partitions). */
  setTailCacheBytes(bytes: number): void {
    this.tailCacheBytes = bytes;
    if (this.tail.bytes > bytes) this.tail.evictTo(bytes);
  }

  override setConfig(config: LogConfig): void {
    super.setConfig(config);
    for (const s of this.segments) s.setConfig(config);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Base offsets of the segments, oldest first (for tests, DescribeLogDirs, retention). */
  segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }

  protected store(records: Buffer, first: number, offsetCount: number, leaderEpoch: number, appendTime: number, now: number): void {
    if (this.active.shouldRoll(records.length, first + offsetCount - 1, now)) this.roll(first, now);
    const next = assignOffsets(records, first, leaderEpoch, appendTime);
    this.active.append(records, next, now);
    this.endOffset = next;
    if (this.tailCacheBytes > 0) this.tail.push({ buf: this.copier.keep(records), baseOffset: first, nextOffset: next, maxTimestamp: -1 });
    // Evict in steps (down to 3/4 of the cap) rather than one chunk per append.
    if (this.tail.bytes > this.tailCacheBytes) this.tail.evictTo(Math.floor(this.tailCacheBytes * 0.75));
    this.unflushedMessages += offsetCount;
    if (this.unflushedMessages >= this.cfg.flushMessages) this.flush();
  }

  /** Starts a new active segment at `baseOffset`; the old one is flushed in the background. */
  private roll(baseOffset: number, now: number): void {
    const old = this.active;
    old.onBecomeInactive();
    const seg = LogSegment.create(this.dir, baseOffset, this.cfg, now);
    this.segments.push(seg);
    this.dirDirty = true;
    // Background flushes may finish out of order; the recovery point only moves past a prefix of
    // rolled segments that are all on disk.
    const pending = { nextBase: baseOffset, done: false, failed: false };
    this.pendingRollFlushes.push(pending);
    old.flushAsync((err) => {
      if (this.closed) return;
      pending.done = true;
      pending.failed = err !== null;
      while (this.pendingRollFlushes.length > 0 && this.pendingRollFlushes[0]!.done) {
        const head = this.pendingRollFlushes.shift()!;
        if (head.failed) {
          this.pendingRollFlushes.length = 0; // a later flush() covers it
          break;
        }
        if (head.nextBase > this.recoveryPoint) this.recoveryPoint = head.nextBase;
      }
      if (this.segments.includes(old)) old.closeIndexFiles();
    });
  }

  protected readStored(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): ReadResult | undefined {
    const tailFirst = this.tail.firstOffset;
    if (tailFirst !== undefined && offset >= tailFirst) {
      const r = this.tail.read(offset, maxBytes, maxOffset, minOneBatch);
      if (r !== undefined) return this.readResult(0, r.nextOffset, r.chunks, r.bytes);
    }
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      const r = seg.read(Math.max(offset, seg.baseOffset), maxBytes, maxOffset, minOneBatch);
      if (seg.indexesLoaded) this.touch(seg);
      if (r !== undefined) return this.readResult(0, r.nextOffset, [r.buf], r.buf.length, r.release);
    }
    return undefined;
  }

  offsetForTimestamp(timestamp: number): OffsetAndTimestamp | undefined {
    for (const seg of this.segments) {
      if (seg.nextOffset <= this.startOffset || seg.maxTimestampSoFar < timestamp) continue;
      const hit = seg.findOffsetByTimestamp(timestamp, this.startOffset);
      if (seg.indexesLoaded) this.touch(seg);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  maxTimestampOffset(): OffsetAndTimestamp | undefined {
    let best: LogSegment | undefined;
    for (const seg of this.segments) {
      if (seg.nextOffset <= this.startOffset || seg.offsetOfMaxTimestampSoFar < 0) continue;
      if (best === undefined || seg.maxTimestampSoFar > best.maxTimestampSoFar) best = seg;
    }
    const hit = best?.maxTimestampRecord();
    if (best?.indexesLoaded) this.touch(best);
    return hit;
  }

  protected dropBefore(offset: number): void {
    this.tail.dropBefore(offset);
    // Whole segments below the new start are garbage now (retention will do the same by time/size).
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= offset) {
      const gone = this.segments.shift()!;
      const i = this.loadedIndexes.indexOf(gone);
      if (i >= 0) this.loadedIndexes.splice(i, 1);
      gone.delete();
    }
    this.opts.onLogStartOffsetChanged(this);
  }

  flush(): void {
    this.flushAll(false);
  }

  /**
   * fsync what is not yet durable. The active segment's index files are skipped unless `withIndexes`:
   * the segment holding the recovery point is always rebuilt after an unclean stop, so its indexes
   * never need to be on disk (one fdatasync per flush instead of three, for flush.messages=1). Rolled
   * segments and a clean close sync everything.
   */
  private flushAll(withIndexes: boolean): void {
    if (this.closed) return;
    const from = this.segmentFor(Math.min(this.recoveryPoint, this.endOffset)).baseOffset;
    const active = this.active;
    for (const s of this.segments) if (s.baseOffset >= from) s.flush(withIndexes || s !== active);
    if (this.dirDirty) {
      fsyncDir(this.dir);
      this.dirDirty = false;
    }
    this.recoveryPoint = this.endOffset;
    this.unflushedMessages = 0;
    this.lastFlushAt = this.opts.now();
  }

  /** flush.ms: called by the store's timer. */
  maybeFlushByTime(now: number): void {
    if (this.unflushedMessages > 0 && now - this.lastFlushAt >= this.cfg.flushMs) this.flush();
  }

  sizeInBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** Flushes and closes every file (trimming the indexes). */
  close(): void {
    if (this.closed) return;
    this.active.onBecomeInactive(); // final time-index entry and trimmed indexes, before the fsync
    this.flushAll(true);
    this.closed = true;
    for (const s of this.segments) s.close();
    this.tail.clear();
    this.clearListeners();
  }

  /** Closes without flushing and removes the directory (topic deletion). */
  deleteFiles(): void {
    this.closed = true;
    for (const s of this.segments) {
      try {
        s.delete();
      } catch {
        /* best effort */
      }
    }
    this.tail.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
