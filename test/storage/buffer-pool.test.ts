import { describe, expect, it } from 'vitest';
import { ReadBufferPool } from '../../src/storage/buffer-pool.js';
import { CacheCopier } from '../../src/storage/chunk-list.js';

describe('read buffer pool', () => {
  it('reuses a released large buffer, and only once per release', () => {
    const pool = new ReadBufferPool();
    const a = pool.take(1_000_000);
    expect(a.buf.length).toBe(1_000_000);
    a.release();
    a.release(); // idempotent: must not hand the same memory to two readers
    const b = pool.take(900_000);
    const c = pool.take(900_000);
    expect(b.buf.buffer).toBe(a.buf.buffer);
    expect(c.buf.buffer).not.toBe(a.buf.buffer);
  });

  it('never reuses buffers that were not released', () => {
    const pool = new ReadBufferPool();
    const a = pool.take(200_000);
    a.buf.fill(1);
    const b = pool.take(200_000);
    b.buf.fill(2);
    expect(a.buf.every((x) => x === 1)).toBe(true);
    const small = [pool.take(100), pool.take(100)];
    small[0]!.buf.fill(3);
    small[1]!.buf.fill(4);
    expect(small[0]!.buf.every((x) => x === 3)).toBe(true);
  });
});

describe('tail cache compaction', () => {
  it('copies small views of large allocations and keeps whole buffers as they are', () => {
    const copier = new CacheCopier();
    const compactForCache = (b: Buffer): Buffer => copier.keep(b);
    const frame = Buffer.allocUnsafeSlow(1 << 20);
    frame.fill(7);
    const slice = frame.subarray(1000, 3000);
    const kept = compactForCache(slice);
    expect(kept).not.toBe(slice);
    expect(kept.buffer.byteLength).toBe(64 * 1024); // a slab of its own, not the 1 MiB frame
    expect(kept.equals(slice)).toBe(true);
    const whole = Buffer.allocUnsafeSlow(50_000);
    expect(compactForCache(whole)).toBe(whole);
    const most = frame.subarray(0, 300_000); // over a quarter of its allocation: kept as is
    expect(compactForCache(most)).toBe(most);
    const part = frame.subarray(0, 200_000);
    expect(compactForCache(part)).not.toBe(part);
    const socketChunk = Buffer.allocUnsafeSlow(64 * 1024).subarray(100, 100 + 16_000); // 16 KB of a 64 KiB read
    expect(compactForCache(socketChunk)).toBe(socketChunk);
  });
});
