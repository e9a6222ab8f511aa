/**
 * Walks the record batches of a segment's .log file (batches back to back, see segment.ts) by
 * positional reads into one scratch window, without decoding records. Recovery checks every batch's
 * CRC (whole batch in the window); lookups from an index entry only need the 61-byte headers and read
 * smaller windows, since the target is usually near.
 */
import fs from 'node:fs';
import {
  checkBatch,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  RECORD_BATCH_HEADER_SIZE,
} from '../protocol/records/batch-header.js';

const SCAN_WINDOW = 1024 * 1024;
const HEADER_WINDOW = 16 * 1024;

/** The scan scratch buffer; reads are synchronous, so one per process is enough. */
const scratch = Buffer.allocUnsafeSlow(SCAN_WINDOW);

/** Why a scan stopped early. */
export type ScanStop = 'invalid' | 'truncated' | 'offset-order';

export interface ScanResult {
  readonly position: number;
  /** undefined: the walk reached `to`. */
  readonly stopped: ScanStop | undefined;
}

/**
 * Sees one structurally valid batch at `buf[off]` (file position `pos`, `size` bytes; the whole batch
 * is in `buf` when the scan checks CRCs). Returns false to stop the walk.
 */
export type BatchVisitor = (buf: Buffer, off: number, pos: number, size: number) => boolean;

/** Walks batches in [from, to) of the file `fd`; returns where the walk stopped and why. */
export function scanBatches(fd: number, from: number, to: number, crc: boolean, visit: BatchVisitor): ScanResult {
  let pos = from;
  let winStart = -1;
  let winLen = 0;
  const window = crc ? SCAN_WINDOW : HEADER_WINDOW;
  while (pos < to) {
    // Need at least the header in the window (and the whole batch when checking the CRC).
    if (winStart < 0 || pos + RECORD_BATCH_HEADER_SIZE > winStart + winLen) {
      winStart = pos;
      winLen = fs.readSync(fd, scratch, 0, Math.min(window, to - pos), pos);
    }
    let buf = scratch;
    let off = pos - winStart;
    if (to - pos < LOG_OVERHEAD) return { position: pos, stopped: 'truncated' };
    const size = LOG_OVERHEAD + scratch.readInt32BE(off + 8);
    if (size > to - pos) return { position: pos, stopped: 'truncated' };
    if (crc && pos + size > winStart + winLen) {
      if (size > SCAN_WINDOW) {
        buf = Buffer.allocUnsafe(size);
        fs.readSync(fd, buf, 0, size, pos);
      } else {
        winStart = pos;
        winLen = fs.readSync(fd, scratch, 0, Math.min(SCAN_WINDOW, to - pos), pos);
      }
      off = 0;
    }
    if (crc) {
      if (checkBatch(buf, off, off + size, true) !== undefined) return { position: pos, stopped: 'invalid' };
    } else if (size < RECORD_BATCH_HEADER_SIZE || buf.readInt8(off + MAGIC_OFFSET) !== MAGIC_V2) {
      return { position: pos, stopped: 'invalid' };
    }
    if (!visit(buf, off, pos, size)) return { position: pos, stopped: 'offset-order' };
    pos += size;
  }
  return { position: pos, stopped: undefined };
}
