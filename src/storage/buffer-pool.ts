/**
 * Read buffers for segment reads.
 *
 * Small reads are carved from 1 MiB slabs that are never reused: once every view into a slab is gone
 * the GC frees it, so views handed to async socket writes are always safe.
 *
 * Large reads (>= 64 KiB, e.g. 1 MiB fetches) come from power-of-two size classes with free lists,
 * because fresh memory is expensive to fill: the kernel faults in and zeroes every page on first
 * touch, which made 1 MiB reads into new buffers 3-5x slower than into a warm one. The caller gives
 * a buffer back with `release()` once nothing reads it any more (e.g. in the socket write callback);
 * a buffer never released is simply garbage-collected, so forgetting is safe, releasing early is not.
 */
const SLAB_SIZE = 1024 * 1024;
const ALIGN = 8;
const MIN_POOLED = 64 * 1024;
const MAX_POOLED = 16 * 1024 * 1024;
/** Bytes kept in free lists across all classes. */
const MAX_FREE_BYTES = 64 * 1024 * 1024;

export interface PooledRead {
  /** Exactly the requested size (a view into the pooled backing buffer). */
  readonly buf: Buffer;
  /** Returns the backing buffer to the pool; idempotent. */
  readonly release: () => void;
}

const noop = (): void => {};

/** Counters of the large-buffer classes, for tests and diagnostics. */
export interface PoolStats {
  /** Pooled takes served by a released buffer. */
  readonly reused: number;
  /** Pooled takes that needed fresh memory. */
  readonly allocated: number;
  /** Buffers given back with release(). */
  readonly released: number;
}

export class ReadBufferPool {
  private slab: Buffer = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private used = 0;
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;
  private counts = { reused: 0, allocated: 0, released: 0 };

  stats(): PoolStats {
    return { ...this.counts };
  }

  /** A buffer of exactly `size` bytes (contents undefined), with its release function. */
  take(size: number): PooledRead {
    if (size >= MIN_POOLED && size <= MAX_POOLED) return this.takePooled(size);
    if (size > SLAB_SIZE / 4) return { buf: Buffer.allocUnsafeSlow(size), release: noop };
    if (this.used + size > SLAB_SIZE) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.used = 0;
    }
    const buf = this.slab.subarray(this.used, this.used + size);
    this.used += (size + ALIGN - 1) & ~(ALIGN - 1);
    return { buf, release: noop };
  }

  private takePooled(size: number): PooledRead {
    let cls = MIN_POOLED;
    while (cls < size) cls *= 2;
    const list = this.free.get(cls);
    let backing = list?.pop();
    if (backing !== undefined) {
      this.freeBytes -= cls;
      this.counts.reused++;
    } else {
      backing = Buffer.allocUnsafeSlow(cls);
      this.counts.allocated++;
    }
    let released = false;
    const b = backing;
    return {
      buf: b.subarray(0, size),
      release: () => {
        if (released) return;
        released = true;
        this.counts.released++;
        if (this.freeBytes + cls > MAX_FREE_BYTES) return;
        let l = this.free.get(cls);
        if (l === undefined) this.free.set(cls, (l = []));
        l.push(b);
        this.freeBytes += cls;
      },
    };
  }
}

/** One pool per process is enough: reads are synchronous. */
export const readBufferPool = new ReadBufferPool();
