/**
 * What the disk and memory partition logs share, so both keep one set of semantics: offsets and
 * watermarks, the append sequence (closed check → validate → interceptor → store → result → hooks and
 * listeners), the argument checks of read and DeleteRecords, and the shape of a read result.
 * A subclass supplies only where bytes live: `store` (write validated batches), `readStored`,
 * `dropBefore`, and the ListOffsets lookups.
 */
import { StorageErrorCode } from './errors.js';
import { isValidationError, validateBatches } from './validate.js';
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

export interface BaseLogOptions {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly config: LogConfig;
  readonly now: () => number;
  /** Store-wide append listeners. */
  readonly onAppend: (log: PartitionLog) => void;
}

export abstract class BasePartitionLog implements PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  protected cfg: LogConfig;
  protected startOffset: number;
  protected endOffset = 0;
  protected closed = false;
  private readonly listeners = new Set<AppendListener>();
  private interceptor: AppendInterceptor | undefined;

  protected constructor(private readonly base: BaseLogOptions, logStartOffset = 0) {
    this.topic = base.topic;
    this.partition = base.partition;
    this.topicId = base.topicId;
    this.cfg = base.config;
    this.startOffset = logStartOffset;
  }

  /**
   * Writes validated `records` whose first offset is `first`: assigns their offsets (assignOffsets)
   * and sets `endOffset` past them. May throw (an I/O failure): the append then answers
   * KAFKA_STORAGE_ERROR.
   */
  protected abstract store(records: Buffer, first: number, offsetCount: number, leaderEpoch: number, appendTime: number, now: number): void;
  /** Batches from `offset` (already checked to be in [logStartOffset, maxOffset)); undefined if none. */
  protected abstract readStored(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): ReadResult | undefined;
  /** Drops what lies wholly below `offset`, the new log start offset (already set). */
  protected abstract dropBefore(offset: number): void;

  abstract offsetForTimestamp(timestamp: number): OffsetAndTimestamp | undefined;
  abstract maxTimestampOffset(): OffsetAndTimestamp | undefined;
  abstract flush(): void;
  abstract sizeInBytes(): number;
  abstract close(): void;

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

  earliestOffset(): number {
    return this.startOffset;
  }

  latestOffset(): number {
    return this.endOffset;
  }

  append(records: Buffer, options: AppendOptions = {}): AppendResult {
    if (this.closed) {
      return { ok: false, errorCode: StorageErrorCode.KAFKA_STORAGE_ERROR, errorMessage: 'log is closed', batchIndex: -1, logStartOffset: this.startOffset };
    }
    const now = options.now ?? this.base.now();
    const summary = validateBatches(records, this.cfg, now, options.origin === 'coordinator');
    if (isValidationError(summary)) return { ok: false, ...summary, logStartOffset: this.startOffset };
    const first = this.endOffset;
    const intercepted = this.interceptor?.beforeAppend(this, records, first);
    if (intercepted !== undefined) return intercepted;
    try {
      const appendTime = this.cfg.timestampType === 'LogAppendTime' ? now : -1;
      this.store(records, first, summary.offsetCount, options.leaderEpoch ?? 0, appendTime, now);
      const result: AppendSuccess = {
        ok: true,
        errorCode: 0,
        baseOffset: first,
        lastOffset: first + summary.offsetCount - 1,
        logAppendTime: appendTime,
        logStartOffset: this.startOffset,
        recordCount: summary.offsetCount,
      };
      this.interceptor?.afterAppend(this, records, result);
      for (const l of this.listeners) l(this);
      this.base.onAppend(this);
      return result;
    } catch (err) {
      return {
        ok: false,
        errorCode: StorageErrorCode.KAFKA_STORAGE_ERROR,
        errorMessage: `append failed: ${(err as Error).message}`,
        batchIndex: -1,
        logStartOffset: this.startOffset,
      };
    }
  }

  read(offset: number, maxBytes: number, options: ReadOptions = {}): ReadResult {
    const maxOffset = Math.min(options.maxOffset ?? this.endOffset, this.endOffset);
    if (!Number.isSafeInteger(offset) || offset < this.startOffset || offset > this.endOffset || this.closed) {
      return this.readResult(StorageErrorCode.OFFSET_OUT_OF_RANGE, offset);
    }
    if (offset >= maxOffset) return this.readResult(0, offset);
    return this.readStored(offset, maxBytes, maxOffset, options.minOneBatch ?? true) ?? this.readResult(0, offset);
  }

  protected readResult(errorCode: number, nextOffset: number, chunks: Buffer[] = [], bytes = 0, release: () => void = noop): ReadResult {
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

  deleteRecordsBefore(requested: number): DeleteRecordsResult {
    const offset = requested === -1 ? this.highWatermark : requested;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.highWatermark) {
      return { errorCode: StorageErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: this.startOffset };
    }
    if (offset > this.startOffset) {
      this.startOffset = offset;
      this.dropBefore(offset);
    }
    return { errorCode: 0, lowWatermark: this.startOffset };
  }

  setAppendInterceptor(interceptor: AppendInterceptor | undefined): void {
    this.interceptor = interceptor;
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the append listeners (close). */
  protected clearListeners(): void {
    this.listeners.clear();
  }
}
