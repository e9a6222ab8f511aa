/**
 * Load-generator workers: one per connection, many requests in flight. Produce workers send
 * pre-encoded frames; fetch workers encode a small Fetch request per send and count what comes back
 * by walking batch headers only (no record decoding). With `rate`, sends are paced to that many per
 * second (catching up after a late timer, never more than `depth` in flight); latency is from the
 * moment a request is handed to the socket to its response, as Kafka's perf tools measure it, so the
 * load generator's own timer jitter on this shared machine is not charged to the broker. A run whose
 * achieved rate falls short of the offered one shows it in requests/s.
 */
import { decodeResponseFrame, encodeRequestFrame, defaultValue } from '../../src/protocol/codec.js';
import { api as produceApi } from '../../src/protocol/messages/00-produce.js';
import { api as fetchApi } from '../../src/protocol/messages/01-fetch.js';
import { LatencyHistogram } from './histogram.js';
import type { ProduceFrame } from './batches.js';
import type { WireConnection } from './wire.js';

/** Counters shared by the workers of one side (produce or fetch). */
export class SideStats {
  measuring = false;
  bytes = 0;
  records = 0;
  requests = 0;
  errors = 0;
  firstError: string | null = null;
  readonly latency = new LatencyHistogram();

  complete(bytes: number, records: number, startNs: bigint, nowNs: bigint): void {
    if (!this.measuring) return;
    this.bytes += bytes;
    this.records += records;
    this.requests++;
    this.latency.recordSince(startNs, nowNs);
  }

  error(message: string): void {
    this.errors++;
    this.firstError ??= message;
  }
}

export interface Pacing {
  /** Requests per second for this worker; 0 = as fast as the in-flight limit allows. */
  rate: number;
  depth: number;
}

abstract class Worker {
  protected stopped = false;
  protected sent = 0;
  private startNs = 0n;
  private timer: NodeJS.Timeout | null = null;
  private idle: (() => void) | null = null;

  constructor(
    protected readonly conn: WireConnection,
    protected readonly stats: SideStats,
    protected readonly pacing: Pacing,
  ) {}

  /** Sends one request now; its latency counts from `intendedNs` (the send time). */
  protected abstract sendOne(intendedNs: bigint): void;

  start(): void {
    this.startNs = process.hrtime.bigint();
    if (this.pacing.rate > 0) this.timer = setInterval(() => this.pump(), 1);
    this.pump();
  }

  /** Stops sending; resolves when every request in flight is answered. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.conn.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  protected pump(): void {
    const { depth, rate } = this.pacing;
    while (!this.stopped && this.conn.inFlight < depth) {
      const now = process.hrtime.bigint();
      if (rate > 0 && this.startNs + BigInt(Math.round((this.sent * 1e9) / rate)) > now) return;
      this.sent++;
      this.sendOne(now);
    }
  }

  protected answered(): void {
    if (this.stopped) {
      if (this.conn.inFlight === 0 && this.idle !== null) this.idle();
      return;
    }
    this.pump();
  }
}

/** Produce with acks 1 / -1: a response per request. */
export class ProduceWorker extends Worker {
  private next = 0;

  constructor(
    conn: WireConnection,
    stats: SideStats,
    pacing: Pacing,
    private readonly frames: readonly ProduceFrame[],
    private readonly version: number,
  ) {
    super(conn, stats, pacing);
  }

