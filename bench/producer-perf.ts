/**
 * producer-perf: Apache Kafka's kafka-producer-perf-test for any Kafka broker, driven by a real client
 * (kafkajs). Same flags, progress lines and final line:
 *
 *   npm run producer-perf -- --topic t --num-records 1000000 --record-size 100 --throughput -1 \
 *       --producer-props bootstrap.servers=localhost:9092 acks=1 batch.size=16384 linger.ms=0
 *
 * kafkajs has no record accumulator, so this tool plays the Java producer's part: records are grouped
 * into batches of batch.size bytes (a partial batch leaves after linger.ms, or whenever the sender would
 * otherwise wait), with at most max.in.flight.requests.per.connection sends outstanding. Latency is per
 * record, from its send() to its acknowledgement, in whole ms as Kafka's tool reports it.
 * Supported --producer-props: bootstrap.servers, acks, batch.size, linger.ms, compression.type,
 * max.in.flight.requests.per.connection, client.id, enable.idempotence, request.timeout.ms.
 * Also --producer.config <file>, --payload-file/--payload-delimiter, --payload-monotonic,
 * --reporting-interval <ms> (Kafka's is fixed at 5000), --bootstrap-server (newer Kafka versions).
 */
import fs from 'node:fs';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { Args, parseProps } from './lib/args.js';
import { compressionType, registerKafkajsCodecs } from './lib/kafkajs-codecs.js';
import { ProducerStats, Throttler, type ProducerPerfSummary } from './lib/perf-stats.js';

export interface ProducerPerfOptions {
  topic: string;
  numRecords: number;
  recordSize?: number;
  payloads?: Buffer[];
  payloadMonotonic?: boolean;
  throughput: number;
  props: Map<string, string>;
  reportingIntervalMs?: number;
  print?: (line: string) => void;
}

const USAGE = `usage: producer-perf --topic TOPIC --num-records NUM-RECORDS
       (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)
       --throughput THROUGHPUT [--producer-props PROP-NAME=PROP-VALUE ...]
       [--producer.config CONFIG-FILE] [--payload-delimiter DELIM] [--bootstrap-server HOST:PORT]
       [--reporting-interval MS]`;

/** Payloads of A-Z letters (Kafka's tool writes random capitals), a pool reused round robin. */
function letterPayloads(size: number, count: number): Buffer[] {
  return Array.from({ length: count }, () => {
    const b = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) b[i] = 65 + randomInt(26);
    return b;
  });
}

