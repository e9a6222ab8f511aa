/**
 * Fetch long polls (Kafka's DelayedFetch): a fetch that found fewer than min_bytes waits until appends
 * to its partitions make up the difference, max_wait_ms passes, or the broker shuts down.
 *
 * One listener on storage's append hook serves every waiting fetch: an append to a log wakes only the
 * fetches watching that log, and each asks that partition how many bytes it could now return (below
 * the high watermark or, for read_committed, the last stable offset, so an open transaction does not
 * wake it; at most the partition's limit). The fetch completes once the sum reaches min_bytes, or at
 * once when a partition answers an error (e.g. its offset fell out of range). The caller then reads
 * again, so what it answers is always fresh.
 */
import type { PartitionLog } from '../../storage/index.js';
import type { BrokerContext } from '../handler.js';

export interface WatchedPartition {
  readonly log: PartitionLog;
  /** Bytes the first read found for this partition. */
  readonly initialBytes: number;
  /** Bytes the fetch could return from this partition now (Infinity: answer at once, e.g. an error). */
  available(): number;
}

export interface WaitOptions {
  readonly partitions: readonly WatchedPartition[];
  readonly minBytes: number;
  readonly maxWaitMs: number;
}

/** Why the wait ended. */
export type WaitOutcome = 'data' | 'timeout' | 'shutdown';

class Waiting {
  private readonly current = new Map<PartitionLog, number>();
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  settled = false;

  constructor(
    readonly options: WaitOptions,
    private readonly resolve: (outcome: WaitOutcome) => void,
    private readonly onSettle: (w: Waiting) => void,
  ) {
    for (const p of options.partitions) {
      this.current.set(p.log, p.initialBytes);
      this.total += p.initialBytes;
    }
    this.timer = setTimeout(() => this.settle('timeout'), Math.min(Math.max(options.maxWaitMs, 0), 0x7fffffff));
  }

  appended(p: WatchedPartition): void {
    if (this.settled) return;
    let now: number;
    try {
      now = p.available();
    } catch {
      now = Infinity; // never let a wake-up fail the append that caused it; the fetch's re-read reports it
    }
    this.total += now - this.current.get(p.log)!;
    this.current.set(p.log, now);
    if (this.total >= this.options.minBytes) this.settle('data');
  }

  settle(outcome: WaitOutcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.onSettle(this);
    this.resolve(outcome);
  }
}

export class FetchWaiter {
  private readonly byLog = new Map<PartitionLog, Map<Waiting, WatchedPartition>>();
  private readonly all = new Set<Waiting>();
  private unsubscribe: (() => void) | undefined;
  private readonly onAbort = (): void => {
    for (const w of [...this.all]) w.settle('shutdown');
  };

  constructor(private readonly broker: BrokerContext) {}

  static of(broker: BrokerContext): FetchWaiter {
    return broker.service('brook.fetch.waiter', (b) => new FetchWaiter(b));
  }

  /** Fetches waiting now. */
  get waiting(): number {
    return this.all.size;
  }

  /** Waits until the partitions have min_bytes to give, the wait times out, or shutdown begins. */
  wait(options: WaitOptions): Promise<WaitOutcome> {
    if (this.broker.signal.aborted) return Promise.resolve('shutdown');
    if (options.maxWaitMs <= 0 || options.partitions.length === 0) return Promise.resolve('timeout');
    this.ensureSubscribed();
    return new Promise<WaitOutcome>((resolve) => {
      const w = new Waiting(options, resolve, (done) => this.remove(done));
      this.all.add(w);
      for (const p of options.partitions) {
        let set = this.byLog.get(p.log);
        if (set === undefined) this.byLog.set(p.log, (set = new Map()));
        set.set(w, p);
      }
    });
  }

  /** Ends every wait now (also done when the broker's signal aborts). */
  close(): void {
    this.onAbort();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.broker.signal.removeEventListener('abort', this.onAbort);
  }

  private ensureSubscribed(): void {
    if (this.unsubscribe !== undefined) return;
    this.unsubscribe = this.broker.storage.onAppend((log) => {
      const set = this.byLog.get(log);
      if (set === undefined) return;
      for (const [w, p] of set) w.appended(p);
    });
    this.broker.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  private remove(w: Waiting): void {
    this.all.delete(w);
    for (const p of w.options.partitions) {
      const set = this.byLog.get(p.log);
      if (set === undefined) continue;
      set.delete(w);
      if (set.size === 0) this.byLog.delete(p.log);
    }
  }
}
