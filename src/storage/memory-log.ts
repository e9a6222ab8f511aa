/**
 * A partition log held in memory: the appended buffers themselves, in a ChunkList (no files, nothing
 * persists). Same validation, offsets, read and lookup semantics as the disk log, so tests written
 * against it hold for disk, and Brook can be embedded in other projects' test suites.
 */
import {
  batchBaseOffset,
  batchLastOffsetDelta,
  batchMaxTimestamp,
  batchSize,
} from '../protocol/records/batch-header.js';
import { CacheCopier, ChunkList } from './chunk-list.js';
import { StorageErrorCode } from './errors.js';
import { firstRecordAtOrAfter, recordWithMaxTimestamp } from './record-scan.js';
import { assignOffsets, isValidationError, validateBatches } from './validate.js';
import type {
  AppendInterceptor,
  AppendListener,
  AppendOptions,
  AppendResult,
  AppendSuccess,
  DeleteRecordsResult,
  LogConfig,
  OffsetAndTimestamp,
  PartitionLog,
  ReadOptions,
  ReadResult,
} from './types.js';

const noop = (): void => {};

export interface MemoryLogOptions {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly config: LogConfig;
  readonly now: () => number;
  readonly onAppend: (log: PartitionLog) => void;
}

export class MemoryPartitionLog implements PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  private cfg: LogConfig;
  private readonly chunks = new ChunkList();
  private readonly copier = new CacheCopier();
  private readonly listeners = new Set<AppendListener>();
  private interceptor: AppendInterceptor | undefined;
  private startOffset = 0;
  private endOffset = 0;
  private closed = false;

  constructor(private readonly opts: MemoryLogOptions) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.topicId = opts.topicId;
    this.cfg = opts.config;
  }

  get config(): LogConfig {
    return this.cfg;
  }

  setConfig(config: LogConfig): void {
    this.cfg = config;
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.endOffset;
  }

  get highWatermark(): number {
    return this.endOffset;
  }

  get lastStableOffset(): number {
    return this.interceptor?.lastStableOffset?.(this) ?? this.endOffset;
  }

  append(records: Buffer, options: AppendOptions = {}): AppendResult {
    if (this.closed) {
      return { ok: false, errorCode: StorageErrorCode.KAFKA_STORAGE_ERROR, errorMessage: 'log is closed', batchIndex: -1, logStartOffset: this.startOffset };
    }
    const now = options.now ?? this.opts.now();
    const summary = validateBatches(records, this.cfg, now, options.origin === 'coordinator');
    if (isValidationError(summary)) return { ok: false, ...summary, logStartOffset: this.startOffset };
    const first = this.endOffset;
    const intercepted = this.interceptor?.beforeAppend(this, records, first);
    if (intercepted !== undefined) return intercepted;
    const appendTime = this.cfg.timestampType === 'LogAppendTime' ? now : -1;
    const next = assignOffsets(records, first, options.leaderEpoch ?? 0, appendTime);
    let maxTs = -1;
    for (let p = 0; p < records.length; p += batchSize(records, p)) maxTs = Math.max(maxTs, batchMaxTimestamp(records, p));
    this.chunks.push({ buf: this.copier.keep(records), baseOffset: first, nextOffset: next, maxTimestamp: maxTs });
    this.endOffset = next;
    const result: AppendSuccess = {
      ok: true,
      errorCode: 0,
      baseOffset: first,
      lastOffset: next - 1,
      logAppendTime: appendTime,
      logStartOffset: this.startOffset,
      recordCount: summary.offsetCount,
    };
    this.interceptor?.afterAppend(this, records, result);
    for (const l of this.listeners) l(this);
    this.opts.onAppend(this);
    return result;
  }

  read(offset: number, maxBytes: number, options: ReadOptions = {}): ReadResult {
    const maxOffset = Math.min(options.maxOffset ?? this.endOffset, this.endOffset);
    if (!Number.isSafeInteger(offset) || offset < this.startOffset || offset > this.endOffset || this.closed) {
      return this.result(StorageErrorCode.OFFSET_OUT_OF_RANGE, offset);
    }
    if (offset >= maxOffset) return this.result(0, offset);
    const r = this.chunks.read(offset, maxBytes, maxOffset, options.minOneBatch ?? true);
    return r === undefined ? this.result(0, offset) : this.result(0, r.nextOffset, r.chunks, r.bytes);
  }

  private result(errorCode: number, nextOffset: number, chunks: Buffer[] = [], bytes = 0, release: () => void = noop): ReadResult {
    return {
      errorCode,
      chunks,
      bytes,
      nextOffset,
      release,
      highWatermark: this.endOffset,
      lastStableOffset: this.lastStableOffset,
      logStartOffset: this.startOffset,
    };
  }

  earliestOffset(): number {
    return this.startOffset;
  }

  latestOffset(): number {
    return this.endOffset;
  }

  /** Visits every batch still in the log, oldest first, until `visit` returns true. */
  private forEachBatch(visit: (buf: Buffer, pos: number) => boolean): void {
    for (let i = 0; i < this.chunks.length; i++) {
      const buf = this.chunks.at(i).buf;
      for (let p = 0; p < buf.length; p += batchSize(buf, p)) {
        if (batchBaseOffset(buf, p) + batchLastOffsetDelta(buf, p) < this.startOffset) continue;
        if (visit(buf, p)) return;
      }
    }
  }

  offsetForTimestamp(timestamp: number): OffsetAndTimestamp | undefined {
    let hit: OffsetAndTimestamp | undefined;
    for (let i = 0; i < this.chunks.length && hit === undefined; i++) {
      if (this.chunks.at(i).maxTimestamp < timestamp) continue;
      this.forEachBatchOf(i, (buf, p) => {
        if (batchMaxTimestamp(buf, p) < timestamp) return false;
        const h = firstRecordAtOrAfter(buf.subarray(p, p + batchSize(buf, p)), timestamp);
        hit = h.offset < this.startOffset ? { ...h, offset: this.startOffset } : h;
        return true;
      });
    }
    return hit;
  }

  private forEachBatchOf(i: number, visit: (buf: Buffer, pos: number) => boolean): void {
    const buf = this.chunks.at(i).buf;
    for (let p = 0; p < buf.length; p += batchSize(buf, p)) {
      if (batchBaseOffset(buf, p) + batchLastOffsetDelta(buf, p) < this.startOffset) continue;
      if (visit(buf, p)) return;
    }
  }

  maxTimestampOffset(): OffsetAndTimestamp | undefined {
    let best: Buffer | undefined;
    let bestTs = -Infinity;
    this.forEachBatch((buf, p) => {
      const ts = batchMaxTimestamp(buf, p);
      if (ts > bestTs) {
        bestTs = ts;
        best = buf.subarray(p, p + batchSize(buf, p));
      }
      return false;
    });
    return best === undefined ? undefined : recordWithMaxTimestamp(best);
  }

  deleteRecordsBefore(requested: number): DeleteRecordsResult {
    const offset = requested === -1 ? this.highWatermark : requested;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.highWatermark) {
      return { errorCode: StorageErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: this.startOffset };
    }
    if (offset > this.startOffset) {
      this.startOffset = offset;
      this.chunks.dropBefore(offset);
    }
    return { errorCode: 0, lowWatermark: this.startOffset };
  }

  flush(): void {
    /* nothing to make durable */
  }

  sizeInBytes(): number {
    return this.chunks.bytes;
  }

  setAppendInterceptor(interceptor: AppendInterceptor | undefined): void {
    this.interceptor = interceptor;
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.chunks.clear();
    this.listeners.clear();
  }
}
