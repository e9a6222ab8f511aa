/**
 * One partition's producer state (Kafka's ProducerStateManager): per producer id its epoch, the last
 * five batches' sequence ranges with their offsets (duplicate detection), the coordinator epoch of its
 * last marker and the first offset of its open transaction; plus the partition's open transactions
 * (for the last stable offset) and its aborted transactions (for read_committed fetches).
 *
 * `check` runs before an append (after storage validated the batches) and decides per batch header,
 * as Kafka 4 does:
 *   - an epoch below the producer's current one: INVALID_PRODUCER_EPOCH;
 *   - a batch equal (same epoch, same first and last sequence) to one of the last five: a duplicate,
 *     answered with the original offsets and not appended again;
 *   - a new epoch must start at sequence 0; the same epoch must continue at last sequence + 1
 *     (wrapping at 2^31-1): OUT_OF_ORDER_SEQUENCE_NUMBER otherwise;
 *   - an unknown producer id (or one whose state expired) is accepted at any sequence (KIP-360), so
 *     UNKNOWN_PRODUCER_ID is never answered here;
 *   - a transaction marker older than the producer's epoch: INVALID_PRODUCER_EPOCH.
 * `apply` runs after the append (offsets assigned in the buffer) and during recovery, batch by batch.
 */
import { ErrorCode } from '../../protocol/errors.js';
import {
  RECORD_BATCH_HEADER_SIZE,
  batchBaseOffset,
  batchBaseSequence,
  batchIsControl,
  batchIsTransactional,
  batchLastOffsetDelta,
  batchMagic,
  batchMaxTimestamp,
  batchProducerEpoch,
  batchProducerId,
  batchSize,
  MAGIC_V2,
} from '../../protocol/records/batch-header.js';
import { ControlRecordType, parseControlRecordType } from '../../protocol/records/control.js';
import { readRecordBatch } from '../../protocol/records/records.js';

/** How many batches per producer are remembered for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const BATCHES_TO_RETAIN = 5;
const INT32_MAX = 0x7fffffff;

export interface BatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly timestamp: number;
}

export interface ProducerEntry {
  readonly producerId: number;
  epoch: number;
  /** Oldest first, at most BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
  /** Max timestamp of the producer's last batch or marker (expiration, DescribeProducers). */
  lastTimestamp: number;
  coordinatorEpoch: number;
  /** First offset of the producer's open transaction in this partition, -1 if none. */
  currentTxnFirstOffset: number;
}

/** An aborted transaction as Fetch reports it (with the marker's offset, to prune and bound the list). */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** What `check` decided for an append. */
export type CheckOutcome =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly batch: BatchMetadata }
  | { readonly kind: 'error'; readonly errorCode: number; readonly message: string };

const APPEND: CheckOutcome = { kind: 'append' };

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

