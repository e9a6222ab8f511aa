/**
 * The durable side of the coordinator: group metadata and committed offsets written to the compacted
 * internal topic `__consumer_offsets` as ordinary v2 record batches (keys and values in Kafka's formats,
 * ./records.ts), one partition per group (partitionForGroup), and replayed into memory on start.
 *
 * Appends are synchronous (storage writes to the page cache before returning), so a commit is
 * acknowledged only after its records are in the log: a process crash (SIGKILL) loses nothing that was
 * acknowledged. The topic is created on the first write with offsets.topic.num.partitions partitions.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { encodeRecordBatch, iterateRecordBatches } from '../../protocol/records/records.js';
import type { RecordInput } from '../../protocol/records/record.js';
import type { PartitionLog } from '../../storage/index.js';
import { decodeCoordinatorRecord, partitionForGroup, type CoordinatorRecord } from './records.js';

/** Where the log lives: the broker gives the partitions of __consumer_offsets. */
export interface OffsetsTopicAccess {
  /** Partition count of the topic (existing, or the one it will be created with). */
  partitions(): number;
  /** The partition's log; creates the topic when `create` and it is missing. */
  partition(index: number, create: boolean): PartitionLog | undefined;
}

export interface PendingRecord {
  readonly key: Buffer;
  /** null = tombstone */
  readonly value: Buffer | null;
}

export interface LoadStats {
  readonly records: number;
  readonly batches: number;
  readonly bytes: number;
  readonly skipped: number;
}

const READ_CHUNK = 4 << 20;

export class GroupLog {
  constructor(
    private readonly topic: OffsetsTopicAccess,
    private readonly now: () => number,
  ) {}

  /** Appends the records of one group as one batch. Returns NONE or the error the request reports. */
  append(groupId: string, records: readonly PendingRecord[]): number {
    if (records.length === 0) return ErrorCode.NONE;
    const log = this.topic.partition(partitionForGroup(groupId, this.topic.partitions()), true);
    if (log === undefined) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const timestamp = this.now();
    const inputs: RecordInput[] = records.map((r) => ({ key: r.key, value: r.value, timestamp }));
    const result = log.append(encodeRecordBatch({ records: inputs }), { origin: 'coordinator', now: timestamp });
    if (!result.ok) {
      // Kafka maps log-append failures of the offsets topic to these (GroupMetadataManager).
      return result.errorCode === ErrorCode.MESSAGE_TOO_LARGE || result.errorCode === ErrorCode.RECORD_LIST_TOO_LARGE
        ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE
        : ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    return ErrorCode.NONE;
  }

  /**
   * Replays every partition from its start, in offset order, handing each decoded record to `visit`.
   * A record that does not decode is skipped (counted), never fatal: the broker must come up.
   */
  load(visit: (record: CoordinatorRecord, timestamp: number) => void, onBadRecord: (err: Error) => void): LoadStats {
    let records = 0;
    let batches = 0;
    let bytes = 0;
    let skipped = 0;
    const count = this.topic.partitions();
    for (let p = 0; p < count; p++) {
      const log = this.topic.partition(p, false);
      if (log === undefined) continue;
      let offset = log.logStartOffset;
      while (offset < log.logEndOffset) {
        const read = log.read(offset, READ_CHUNK);
        if (read.errorCode !== ErrorCode.NONE || read.chunks.length === 0) break;
        let next = offset;
        try {
          for (const chunk of read.chunks) {
            for (const batch of iterateRecordBatches(chunk)) {
              batches++;
              bytes += batch.sizeInBytes;
              next = batch.baseOffset + batch.lastOffsetDelta + 1;
              if (batch.isControl) continue;
              for (const r of batch.records) {
                if (r.offset < offset) continue;
                if (r.key === null) {
                  skipped++;
                  continue;
                }
                try {
                  visit(decodeCoordinatorRecord(r.key, r.value), r.timestamp);
                  records++;
                } catch (err) {
                  skipped++;
                  onBadRecord(err as Error);
                }
              }
            }
          }
        } catch (err) {
          // A batch that does not decode (storage recovery truncates torn writes, so this is damage):
          // keep what was read before it and skip the rest of this partition rather than fail to start.
          onBadRecord(err as Error);
          skipped++;
          next = offset;
        } finally {
          read.release();
        }
        if (next <= offset) break;
        offset = next;
      }
    }
    return { records, batches, bytes, skipped };
  }
}