export async function runProducerPerf(o: ProducerPerfOptions): Promise<ProducerPerfSummary> {
  const print = o.print ?? ((l: string) => console.log(l));
  const props = o.props;
  const bootstrap = props.get('bootstrap.servers');
  if (bootstrap === undefined) throw new Error('bootstrap.servers is required (--producer-props bootstrap.servers=host:port)');
  registerKafkajsCodecs();
  const acksText = props.get('acks') ?? 'all'; // the Java producer's default since Kafka 3.0
  const acks = acksText === 'all' ? -1 : Number(acksText);
  const batchSize = Number(props.get('batch.size') ?? 16384);
  const lingerMs = Number(props.get('linger.ms') ?? 5); // Kafka 4.0 default
  const maxInFlight = Number(props.get('max.in.flight.requests.per.connection') ?? 5);
  const compression = compressionType(props.get('compression.type') ?? 'none');
  const idempotent = props.get('enable.idempotence') === 'true';

  const kafka = new kafkajs.Kafka({
    clientId: props.get('client.id') ?? 'perf-producer-client',
    brokers: bootstrap.split(','),
    logLevel: kafkajs.logLevel.ERROR,
    requestTimeout: Number(props.get('request.timeout.ms') ?? 30000),
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent, maxInFlightRequests: idempotent ? Math.min(maxInFlight, 5) : maxInFlight });
  await producer.connect();

  const payloads = o.payloads ?? (o.recordSize !== undefined ? letterPayloads(o.recordSize, 64) : []);
  const stats = new ProducerStats(o.reportingIntervalMs ?? 5000, print);
  const throttler = new Throttler(o.throughput);
  let inFlight = 0;
  let failed: Error | null = null;
  const waiters: Array<() => void> = [];
  const slotFreed = (): void => {
    inFlight--;
    waiters.shift()?.();
  };

  let batch: { value: Buffer }[] = [];
  let batchStarts: number[] = [];
  let batchBytes = 0;
  let lingerTimer: NodeJS.Timeout | null = null;
  const sends: Promise<void>[] = [];

  const dispatch = async (): Promise<void> => {
    if (lingerTimer !== null) clearTimeout(lingerTimer);
    lingerTimer = null;
    if (batch.length === 0) return;
    while (inFlight >= maxInFlight) await new Promise<void>((r) => waiters.push(r));
    const messages = batch;
    const starts = batchStarts;
    batch = [];
    batchStarts = [];
    batchBytes = 0;
    inFlight++;
    const p = producer.send({ topic: o.topic, acks, compression, messages }).then(
      () => {
        const now = Date.now();
        for (let i = 0; i < messages.length; i++) stats.record(now - starts[i]!, messages[i]!.value.length, now);
        slotFreed();
      },
      (err: Error) => {
        failed ??= err;
        print(`org.apache.kafka.common.errors: ${err.message}`);
        slotFreed();
      },
    );
    sends.push(p);
    if (sends.length > 1024) sends.splice(0, sends.length - 64);
  };

  for (let i = 0; i < o.numRecords && failed === null; i++) {
    const now = Date.now();
    const delay = throttler.delayFor(i, now);
    if (delay > 0) {
      await dispatch(); // the sender would not hold a partial batch while the application sleeps
      await new Promise((r) => setTimeout(r, delay));
    }
    const value = o.payloadMonotonic ? Buffer.from(String(i)) : payloads[i % payloads.length]!;
    batch.push({ value });
    batchStarts.push(Date.now());
    batchBytes += value.length;
    if (batchBytes >= batchSize) await dispatch();
    else if (lingerTimer === null && lingerMs > 0) lingerTimer = setTimeout(() => void dispatch(), lingerMs);
    else if (lingerMs === 0 && inFlight < maxInFlight && (i & 1023) === 1023) await dispatch();
    if ((i & 4095) === 4095) await new Promise((r) => setImmediate(r)); // let responses in
  }
  await dispatch();
  await Promise.all(sends);
  while (inFlight > 0) await new Promise<void>((r) => waiters.push(r));
  await producer.disconnect();
  const summary = stats.printTotal();
  if (failed !== null) throw failed;
  return summary;
}

/** Flags → options, as Kafka's tool reads them. */
export function producerPerfOptions(args: Args): ProducerPerfOptions {
  const topic = args.string('topic');
  const numRecords = args.number('num-records');
  const throughput = args.number('throughput');
  if (topic === undefined || numRecords === undefined || throughput === undefined) throw new Error(USAGE);
  const props = new Map<string, string>();
  const configFile = args.string('producer.config');
  if (configFile !== undefined) for (const [k, v] of parseProps(fs.readFileSync(configFile, 'utf8').split('\n'))) props.set(k, v);
  for (const [k, v] of parseProps(args.list('producer-props'))) props.set(k, v);
  const bs = args.string('bootstrap-server');
  if (bs !== undefined) props.set('bootstrap.servers', bs);
  const o: ProducerPerfOptions = { topic, numRecords, throughput, props };
  const kinds = [args.has('record-size'), args.has('payload-file'), args.has('payload-monotonic')].filter(Boolean).length;
  if (kinds !== 1) throw new Error('either --record-size or --payload-file or --payload-monotonic must be specified but not more than one\n' + USAGE);
  if (args.has('record-size')) o.recordSize = args.number('record-size', 100);
  else if (args.has('payload-file')) {
    const delim = args.string('payload-delimiter', '\\n').replace('\\n', '\n');
    const file = args.string('payload-file', '');
    const text = fs.readFileSync(file, 'utf8');
    console.log(`Reading payloads from: ${fs.realpathSync(file)}`);
    o.payloads = text.split(delim).filter((s) => s.length > 0).map((s) => Buffer.from(s, 'utf8'));
    console.log(`Number of messages read: ${o.payloads.length}`);
    if (o.payloads.length === 0) throw new Error('File does not contain any payloads');
  } else o.payloadMonotonic = true;
  const interval = args.number('reporting-interval');
  if (interval !== undefined) o.reportingIntervalMs = interval;
  return o;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = new Args(process.argv.slice(2));
  if (process.argv.length <= 2 || args.has('help')) {
    console.log(USAGE);
    process.exit(0);
  }
  runProducerPerf(producerPerfOptions(args)).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
