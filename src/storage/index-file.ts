/**
 * Sparse segment indexes, kept in memory and mirrored to files (what Kafka does with mmap).
 *
 * Offset index `<base>.index`: 8-byte entries, big-endian
 *     relativeOffset int32 (offset - segment base)   position int32 (byte position of a batch in .log)
 *   One entry per ~index.interval.bytes of log: (last offset of a batch, start position of that batch).
 * Time index `<base>.timeindex`: 12-byte entries, big-endian
 *     timestamp int64 (max timestamp so far in the segment)   relativeOffset int32
 *   An entry is appended only when the max timestamp grows.
 * Both are strictly increasing in their key, so lookups are binary searches.
 *
 * The active segment's files are preallocated to segment.index.bytes (sparse, cheap) and trimmed to
 * the entries when the segment rolls or the log closes. New entries reach the file in batches
 * (`sync`), not one write each: after an unclean stop the active segment's indexes are rebuilt from
 * the log anyway, so the file only has to be exact at roll and clean shutdown.
 *
 * Inactive segments drop their in-memory copy (`unload`) and read it back from the file on the next
 * lookup, like Kafka's lazily mapped indexes: a long log costs memory only for the segments in use.
 */
import fs from 'node:fs';

abstract class IndexFile {
  protected buf: Buffer;
  protected count = 0;
  private loaded = true;
  /** Entries already written to the file. */
  private written = 0;
  readonly maxEntries: number;

