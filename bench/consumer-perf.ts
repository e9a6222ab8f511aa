/**
 * consumer-perf: Apache Kafka's kafka-consumer-perf-test for any Kafka broker, driven by a real client.
 * Same flags and summary columns:
 *
 *   npm run consumer-perf -- --bootstrap-server localhost:9092 --topic t --messages 1000000 [--group g]
 *
 *   start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 *   rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
 *
 * With a group (the default, as Kafka's tool: perf-consumer-NNNNN) it runs a kafkajs consumer in that
 * group, and rebalance.time.ms is the time to join it. --no-group (a Brook extension, for brokers
 * without consumer groups) reads every partition with plain Fetch requests from this tool's own wire
 * client, records decoded as a client does; rebalance.time.ms is then 0. The group mode falls back to
 * it, with a note on stderr, when the broker does not offer JoinGroup.
 * Other flags: --fetch-size, --from-latest, --timeout (ms between records, default 10000),
 * --reporting-interval, --show-detailed-stats, --hide-header, --date-format (yyyy MM dd HH mm ss SSS),
 * --consumer.config (client.id, max.partition.fetch.bytes), --print-metrics (ignored).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { apiVersions, endOffsets, ensureTopic, pick } from './lib/admin.js';
import { Args, parseProps } from './lib/args.js';
import { registerKafkajsCodecs } from './lib/kafkajs-codecs.js';
import { WireConnection, parseBootstrap } from './lib/wire.js';
import { decodeRecordBatches } from '../src/protocol/records/records.js';
import { defaultValue, decodeResponseFrame, encodeRequestFrame } from '../src/protocol/codec.js';
import { api as fetchApi } from '../src/protocol/messages/01-fetch.js';
import { api as listOffsetsApi } from '../src/protocol/messages/02-list-offsets.js';

export interface ConsumerPerfOptions {
  bootstrap: string;
  topic: string;
  messages: number;
  group: string | null;
  fetchSize: number;
  fromLatest: boolean;
  timeoutMs: number;
  reportingIntervalMs: number;
  showDetailedStats: boolean;
  hideHeader: boolean;
  dateFormat: string;
  clientId: string;
  print?: (line: string) => void;
}

export interface ConsumerPerfSummary {
  messages: number;
  mb: number;
  mbPerSec: number;
  msgPerSec: number;
  rebalanceMs: number;
  fetchMs: number;
  fetchMbPerSec: number;
  fetchMsgPerSec: number;
  mode: 'group' | 'no-group';
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The subset of java.text.SimpleDateFormat that Kafka's default pattern uses. */
export function formatDate(ms: number, pattern: string): string {
  const d = new Date(ms);
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss|SSS/g, (t) => {
    switch (t) {
      case 'yyyy':
        return String(d.getFullYear());
      case 'MM':
        return pad(d.getMonth() + 1);
      case 'dd':
        return pad(d.getDate());
      case 'HH':
        return pad(d.getHours());
      case 'mm':
        return pad(d.getMinutes());
      case 'ss':
        return pad(d.getSeconds());
      default:
        return pad(d.getMilliseconds(), 3);
    }
  });
}

export const HEADER =
  'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DETAILED_HEADER =
  'time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

class Progress {
  bytes = 0;
  messages = 0;
  lastBytes = 0;
  lastMessages = 0;
  lastReport = Date.now();
  lastConsumed = Date.now();
  joinInRound = 0;

  constructor(private readonly o: ConsumerPerfOptions, private readonly print: (l: string) => void) {}

  add(messages: number, bytes: number): void {
    const now = Date.now();
    this.messages += messages;
    this.bytes += bytes;
    if (messages > 0) this.lastConsumed = now;
    if (now - this.lastReport >= this.o.reportingIntervalMs) {
      if (this.o.showDetailedStats) this.printProgress(now);
      this.joinInRound = 0;
      this.lastReport = now;
      this.lastMessages = this.messages;
      this.lastBytes = this.bytes;
    }
  }

  private printProgress(now: number): void {
    const elapsed = now - this.lastReport;
    const totalMb = this.bytes / (1024 * 1024);
    const intervalMb = (this.bytes - this.lastBytes) / (1024 * 1024);
    const fetchMs = elapsed - this.joinInRound;
    const msgs = this.messages - this.lastMessages;
    this.print(
      `${formatDate(now, this.o.dateFormat)}, 0, ${totalMb.toFixed(4)}, ${((1000 * intervalMb) / elapsed).toFixed(4)}, ${this.messages}, ` +
        `${((msgs / elapsed) * 1000).toFixed(4)}, ${this.joinInRound}, ${fetchMs}, ` +
        `${(fetchMs <= 0 ? 0 : (1000 * intervalMb) / fetchMs).toFixed(4)}, ${(fetchMs <= 0 ? 0 : (1000 * msgs) / fetchMs).toFixed(4)}`,
    );
  }

