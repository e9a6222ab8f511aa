/**
 * Latency histograms (HdrHistogram via hdr-histogram-js) recorded in microseconds, 3 significant digits.
 */
import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export class LatencyHistogram {
  private readonly h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000, // 10 minutes in µs
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Records one latency given in microseconds (clamped to ≥ 1 µs). */
  recordMicros(us: number): void {
    this.h.recordValue(us < 1 ? 1 : Math.round(us));
  }

  /** Records one latency from a process.hrtime.bigint() start stamp. */
  recordSince(startNs: bigint, nowNs: bigint = process.hrtime.bigint()): void {
    this.recordMicros(Number(nowNs - startNs) / 1000);
  }

  get count(): number {
    return this.h.totalCount;
  }

  summary(): LatencySummary {
    const ms = (us: number): number => us / 1000;
    return {
      count: this.h.totalCount,
      meanMs: ms(this.h.totalCount > 0 ? this.h.mean : 0),
      p50Ms: ms(this.h.getValueAtPercentile(50)),
      p95Ms: ms(this.h.getValueAtPercentile(95)),
      p99Ms: ms(this.h.getValueAtPercentile(99)),
      p999Ms: ms(this.h.getValueAtPercentile(99.9)),
      maxMs: ms(this.h.maxValue),
    };
  }

  reset(): void {
    this.h.reset();
  }
}
