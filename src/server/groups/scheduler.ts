/**
 * Time for the group coordinator: the clock and one-shot timers (session expiry, rebalance deadlines,
 * the initial rebalance delay, offset retention). The coordinator codes against `Scheduler` so unit
 * tests drive it with `ManualScheduler` (a fake clock advanced by hand) instead of waiting.
 */

export type Cancel = () => void;

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `delayMs`; the result cancels it (a no-op once it ran). */
  schedule(delayMs: number, fn: () => void): Cancel;
}

/** Real time: setTimeout, unref'd so a pending session timer never keeps a process alive. */
export class TimerScheduler implements Scheduler {
  private readonly live = new Set<NodeJS.Timeout>();

  constructor(private readonly clock: { now(): number } = { now: Date.now }) {}

  now(): number {
    return this.clock.now();
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    // Node clamps delays above 2^31-1 ms to 1 ms; a longer wait is simply "not in this process' life".
    const delay = Math.min(Math.max(0, delayMs), 0x7fffffff);
    const t = setTimeout(() => {
      this.live.delete(t);
      fn();
    }, delay);
    t.unref();
    this.live.add(t);
    return () => {
      clearTimeout(t);
      this.live.delete(t);
    };
  }

  /** Cancels every pending timer (shutdown). */
  cancelAll(): void {
    for (const t of this.live) clearTimeout(t);
    this.live.clear();
  }
}

/** A fake clock for tests: timers fire only inside `advance`, in deadline order. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const id = this.seq++;
    this.timers.set(id, { at: this.time + Math.max(0, delayMs), fn });
    return () => void this.timers.delete(id);
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= end && (t.at < nextAt || (t.at === nextAt && id < nextId))) {
          nextId = id;
          nextAt = t.at;
        }
      }
      if (nextId < 0) break;
      const t = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.time = Math.max(this.time, t.at);
      t.fn();
    }
    this.time = end;
  }

  /** Timers still pending. */
  get pending(): number {
    return this.timers.size;
  }
}