  constructor(
    readonly path: string | undefined,
    protected readonly baseOffset: number,
    maxIndexBytes: number,
    protected readonly entrySize: number,
    private fd: number | undefined,
  ) {
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / entrySize));
    this.buf = Buffer.alloc(Math.min(this.maxEntries, 64) * entrySize);
  }

  get entries(): number {
    return this.count;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Loads entries from the file (a trimmed, trusted index). Returns false when the size is inconsistent. */
  protected loadFromFile(): boolean {
    if (this.fd === undefined) return true;
    const size = fs.fstatSync(this.fd).size;
    if (size % this.entrySize !== 0) return false;
    const n = size / this.entrySize;
    if (n > this.maxEntries) return false;
    this.ensureCapacity(n);
    if (n > 0) fs.readSync(this.fd, this.buf, 0, size, 0);
    this.count = n;
    this.written = n;
    return true;
  }

  /** Frees the in-memory entries of an index whose entries are all in its file (inactive segments). */
  unload(): void {
    if (!this.loaded || this.written !== this.count || this.path === undefined) return;
    this.buf = Buffer.alloc(0);
    this.loaded = false;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Reads the entries back after `unload`. An unreadable file leaves the index empty: lookups then scan from the segment start. */
  protected ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    const size = this.count * this.entrySize;
    const buf = Buffer.alloc(Math.max(size, this.entrySize));
    let got = 0;
    try {
      const fd = fs.openSync(this.path!, 'r');
      try {
        got = fs.readSync(fd, buf, 0, size, 0);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      got = -1;
    }
    this.buf = buf;
    if (got !== size) {
      this.count = 0;
      this.written = 0;
    }
  }

  private ensureCapacity(n: number): void {
    this.ensureLoaded();
    if (n * this.entrySize <= this.buf.length) return;
    let cap = Math.max(1, this.buf.length / this.entrySize);
    while (cap < n) cap *= 2;
    const next = Buffer.alloc(Math.min(cap, this.maxEntries) * this.entrySize);
    this.buf.copy(next, 0, 0, this.count * this.entrySize);
    this.buf = next;
  }

  protected reserveEntry(): number {
    this.ensureCapacity(this.count + 1);
    const pos = this.count * this.entrySize;
    this.count++;
    if (this.count - this.written >= 64) this.sync();
    return pos;
  }

  /** Preallocates the file to its maximum size (active segment). */
  preallocate(): void {
    if (this.fd !== undefined) fs.ftruncateSync(this.fd, this.maxEntries * this.entrySize);
  }

  /** Writes entries not yet in the file. */
  sync(): void {
    if (this.fd === undefined || this.written === this.count) return;
    const from = this.written * this.entrySize;
    fs.writeSync(this.fd, this.buf, from, this.count * this.entrySize - from, from);
    this.written = this.count;
  }

  /** Writes pending entries and cuts the file to them (segment roll, close). */
  trim(): void {
    this.sync();
    if (this.fd !== undefined) fs.ftruncateSync(this.fd, this.count * this.entrySize);
  }

  fsync(): void {
    this.sync();
    if (this.fd !== undefined) fs.fdatasyncSync(this.fd);
  }

  get fileDescriptor(): number | undefined {
    return this.fd;
  }

  /** Drops every entry (before a rebuild). */
  reset(): void {
    this.count = 0;
    this.written = 0;
    if (this.fd !== undefined) fs.ftruncateSync(this.fd, 0);
  }

  /** Drops entries whose key is above `keep` entries (truncation). */
  protected truncateEntries(keep: number): void {
    this.ensureLoaded();
    if (keep >= this.count) return;
    this.count = keep;
    if (this.written > keep) {
      this.written = keep;
      if (this.fd !== undefined) fs.ftruncateSync(this.fd, keep * this.entrySize);
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Index of the last entry whose key <= `key`, or -1. Keys are strictly increasing. */
  protected floorEntry(key: number): number {
    this.ensureLoaded();
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keyAt(mid) <= key) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  protected abstract keyAt(i: number): number;
}

function openIndexFd(path: string | undefined, create: boolean): number | undefined {
  if (path === undefined) return undefined;
  return fs.openSync(path, create ? 'w+' : fs.existsSync(path) ? 'r+' : 'w+');
}

export interface OffsetPosition {
  readonly offset: number;
  readonly position: number;
}

export class OffsetIndex extends IndexFile {
  static readonly ENTRY_SIZE = 8;

  /** `create`: start empty (truncating any file); otherwise load the file (false from `load` = rebuild). */
  constructor(path: string | undefined, baseOffset: number, maxIndexBytes: number, create: boolean) {
    super(path, baseOffset, maxIndexBytes, OffsetIndex.ENTRY_SIZE, openIndexFd(path, create));
  }

  load(): boolean {
    if (!this.loadFromFile()) return false;
    // Relative offsets and positions must both increase.
    for (let i = 1; i < this.count; i++) {
      if (this.buf.readInt32BE(i * 8) <= this.buf.readInt32BE((i - 1) * 8)) return false;
      if (this.buf.readInt32BE(i * 8 + 4) <= this.buf.readInt32BE((i - 1) * 8 + 4)) return false;
    }
    return this.count === 0 || this.buf.readInt32BE(0) >= 0;
  }

  protected keyAt(i: number): number {
    return this.buf.readInt32BE(i * 8);
  }

  /** Adds an entry; a full index drops it (the log rolls before the next append; lookups just scan further). */
  append(offset: number, position: number): void {
    if (this.isFull()) return;
    const pos = this.reserveEntry();
    this.buf.writeInt32BE(offset - this.baseOffset, pos);
    this.buf.writeInt32BE(position, pos + 4);
  }

  lastEntry(): OffsetPosition {
    this.ensureLoaded();
    if (this.count === 0) return { offset: this.baseOffset, position: 0 };
    const p = (this.count - 1) * 8;
    return { offset: this.baseOffset + this.buf.readInt32BE(p), position: this.buf.readInt32BE(p + 4) };
  }

  /** The entry with the largest offset <= `offset`, or (base, 0). */
  lookup(offset: number): OffsetPosition {
    const i = this.floorEntry(offset - this.baseOffset);
    if (i < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + this.buf.readInt32BE(i * 8), position: this.buf.readInt32BE(i * 8 + 4) };
  }

  /** Removes entries at or beyond byte `position` of the log (the log was truncated there). */
  truncateToPosition(position: number): void {
    this.ensureLoaded();
    let keep = this.count;
    while (keep > 0 && this.buf.readInt32BE((keep - 1) * 8 + 4) >= position) keep--;
    this.truncateEntries(keep);
  }

  /** Largest position recorded (for sanity checks against the log size). */
  lastPosition(): number {
    this.ensureLoaded();
    return this.count === 0 ? 0 : this.buf.readInt32BE((this.count - 1) * 8 + 4);
  }
}

export interface TimestampOffset {
  readonly timestamp: number;
  readonly offset: number;
}

export class TimeIndex extends IndexFile {
  static readonly ENTRY_SIZE = 12;

  constructor(path: string | undefined, baseOffset: number, maxIndexBytes: number, create: boolean) {
    super(path, baseOffset, maxIndexBytes, TimeIndex.ENTRY_SIZE, openIndexFd(path, create));
  }

  load(): boolean {
    if (!this.loadFromFile()) return false;
    for (let i = 1; i < this.count; i++) {
      if (this.keyAt(i) <= this.keyAt(i - 1)) return false;
      if (this.buf.readInt32BE(i * 12 + 8) < this.buf.readInt32BE((i - 1) * 12 + 8)) return false;
    }
    return true;
  }

  protected keyAt(i: number): number {
    const p = i * 12;
    return this.buf.readInt32BE(p) * 0x1_0000_0000 + this.buf.readUInt32BE(p + 4);
  }

  lastEntry(): TimestampOffset | undefined {
    this.ensureLoaded();
    if (this.count === 0) return undefined;
    return { timestamp: this.keyAt(this.count - 1), offset: this.baseOffset + this.buf.readInt32BE((this.count - 1) * 12 + 8) };
  }

  /** Appends (timestamp, offset) if the timestamp is larger than the last entry's and there is room. */
  maybeAppend(timestamp: number, offset: number): void {
    this.ensureLoaded();
    if (this.count > 0 && timestamp <= this.keyAt(this.count - 1)) return;
    if (this.isFull()) return;
    const pos = this.reserveEntry();
    const hi = Math.floor(timestamp / 0x1_0000_0000);
    this.buf.writeInt32BE(hi, pos);
    this.buf.writeUInt32BE(timestamp - hi * 0x1_0000_0000, pos + 4);
    this.buf.writeInt32BE(offset - this.baseOffset, pos + 8);
  }

  /** The entry with the largest timestamp <= `timestamp`, or (-1, base). */
  lookup(timestamp: number): TimestampOffset {
    const i = this.floorEntry(timestamp);
    if (i < 0) return { timestamp: -1, offset: this.baseOffset };
    return { timestamp: this.keyAt(i), offset: this.baseOffset + this.buf.readInt32BE(i * 12 + 8) };
  }

  /** Removes entries pointing at offsets >= `offset` (the log was truncated there). */
  truncateToOffset(offset: number): void {
    this.ensureLoaded();
    let keep = this.count;
    while (keep > 0 && this.baseOffset + this.buf.readInt32BE((keep - 1) * 12 + 8) >= offset) keep--;
    this.truncateEntries(keep);
  }
}
