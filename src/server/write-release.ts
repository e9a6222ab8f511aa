/**
 * Response buffers whose memory goes back to a pool once the socket has written them.
 *
 * Fetch answers with record bytes read from segments into pooled buffers (../storage/buffer-pool.ts).
 * Without a release every 1 MiB fetch took fresh memory: the kernel zero-fills each new page and the
 * GC then collects the external buffers, which halved fetch throughput in `npm run bench`. A handler
 * registers the release against the buffer it puts in the response; the connection passes it to
 * socket.write as the callback, which runs when the kernel has the bytes. A registered buffer that is
 * never written (a discarded long-poll read, a closed connection) is simply garbage-collected.
 */
const releases = new WeakMap<Buffer, () => void>();

/** Calls `release` after `buf` has been written to a socket (at most once). */
export function releaseAfterWrite(buf: Buffer, release: () => void): void {
  releases.set(buf, release);
}

/** The release registered for `buf`, removed from the registry; undefined if none. */
export function takeWriteRelease(buf: Buffer): (() => void) | undefined {
  const release = releases.get(buf);
  if (release !== undefined) releases.delete(buf);
  return release;
}
