/**
 * Fetch long polls (Kafka's DelayedFetch): a fetch that found fewer than min_bytes waits until appends
 * to its partitions make up the difference, max_wait_ms passes, or the broker shuts down.
 *
 * One listener on storage's append hook serves every waiting fetch: an append to a log wakes only the
 * fetches watching that log. A fetch counts the bytes appended since it started waiting (growth of the
 * log's size, capped at its per-partition limit) on top of what its first read found; it completes
 * once that reaches min_bytes. The caller then reads again, so what it answers is always fresh.
 */
import type { PartitionLog } from '../../storage/index.js';
import type { BrokerContext } from '../handler.js';

export interface WatchedPartition {
  readonly log: PartitionLog;
  /** Most bytes this partition can add to the response (its partition_max_bytes, or the response limit). */
  readonly limit: number;
}

export interface WaitOptions {
  readonly partitions: readonly WatchedPartition[];
  /** Bytes the first read already found. */
  readonly readBytes: number;
  readonly minBytes: number;
  readonly maxWaitMs: number;
}

/** Why the wait ended. */
export type WaitOutcome = 'data' | 'timeout' | 'shutdown';

class Waiting {
  private readonly sizeAtStart = new Map<PartitionLog, number>();
  private readonly grown = new Map<PartitionLog, number>();
  private grownTotal = 0;
  private timer: NodeJS.Timeout | undefined;
  settled = false;

  constructor(
    readonly options: WaitOptions,
    private readonly resolve: (outcome: WaitOutcome) => void,
    private readonly onSettle: (w: Waiting) => void,
  ) {
    for (const p of options.partitions) this.sizeAtStart.set(p.log, p.log.sizeInBytes());
    this.timer = setTimeout(() => this.settle('timeout'), Math.min(Math.max(options.maxWaitMs, 0), 0x7fffffff));
  }

  appended(log: PartitionLog, limit: number): void {
    if (this.settled) return;
    const growth = Math.min(Math.max(log.sizeInBytes() - this.sizeAtStart.get(log)!, 0), limit);
    this.grownTotal += growth - (this.grown.get(log) ?? 0);
    this.grown.set(log, growth);
    if (this.options.readBytes + this.grownTotal >= this.options.minBytes) this.settle('data');
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
  private readonly byLog = new Map<PartitionLog, Map<Waiting, number>>();
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
        set.set(w, p.limit);
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
      for (const [w, limit] of set) w.appended(log, limit);
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