  done(): boolean {
    return this.messages >= this.o.messages;
  }

  timedOut(): boolean {
    return Date.now() - this.lastConsumed > this.o.timeoutMs;
  }
}

const recordBytes = (key: Buffer | null, value: Buffer | null): number => (key?.length ?? 0) + (value?.length ?? 0);

async function consumeWithGroup(o: ConsumerPerfOptions, p: Progress): Promise<number> {
  registerKafkajsCodecs();
  const kafka = new kafkajs.Kafka({ clientId: o.clientId, brokers: o.bootstrap.split(','), logLevel: kafkajs.logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: o.group!, maxBytesPerPartition: o.fetchSize, maxWaitTimeInMs: 100 });
  let joinMs = 0;
  const joinStart = Date.now();
  consumer.on(consumer.events.GROUP_JOIN, (e: { payload: { duration: number } }) => {
    const ms = e.payload.duration ?? Date.now() - joinStart;
    joinMs += ms;
    p.joinInRound += ms;
  });
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: !o.fromLatest });
  p.lastConsumed = Date.now();
  let finished!: () => void;
  const over = new Promise<void>((r) => (finished = r));
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      let bytes = 0;
      let n = 0;
      for (const m of batch.messages) {
        if (p.messages + n >= o.messages) break;
        bytes += recordBytes(m.key, m.value);
        n++;
      }
      p.add(n, bytes);
      if (p.done()) finished();
    },
  });
  const timer = setInterval(() => {
    if (p.timedOut()) finished();
  }, 100);
  await over;
  clearInterval(timer);
  await consumer.disconnect();
  return joinMs;
}

async function consumeWithoutGroup(o: ConsumerPerfOptions, p: Progress): Promise<void> {
  const { host, port } = parseBootstrap(o.bootstrap);
  const conn = await WireConnection.connect(host, port, o.clientId);
  try {
    const versions = await apiVersions(conn);
    const { partitions } = await ensureTopic(conn, versions, o.topic, 1);
    const positions = o.fromLatest ? await endOffsets(conn, versions, o.topic, partitions) : await earliest(conn, versions, o.topic, partitions);
    const v = pick(versions, 1, 11);
    p.lastConsumed = Date.now();
    while (!p.done() && !p.timedOut()) {
      const body = defaultValue(fetchApi.request, v);
      body.replicaId = -1;
      body.maxWaitMs = 100;
      body.minBytes = 1;
      body.maxBytes = 50 * 1024 * 1024;
      body.topics = [
        {
          topic: o.topic,
          partitions: positions.map((off, partition) => ({ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(off), lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: o.fetchSize })),
        },
      ] as typeof body.topics;
      const correlationId = conn.takeCorrelationId();
      const frame = encodeRequestFrame(fetchApi, v, { correlationId, clientId: o.clientId }, body);
      const raw = await new Promise<Buffer>((resolve, reject) => conn.sendFrame(frame, correlationId, (r) => (r instanceof Error ? reject(r) : resolve(Buffer.from(r)))));
      const res = decodeResponseFrame(fetchApi, v, raw).body;
      for (const t of res.responses) {
        for (const part of t.partitions) {
          if (part.errorCode !== 0) throw new Error(`fetch ${o.topic}-${part.partitionIndex}: error ${part.errorCode}`);
          const records = part.records as Buffer | null;
          if (records === null || records.length === 0) continue;
          let n = 0;
          let bytes = 0;
          for (const batch of decodeRecordBatches(records, { verifyCrc: false })) {
            for (const r of batch.records) {
              if (r.offset < positions[part.partitionIndex]! || p.messages + n >= o.messages) continue;
              n++;
              bytes += recordBytes(r.key, r.value);
            }
            positions[part.partitionIndex] = Math.max(positions[part.partitionIndex]!, batch.baseOffset + batch.lastOffsetDelta + 1);
          }
          p.add(n, bytes);
        }
      }
      if (res.responses.every((t) => t.partitions.every((x) => x.records === null || x.records.length === 0))) p.add(0, 0);
    }
  } finally {
    conn.close();
  }
}

