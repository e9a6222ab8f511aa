/**
 * Appended chunks kept in memory, in offset order: each chunk is the bytes of one append call (one or
 * more whole batches, offsets already assigned) with its offset range. The memory backend keeps every
 * chunk; the disk backend keeps the most recent few MiB to serve tail reads (where consumers live)
 * straight from the appended buffers: no syscall and no copy.
 */
import { batchBaseOffset, batchLastOffsetDelta, batchSize } from '../protocol/records/batch-header.js';

const SLAB = 64 * 1024;

/**
 * The buffer to keep for `records`: itself, unless it is a small view into a much larger allocation
 * (a produce frame holding many partitions, a socket read chunk), which keeping would pin in memory
 * far beyond what the cache accounts for; then a copy. Small copies are carved from a per-list slab:
 * chunks leave in append order, so at most one slab per list is held beyond the bytes accounted.
 */
export class CacheCopier {
  private slab: Buffer | undefined;
  private used = 0;

  keep(records: Buffer): Buffer {
    const n = records.length;
    // Pinning up to ~4x the accounted bytes is acceptable; more (1 KiB of a 1 MiB frame) is not.
    if (records.buffer.byteLength <= 4 * n + 16 * 1024) return records;
    if (n > SLAB / 4) {
      const copy = Buffer.allocUnsafeSlow(n);
      copy.set(records);
      return copy;
    }
    if (this.slab === undefined || this.used + n > SLAB) {
      this.slab = Buffer.allocUnsafeSlow(SLAB);
      this.used = 0;
    }
    this.slab.set(records, this.used); // TypedArray#set: a plain memcpy, cheaper than Buffer#copy
    const copy = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return copy;
  }
}

export interface Chunk {
  readonly buf: Buffer;
  readonly baseOffset: number;
  /** Offset after the chunk's last record. */
  readonly nextOffset: number;
  readonly maxTimestamp: number;
}

export interface ChunkRead {
  readonly chunks: Buffer[];
  readonly bytes: number;
  /** Offset after the last batch returned. */
  readonly nextOffset: number;
}

export class ChunkList {
  private items: Chunk[] = [];
  private head = 0;
  private total = 0;

  get bytes(): number {
    return this.total;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** First offset covered, or undefined when empty. */
  get firstOffset(): number | undefined {
    return this.head < this.items.length ? this.items[this.head]!.baseOffset : undefined;
  }

  push(chunk: Chunk): void {
    this.items.push(chunk);
    this.total += chunk.buf.length;
  }

  at(i: number): Chunk {
    return this.items[this.head + i]!;
  }

  /** Drops the oldest chunks until at most `maxBytes` remain. */
  evictTo(maxBytes: number): void {
    while (this.total > maxBytes && this.head < this.items.length) this.dropHead();
    this.compact();
  }

  /** Drops chunks that end at or before `offset`. */
  dropBefore(offset: number): void {
    while (this.head < this.items.length && this.items[this.head]!.nextOffset <= offset) this.dropHead();
    this.compact();
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.total = 0;
  }

  private dropHead(): void {
    this.total -= this.items[this.head]!.buf.length;
    this.items[this.head] = undefined as unknown as Chunk;
    this.head++;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Index (relative to head) of the chunk holding `offset`, or -1. */
  find(offset: number): number {
    let lo = this.head;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.items[mid]!;
      if (offset < c.baseOffset) hi = mid - 1;
      else if (offset >= c.nextOffset) lo = mid + 1;
      else return mid - this.head;
    }
    return -1;
  }

  /**
   * Whole batches from the one containing `offset`: up to `maxBytes` (at least one batch when
   * `minOneBatch`), stopping before any batch that starts at or after `maxOffset`. Undefined when
   * `offset` is not in the list.
   */
  read(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): ChunkRead | undefined {
    let i = this.find(offset);
    if (i < 0) return undefined;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let first = true;
    let next = offset;
    for (; i < this.length; i++) {
      const buf = this.at(i).buf;
      let start = 0;
      if (first) {
        // Skip batches that end before `offset` (a chunk may hold several batches).
        while (start < buf.length && batchBaseOffset(buf, start) + batchLastOffsetDelta(buf, start) < offset) {
          start += batchSize(buf, start);
        }
      }
      let end = start;
      while (end < buf.length) {
        if (batchBaseOffset(buf, end) >= maxOffset) break;
        const size = batchSize(buf, end);
        if (bytes + (end - start) + size > maxBytes && !(first && minOneBatch && bytes === 0 && end === start)) break;
        next = batchBaseOffset(buf, end) + batchLastOffsetDelta(buf, end) + 1;
        end += size;
      }
      if (end > start) {
        chunks.push(start === 0 && end === buf.length ? buf : buf.subarray(start, end));
        bytes += end - start;
      }
      first = false;
      if (end < buf.length) break;
    }
    return { chunks, bytes, nextOffset: next };
  }
}
