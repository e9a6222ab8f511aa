/**
 * Read buffers carved from 1 MiB slabs, so a fetch of many small ranges costs no allocation each.
 * A slab is never reused: once every view into it is gone (written to the socket and dropped) the GC
 * frees it. That keeps views handed to async socket writes safe without any release protocol.
 */
const SLAB_SIZE = 1024 * 1024;
const ALIGN = 8;

export class ReadBufferPool {
  private slab: Buffer = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private used = 0;

  /** A buffer of exactly `size` bytes (contents undefined). */
  take(size: number): Buffer {
    if (size > SLAB_SIZE / 4) return Buffer.allocUnsafeSlow(size);
    if (this.used + size > SLAB_SIZE) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.used = 0;
    }
    const b = this.slab.subarray(this.used, this.used + size);
    this.used += (size + ALIGN - 1) & ~(ALIGN - 1);
    return b;
  }

  /** Gives back the unused end of the buffer most recently taken (when a read came back short). */
  shrinkLast(taken: Buffer, keep: number): Buffer {
    const start = taken.byteOffset - this.slab.byteOffset;
    if (taken.buffer === this.slab.buffer && start + ((taken.length + ALIGN - 1) & ~(ALIGN - 1)) === this.used) {
      this.used = start + ((keep + ALIGN - 1) & ~(ALIGN - 1));
    }
    return taken.subarray(0, keep);
  }
}

/** One pool per process is enough: reads are synchronous. */
export const readBufferPool = new ReadBufferPool();