async function earliest(conn: WireConnection, versions: Map<number, number>, topic: string, partitions: number): Promise<number[]> {
  const v = pick(versions, 2, 7);
  const body = defaultValue(listOffsetsApi.request, v);
  body.replicaId = -1;
  body.topics = [{ name: topic, partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, currentLeaderEpoch: -1, timestamp: -2n, maxNumOffsets: 1 })) }] as typeof body.topics;
  const res = await conn.request(listOffsetsApi, v, body);
  const out = new Array<number>(partitions).fill(0);
  for (const x of res.topics[0]?.partitions ?? []) out[x.partitionIndex] = Number(x.offset);
  return out;
}

/** Whether the broker offers the classic group protocol (FindCoordinator, JoinGroup, SyncGroup). */
async function hasGroups(bootstrap: string): Promise<boolean> {
  const { host, port } = parseBootstrap(bootstrap);
  const conn = await WireConnection.connect(host, port, 'perf-consumer-probe');
  try {
    const v = await apiVersions(conn);
    return v.has(10) && v.has(11) && v.has(14);
  } finally {
    conn.close();
  }
}

export async function runConsumerPerf(o: ConsumerPerfOptions): Promise<ConsumerPerfSummary> {
  const print = o.print ?? ((l: string) => console.log(l));
  let group = o.group;
  if (group !== null && !(await hasGroups(o.bootstrap))) {
    process.stderr.write('consumer-perf: the broker offers no consumer groups (JoinGroup); reading without a group (--no-group)\n');
    group = null;
  }
  if (!o.hideHeader) print(o.showDetailedStats ? DETAILED_HEADER : HEADER);
  const p = new Progress(o, print);
  const startMs = Date.now();
  const joinMs = group !== null ? await consumeWithGroup({ ...o, group }, p) : (await consumeWithoutGroup(o, p), 0);
  const endMs = Date.now();
  if (p.messages < o.messages) {
    print(`WARNING: Exiting before consuming the expected number of messages: timeout (${o.timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`);
  }
  const elapsedSec = (endMs - startMs) / 1000;
  const fetchMs = endMs - startMs - joinMs;
  const mb = p.bytes / (1024 * 1024);
  const s: ConsumerPerfSummary = {
    messages: p.messages,
    mb,
    mbPerSec: mb / elapsedSec,
    msgPerSec: p.messages / elapsedSec,
    rebalanceMs: joinMs,
    fetchMs,
    fetchMbPerSec: mb / (fetchMs / 1000),
    fetchMsgPerSec: p.messages / (fetchMs / 1000),
    mode: group !== null ? 'group' : 'no-group',
  };
  if (!o.showDetailedStats) {
    print(
      `${formatDate(startMs, o.dateFormat)}, ${formatDate(endMs, o.dateFormat)}, ${mb.toFixed(4)}, ${s.mbPerSec.toFixed(4)}, ${s.messages}, ` +
        `${s.msgPerSec.toFixed(4)}, ${joinMs}, ${fetchMs}, ${s.fetchMbPerSec.toFixed(4)}, ${s.fetchMsgPerSec.toFixed(4)}`,
    );
  }
  return s;
}

export function consumerPerfOptions(args: Args): ConsumerPerfOptions {
  const bootstrap = args.string('bootstrap-server') ?? args.string('broker-list');
  const topic = args.string('topic');
  const messages = args.number('messages');
  if (bootstrap === undefined || topic === undefined || messages === undefined) {
    throw new Error('Missing required argument: --bootstrap-server, --topic and --messages are required');
  }
  const props = new Map<string, string>();
  const configFile = args.string('consumer.config');
  if (configFile !== undefined) for (const [k, v] of parseProps(fs.readFileSync(configFile, 'utf8').split('\n'))) props.set(k, v);
  const interval = args.number('reporting-interval', 5000);
  if (interval <= 0) throw new Error('Reporting interval must be greater than 0.');
  return {
    bootstrap,
    topic,
    messages,
    group: args.has('no-group') ? null : args.string('group', `perf-consumer-${Math.floor(Math.random() * 100_000)}`),
    fetchSize: args.number('fetch-size', Number(props.get('max.partition.fetch.bytes') ?? 1024 * 1024)),
    fromLatest: args.has('from-latest'),
    timeoutMs: args.number('timeout', 10_000),
    reportingIntervalMs: interval,
    showDetailedStats: args.has('show-detailed-stats'),
    hideHeader: args.has('hide-header'),
    dateFormat: args.string('date-format', 'yyyy-MM-dd HH:mm:ss:SSS'),
    clientId: props.get('client.id') ?? 'perf-consumer-client',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const o = consumerPerfOptions(new Args(process.argv.slice(2)));
    runConsumerPerf(o).then(
      () => process.exit(0),
      (err: Error) => {
        console.error(err.message);
        process.exit(1);
      },
    );
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
