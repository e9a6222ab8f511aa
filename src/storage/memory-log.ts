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
import { BasePartitionLog, type BaseLogOptions } from './base-log.js';
import { CacheCopier, ChunkList } from './chunk-list.js';
import { firstRecordAtOrAfter, recordWithMaxTimestamp } from './record-scan.js';
import { assignOffsets } from './validate.js';
import type { OffsetAndTimestamp, ReadResult } from './types.js';

export type MemoryLogOptions = BaseLogOptions;

export class MemoryPartitionLog extends BasePartitionLog {
  private readonly chunks = new ChunkList();
  private readonly copier = new CacheCopier();

  constructor(opts: MemoryLogOptions) {
    super(opts);
  }

  protected store(records: Buffer, first: number, _offsetCount: number, leaderEpoch: number, appendTime: number): void {
    const next = assignOffsets(records, first, leaderEpoch, appendTime);
    let maxTs = -1;
    for (let p = 0; p < records.length; p += batchSize(records, p)) maxTs = Math.max(maxTs, batchMaxTimestamp(records, p));
    this.chunks.push({ buf: this.copier.keep(records), baseOffset: first, nextOffset: next, maxTimestamp: maxTs });
    this.endOffset = next;
  }

  protected readStored(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): ReadResult | undefined {
    const r = this.chunks.read(offset, maxBytes, maxOffset, minOneBatch);
    return r === undefined ? undefined : this.readResult(0, r.nextOffset, r.chunks, r.bytes);
  }

  /** Visits every batch still in the log, oldest first, until `visit` returns true. */
  private forEachBatch(visit: (buf: Buffer, pos: number) => boolean): void {
    for (let i = 0; i < this.chunks.length; i++) if (this.forEachBatchOf(i, visit)) return;
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

  /** Visits the batches of chunk `i` still in the log until `visit` returns true; whether it did. */
  private forEachBatchOf(i: number, visit: (buf: Buffer, pos: number) => boolean): boolean {
    const buf = this.chunks.at(i).buf;
    for (let p = 0; p < buf.length; p += batchSize(buf, p)) {
      if (batchBaseOffset(buf, p) + batchLastOffsetDelta(buf, p) < this.startOffset) continue;
      if (visit(buf, p)) return true;
    }
    return false;
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

  protected dropBefore(offset: number): void {
    this.chunks.dropBefore(offset);
  }

  flush(): void {
    /* nothing to make durable */
  }

  sizeInBytes(): number {
    return this.chunks.bytes;
  }

  close(): void {
    this.closed = true;
    this.chunks.clear();
    this.clearListeners();
  }
}
