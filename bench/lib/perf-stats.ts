/**
 * Statistics and output lines of Apache Kafka's kafka-producer-perf-test (ProducerPerformance.Stats):
 * a progress line per reporting window and a total line with latency percentiles, same fields and
 * number formats. Latencies are whole milliseconds, as Kafka's tool measures them; percentiles come
 * from an HDR histogram instead of Kafka's sampled array (same values at this resolution).
 */
import { LatencyHistogram } from './histogram.js';

export interface ProducerPerfSummary {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  elapsedMs: number;
}

export class ProducerStats {
  private readonly start = Date.now();
  private readonly hist = new LatencyHistogram();
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowStart = Date.now();
  private windowCount = 0;
  private windowBytes = 0;
  private windowMax = 0;
  private windowTotal = 0;

  constructor(
    private readonly reportingIntervalMs: number,
    private readonly print: (line: string) => void,
  ) {}

  record(latencyMs: number, bytes: number, now: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latencyMs;
    if (latencyMs > this.maxLatency) this.maxLatency = latencyMs;
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotal += latencyMs;
    if (latencyMs > this.windowMax) this.windowMax = latencyMs;
    this.hist.recordMicros(latencyMs * 1000);
    if (now - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow(now);
      this.windowStart = now;
      this.windowCount = this.windowBytes = this.windowMax = this.windowTotal = 0;
    }
  }

  get totalCount(): number {
    return this.count;
  }

  private printWindow(now: number): void {
    const elapsed = Math.max(1, now - this.windowStart);
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.print(
      `${this.windowCount} records sent, ${recsPerSec.toFixed(1)} records/sec (${mbPerSec.toFixed(2)} MB/sec), ` +
        `${(this.windowTotal / Math.max(1, this.windowCount)).toFixed(1)} ms avg latency, ${this.windowMax.toFixed(1)} ms max latency.`,
    );
  }

  /** Prints and returns the total line. */
  printTotal(): ProducerPerfSummary {
    const elapsedMs = Math.max(1, Date.now() - this.start);
    const s = this.hist.summary();
    const pct = (ms: number): number => Math.round(ms); // HDR keeps µs; Kafka's values are whole ms
    const summary: ProducerPerfSummary = {
      records: this.count,
      recordsPerSec: (1000 * this.count) / elapsedMs,
      mbPerSec: (1000 * this.bytes) / elapsedMs / (1024 * 1024),
      avgLatencyMs: this.count > 0 ? this.totalLatency / this.count : 0,
      maxLatencyMs: this.maxLatency,
      p50: pct(s.p50Ms),
      p95: pct(s.p95Ms),
      p99: pct(s.p99Ms),
      p999: pct(s.p999Ms),
      elapsedMs,
    };
    this.print(
      `${summary.records} records sent, ${summary.recordsPerSec.toFixed(1)} records/sec (${summary.mbPerSec.toFixed(2)} MB/sec), ` +
        `${summary.avgLatencyMs.toFixed(2)} ms avg latency, ${summary.maxLatencyMs.toFixed(2)} ms max latency, ` +
        `${summary.p50} ms 50th, ${summary.p95} ms 95th, ${summary.p99} ms 99th, ${summary.p999} ms 99.9th.`,
    );
    return summary;
  }
}

/** Kafka's ThroughputThrottler: keeps the average rate at `target` per second (≤ 0: unthrottled). */
export class Throttler {
  private readonly startMs = Date.now();
  constructor(private readonly target: number) {}

  /** Milliseconds to sleep before item `soFar` is sent (0 when on pace). */
  delayFor(soFar: number, nowMs: number): number {
    if (this.target <= 0) return 0;
    const dueMs = this.startMs + (soFar * 1000) / this.target;
    return dueMs > nowMs ? dueMs - nowMs : 0;
  }
}
