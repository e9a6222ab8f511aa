/**
 * Write batching: appends made while a batch is open are queued per segment and reach the file in one
 * `writev` per segment, instead of one `write` each. The server keeps a batch open for the socket
 * reads of one event-loop turn (`batchUntilImmediate`), so the batches pipelining producers send to a
 * partition become one syscall (one writev of 4 x 16 KiB measured ~1.5x faster than four writes).
 *
 * Durability is unchanged: whoever sends a response calls `writeQueued()` first, so acknowledged data
 * is in the OS page cache before the acknowledgement, as with a plain write. Outside a batch, appends
 * write at once. Anything that reads or syncs a segment writes its queue first: readers never see a gap.
 *
 * A failed deferred write cannot un-build the responses already made: `writeFailures()` then moves on
 * and the server must not send responses built meanwhile (it closes those connections; the producer
 * retries and gets KAFKA_STORAGE_ERROR from the partition, offline until restart recovers its log).
 */

/** A segment with queued writes. */
export interface PendingWriter {
  /** Writes the queued bytes; throws if the write fails (the writer marks itself failed). */
  writePending(): void;
}

let depth = 0;
let failed = false;
/** Deferred writes that failed since the process started. */
let failures = 0;
let immediateBatch = false;
const pending = new Set<PendingWriter>();

/** True while a batch is open: appends may queue their writes. */
export function writeBatchOpen(): boolean {
  return depth > 0;
}

/** Called by a writer when it queues its first bytes in the open batch. */
export function registerPendingWriter(w: PendingWriter): void {
  pending.add(w);
}

/** A writer whose queued write failed outside endWriteBatch (e.g. a read made it write early). */
export function noteDeferredWriteFailure(): void {
  failures++;
  if (depth > 0) failed = true;
}

/** Count of failed deferred writes so far: a change means some answered appends never reached a file. */
export function writeFailures(): number {
  return failures;
}

/** Writes every queued append now (the batch stays open). Failures are counted (writeFailures). */
export function writeQueued(): void {
  if (pending.size === 0) return;
  for (const w of pending) {
    try {
      w.writePending();
    } catch {
      failed = true;
    }
  }
  pending.clear();
}

/**
 * Opens a batch, unless one is already open this way, that ends in a setImmediate callback: after
 * the I/O callbacks of the current event-loop turn.
 */
export function batchUntilImmediate(): void {
  if (immediateBatch) return;
  immediateBatch = true;
  beginWriteBatch();
  setImmediate(() => {
    immediateBatch = false;
    endWriteBatch();
  });
}

/** Opens a batch (nestable: only the outermost end writes). */
export function beginWriteBatch(): void {
  if (depth++ === 0) failed = false;
}

/**
 * Closes a batch: writes every queued segment. False if any deferred write made in the batch failed,
 * in which case the responses built for it must not be sent.
 */
export function endWriteBatch(): boolean {
  if (depth === 0) return true;
  if (--depth > 0) return true;
  writeQueued();
  const ok = !failed;
  failed = false;
  return ok;
}
