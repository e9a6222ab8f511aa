/**
 * Total and usable bytes of the file system holding a directory (DescribeLogDirs v4+), from statfs.
 * -1 when they cannot be known (no data directory, or a platform/runtime without statfs).
 */
import fs from 'node:fs';

export interface DiskUsage {
  readonly totalBytes: bigint;
  readonly usableBytes: bigint;
}

export const UNKNOWN_USAGE: DiskUsage = { totalBytes: -1n, usableBytes: -1n };

type StatFs = (path: string, options: { bigint: true }) => { bsize: bigint; blocks: bigint; bavail: bigint };

export function diskUsage(dir: string | undefined): DiskUsage {
  const statfs = (fs as unknown as { statfsSync?: StatFs }).statfsSync;
  if (dir === undefined || typeof statfs !== 'function') return UNKNOWN_USAGE;
  try {
    const s = statfs(dir, { bigint: true });
    // bavail, not bfree: what a non-root process may still write (Java's FileStore.getUsableSpace).
    return { totalBytes: s.blocks * s.bsize, usableBytes: s.bavail * s.bsize };
  } catch {
    return UNKNOWN_USAGE;
  }
}
