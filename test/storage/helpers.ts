/** Shared helpers for storage tests: temp dirs, store factories, and reading a whole log back. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStorage } from '../../src/storage/index.js';
import type { PartitionLog, Storage, StorageOptions } from '../../src/storage/index.js';
import { batchSize } from '../../src/protocol/records/batch-header.js';

export function tempDir(prefix = 'brook-storage-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type Backend = 'disk' | 'disk-no-tail' | 'memory';

/** A store of the given backend; 'disk' turns the tail cache on (4 MiB), 'disk-no-tail' is the default (reads hit the segment files). */
export function makeStore(backend: Backend, dir: string | undefined, extra: Partial<StorageOptions> = {}): Storage {
  if (backend === 'memory') return openStorage({ memory: true, ...extra });
  return openStorage({ dataDir: dir!, tailCacheBytes: backend === 'disk-no-tail' ? 0 : 4 * 1024 * 1024, ...extra });
}

/** Every batch from `from` to the end, as separate Buffers, read with small fetches. */
export function readAllBatches(log: PartitionLog, from = log.logStartOffset, maxBytes = 64 * 1024): Buffer[] {
  const out: Buffer[] = [];
  let offset = from;
  while (offset < log.highWatermark) {
    const r = log.read(offset, maxBytes);
    if (r.errorCode !== 0) throw new Error(`read error ${r.errorCode} at ${offset}`);
    if (r.bytes === 0) throw new Error(`empty read at ${offset} below the high watermark ${log.highWatermark}`);
    const all = Buffer.concat(r.chunks);
    for (let p = 0; p < all.length; p += batchSize(all, p)) {
      const b = all.subarray(p, p + batchSize(all, p));
      out.push(b);
      offset = Number(b.readBigInt64BE(0)) + b.readInt32BE(23) + 1;
    }
  }
  return out;
}