function lastSeqOf(first: number, delta: number): number {
  const last = first + delta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

export class PartitionProducerState {
  readonly producers = new Map<number, ProducerEntry>();
  /** Open transactions: first offset → producer id (few at a time). */
  readonly ongoing = new Map<number, number>();
  /** Aborted transactions in marker order. */
  aborted: AbortedTxn[] = [];
  /** Changed since the last snapshot. */
  dirty = false;
  /** Called for each newly recorded aborted transaction, with the LSO once it ended (the .txnindex writer). */
  onAbort: ((a: AbortedTxn, lastStableOffset: number) => void) | undefined;

  /** Decides whether the batches of one append go in (see the file comment). */
  check(records: Buffer): CheckOutcome {
    let duplicate: BatchMetadata | undefined;
    for (let pos = 0; pos + RECORD_BATCH_HEADER_SIZE <= records.length; pos += batchSize(records, pos)) {
      if (batchMagic(records, pos) !== MAGIC_V2) continue;
      const pid = batchProducerId(records, pos);
      if (pid < 0) continue;
      const epoch = batchProducerEpoch(records, pos);
      const entry = this.producers.get(pid);
      if (batchIsControl(records, pos)) {
        // A marker from an older epoch than the producer's is stale (Kafka's appendEndTxnMarker).
        if (entry !== undefined && epoch < entry.epoch) {
          return { kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: `transaction marker epoch ${epoch} of producer ${pid} is older than ${entry.epoch}` };
        }
        continue;
      }
      const firstSeq = batchBaseSequence(records, pos);
      if (entry === undefined || entry.epoch < 0) continue; // unknown producer: any sequence (KIP-360)
      if (epoch < entry.epoch) {
        return {
          kind: 'error',
          errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
          message: `Epoch of producer ${pid} at offset ${batchBaseOffset(records, pos)} is ${epoch}, which is smaller than the last seen epoch ${entry.epoch}`,
        };
      }
      const lastSeq = lastSeqOf(firstSeq, batchLastOffsetDelta(records, pos));
      if (epoch === entry.epoch) {
        const dup = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
        if (dup !== undefined) {
          duplicate ??= dup;
          continue;
        }
        const prev = entry.batches.length > 0 ? entry.batches[entry.batches.length - 1]!.lastSeq : -1;
        if (!inSequence(prev, firstSeq)) {
          return {
            kind: 'error',
            errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message: `Out of order sequence number for producer ${pid} at offset ${batchBaseOffset(records, pos)}: ${firstSeq} (incoming seq. number), ${prev} (current end sequence number)`,
          };
        }
      } else if (firstSeq !== 0) {
        return {
          kind: 'error',
          errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `Invalid sequence number for new epoch of producer ${pid}: ${epoch} (request epoch), ${firstSeq} (seq. number), ${entry.epoch} (current producer epoch)`,
        };
      }
    }
    return duplicate !== undefined ? { kind: 'duplicate', batch: duplicate } : APPEND;
  }

  /** Records the batches of an append (their base offsets assigned) or of a recovery scan. */
  apply(records: Buffer, fromOffset = 0): void {
    for (let pos = 0; pos + RECORD_BATCH_HEADER_SIZE <= records.length; pos += batchSize(records, pos)) {
      if (batchMagic(records, pos) !== MAGIC_V2) continue;
      const pid = batchProducerId(records, pos);
      if (pid < 0) continue;
      const first = batchBaseOffset(records, pos);
      const last = first + batchLastOffsetDelta(records, pos);
      if (last < fromOffset) continue;
      this.applyBatch(records, pos, pid, first, last);
    }
  }

  private entry(pid: number): ProducerEntry {
    let e = this.producers.get(pid);
    if (e === undefined) {
      e = { producerId: pid, epoch: -1, batches: [], lastTimestamp: -1, coordinatorEpoch: -1, currentTxnFirstOffset: -1 };
      this.producers.set(pid, e);
    }
    return e;
  }

  private applyBatch(records: Buffer, pos: number, pid: number, first: number, last: number): void {
    this.dirty = true;
    const e = this.entry(pid);
    const epoch = batchProducerEpoch(records, pos);
    const timestamp = batchMaxTimestamp(records, pos);
    if (epoch !== e.epoch) {
      // A new epoch forgets the old epoch's sequences (Kafka's maybeUpdateProducerEpoch).
      if (epoch > e.epoch) e.batches = [];
      e.epoch = Math.max(epoch, e.epoch);
    }
    if (timestamp > e.lastTimestamp) e.lastTimestamp = timestamp;
    if (batchIsControl(records, pos)) {
      let type: number;
      let coordinatorEpoch = -1;
      try {
        const rec = readRecordBatch(records, pos, { verifyCrc: false }).records().next().value;
        type = parseControlRecordType(rec?.key ?? null);
        if (rec?.value && rec.value.length >= 6) coordinatorEpoch = rec.value.readInt32BE(2);
      } catch {
        return; // an unreadable control record ends nothing
      }
      if (type !== ControlRecordType.Abort && type !== ControlRecordType.Commit) return;
      e.coordinatorEpoch = coordinatorEpoch;
      if (e.currentTxnFirstOffset >= 0) {
        this.ongoing.delete(e.currentTxnFirstOffset);
        if (type === ControlRecordType.Abort) this.recordAbort({ producerId: pid, firstOffset: e.currentTxnFirstOffset, lastOffset: first });
        e.currentTxnFirstOffset = -1;
      }
      return;
    }
    e.batches.push({ firstSeq: batchBaseSequence(records, pos), lastSeq: lastSeqOf(batchBaseSequence(records, pos), last - first), firstOffset: first, lastOffset: last, timestamp });
    if (e.batches.length > BATCHES_TO_RETAIN) e.batches.shift();
    if (batchIsTransactional(records, pos) && e.currentTxnFirstOffset < 0) {
      e.currentTxnFirstOffset = first;
      this.ongoing.set(first, pid);
    }
  }

  /** Adds an aborted transaction in marker order, unless known already (the index had it before a replay). */
  private recordAbort(a: AbortedTxn): void {
    const list = this.aborted;
    let i = list.length;
    while (i > 0 && list[i - 1]!.lastOffset > a.lastOffset) i--;
    if (i > 0 && list[i - 1]!.lastOffset === a.lastOffset && list[i - 1]!.producerId === a.producerId) return;
    list.splice(i, 0, a);
    this.onAbort?.(a, this.firstUnstableOffset() ?? a.lastOffset + 1);
  }

  /** First offset of the oldest open transaction, or undefined (the LSO is then the high watermark). */
  firstUnstableOffset(): number | undefined {
    let min: number | undefined;
    for (const first of this.ongoing.keys()) if (min === undefined || first < min) min = first;
    return min;
  }

  /** The last stable offset given the high watermark. */
  lastStableOffset(highWatermark: number): number {
    const f = this.firstUnstableOffset();
    return f === undefined ? highWatermark : Math.min(f, highWatermark);
  }

  /** Aborted transactions that overlap [from, to) (Kafka's collectAbortedTransactions). */
  abortedBetween(from: number, to: number): AbortedTxn[] {
    // Markers are appended in offset order, so lastOffset ascends: skip the ones that end before `from`.
    const list = this.aborted;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.lastOffset < from) lo = mid + 1;
      else hi = mid;
    }
    const out: AbortedTxn[] = [];
    for (let i = lo; i < list.length; i++) if (list[i]!.firstOffset < to) out.push(list[i]!);
    return out;
  }

  /** Drops what lies wholly below the log start offset. */
  pruneBelow(logStartOffset: number): void {
    if (this.aborted.length > 0 && this.aborted[0]!.lastOffset < logStartOffset) {
      this.aborted = this.aborted.filter((a) => a.lastOffset >= logStartOffset);
    }
  }

  /** producer.id.expiration.ms: forgets idle producers without an open transaction. */
  expire(now: number, expirationMs: number): number {
    let n = 0;
    for (const [pid, e] of this.producers) {
      if (e.currentTxnFirstOffset < 0 && e.lastTimestamp >= 0 && now - e.lastTimestamp >= expirationMs) {
        this.producers.delete(pid);
        n++;
      }
    }
    if (n > 0) this.dirty = true;
    return n;
  }
}
