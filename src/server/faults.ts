/**
 * Fault injection for test harnesses: make the broker lose a response, drop a connection, or answer late,
 * for chosen API keys, a chosen number of times. Each broker has its own `faults`; rules apply to
 * requests received after they are added. Used e.g. to test that idempotent producers retry without
 * duplicating: `broker.faults.closeAfterHandling(0)` appends a Produce, then drops the connection
 * instead of acknowledging it.
 */

export type FaultAction =
  /** Handle the request, never send its response; the connection stays open. */
  | 'drop-response'
  /** Handle the request, then close the connection instead of responding. */
  | 'close-after-handling'
  /** Close the connection on receipt, without handling the request. */
  | 'close-before-handling'
  /** Handle the request, send the response `delayMs` later. */
  | 'delay-response';

export interface FaultRule {
  /** API key the rule applies to; undefined matches every request. */
  readonly apiKey?: number;
  readonly action: FaultAction;
  /** How many requests it applies to (default 1; Infinity for "until cleared"). */
  readonly times?: number;
  readonly delayMs?: number;
}

interface LiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

export class Faults {
  private rules: LiveRule[] = [];

  inject(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  dropResponseAfterHandling(apiKey: number, times = 1): void {
    this.inject({ apiKey, action: 'drop-response', times });
  }

  closeAfterHandling(apiKey: number, times = 1): void {
    this.inject({ apiKey, action: 'close-after-handling', times });
  }

  closeBeforeHandling(apiKey: number, times = 1): void {
    this.inject({ apiKey, action: 'close-before-handling', times });
  }

  delayResponse(apiKey: number, delayMs: number, times = 1): void {
    this.inject({ apiKey, action: 'delay-response', delayMs, times });
  }

  clear(): void {
    this.rules = [];
  }

  /** Whether any rule is active (lets the connection skip the lookup on the hot path). */
  get active(): boolean {
    return this.rules.length > 0;
  }

  /** Consumes and returns the first rule matching this request, if any. */
  take(apiKey: number): FaultRule | undefined {
    const i = this.rules.findIndex((r) => r.rule.apiKey === undefined || r.rule.apiKey === apiKey);
    if (i < 0) return undefined;
    const live = this.rules[i]!;
    if (--live.remaining <= 0) this.rules.splice(i, 1);
    return live.rule;
  }
}