  protected sendOne(intendedNs: bigint): void {
    const f = this.frames[this.next]!;
    this.next = (this.next + 1) % this.frames.length;
    f.beforeSend?.();
    this.conn.sendFrame(f.frame, f.correlationId, (res) => {
      const now = process.hrtime.bigint();
      if (res instanceof Error) this.stats.error(res.message);
      else {
        const err = produceError(res, this.version);
        if (err === null) this.stats.complete(f.batchBytes, f.records, intendedNs, now);
        else this.stats.error(err);
      }
      this.answered();
    });
  }
}

function produceError(frame: Buffer, version: number): string | null {
  const { body } = decodeResponseFrame(produceApi, version, frame);
  for (const t of body.responses) {
    for (const p of t.partitionResponses) {
      if (p.errorCode !== 0) return `produce ${t.name}-${p.index}: error ${p.errorCode} ${p.errorMessage ?? ''}`;
    }
  }
  return null;
}

/**
 * Produce with acks=0: no responses, so the socket's back-pressure paces the sender. Counts bytes as
 * written; the caller ends the window with a barrier request (answered after everything before it).
 */
export async function produceNoAcks(conn: WireConnection, stats: SideStats, frames: readonly ProduceFrame[], until: () => boolean): Promise<void> {
  let next = 0;
  while (!until()) {
    const f = frames[next]!;
    next = (next + 1) % frames.length;
    f.beforeSend?.();
    const ok = conn.sendFrame(f.frame, f.correlationId, null);
    if (stats.measuring) {
      stats.bytes += f.batchBytes;
      stats.records += f.records;
      stats.requests++;
    }
    if (!ok) await conn.drained();
  }
}

export interface FetchTarget {
  topic: string;
  partitions: number;
  /** Offsets [0, end) of each partition hold data to read (the cursor wraps around). */
  endOffsets: readonly number[];
  /** Records per stored batch and bytes per stored batch (uniform; to step the cursors). */
  recordsPerBatch: number;
  batchBytes: number;
  partitionMaxBytes: number;
}

/** Fetches already-written data, one partition per request, cursors stepping ahead as requests leave. */
export class FetchWorker extends Worker {
  private readonly cursors: number[];
  private nextPartition: number;
  private readonly step: number;

  constructor(
    conn: WireConnection,
    stats: SideStats,
    pacing: Pacing,
    private readonly target: FetchTarget,
    private readonly version: number,
    workerIndex: number,
    workers: number,
  ) {
    super(conn, stats, pacing);
    // Each worker starts at a different place so several connections do not read in lock step.
    this.cursors = target.endOffsets.map((end) => {
      const batches = Math.floor(end / target.recordsPerBatch);
      return Math.floor((batches * workerIndex) / workers) * target.recordsPerBatch;
    });
    this.nextPartition = workerIndex % target.partitions;
    this.step = Math.max(1, Math.floor(target.partitionMaxBytes / target.batchBytes)) * target.recordsPerBatch;
  }

  protected sendOne(intendedNs: bigint): void {
    const t = this.target;
    const partition = this.nextPartition;
    this.nextPartition = (partition + 1) % t.partitions;
    const offset = this.cursors[partition]!;
    const end = t.endOffsets[partition]!;
    this.cursors[partition] = offset + this.step >= end ? 0 : offset + this.step;

    const body = defaultValue(fetchApi.request, this.version);
    body.replicaId = -1;
    body.maxWaitMs = 500;
    body.minBytes = 1;
    body.maxBytes = 64 * 1024 * 1024;
    body.topics = [
      {
        topic: t.topic,
        partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: t.partitionMaxBytes }],
      },
    ] as typeof body.topics;
    const correlationId = this.conn.takeCorrelationId();
    const frame = encodeRequestFrame(fetchApi, this.version, { correlationId, clientId: 'brook-load' }, body);
    this.conn.sendFrame(frame, correlationId, (res) => {
      const now = process.hrtime.bigint();
      if (res instanceof Error) this.stats.error(res.message);
      else this.onResponse(res, intendedNs, now);
      this.answered();
    });
  }

  private onResponse(frame: Buffer, intendedNs: bigint, now: bigint): void {
    const { body } = decodeResponseFrame(fetchApi, this.version, frame);
    if (body.errorCode !== 0) return this.stats.error(`fetch: error ${body.errorCode}`);
    let bytes = 0;
    let records = 0;
    for (const t of body.responses) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) return this.stats.error(`fetch ${t.topic}-${p.partitionIndex}: error ${p.errorCode}`);
        const r = p.records as Buffer | null;
        if (r === null) continue;
        const counted = countBatches(r);
        bytes += counted.bytes;
        records += counted.records;
      }
    }
    this.stats.complete(bytes, records, intendedNs, now);
  }
}

/** Complete batches in a fetched records buffer (a trailing partial batch is not counted). */
export function countBatches(buf: Buffer): { bytes: number; records: number } {
  let pos = 0;
  let records = 0;
  while (pos + 61 <= buf.length) {
    const size = 12 + buf.readInt32BE(pos + 8);
    if (pos + size > buf.length) break;
    records += buf.readInt32BE(pos + 57);
    pos += size;
  }
  return { bytes: pos, records };
}
