/**
 * A broker restart in the middle of an open transaction (the `brook` CLI as a child process, stopped
 * gracefully with SIGTERM or killed with SIGKILL). After the restart the coordinator, loaded from
 * __transaction_state, still knows the open transaction and aborts it when its timeout passes (Kafka's
 * rule for an Ongoing transaction); the partition's producer state (snapshot or log replay) holds the
 * last stable offset there until then. read_committed readers then make progress: they see the
 * committed transactions before and after the restart and never the open one's records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { kcat, killCliBroker, removeDir, startCliBroker, tempDir, testBroker, type CliBroker } from './helpers.js';

const TOPIC = 'tx-restart';
let cli: CliBroker | undefined;
let dir: string | undefined;

afterEach(async () => {
  await killCliBroker(cli);
  cli = undefined;
  if (dir !== undefined) removeDir(dir);
  dir = undefined;
});

function kafkaAt(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'e2e-txn-restart', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
}

async function readCommitted(bootstrap: string): Promise<string[]> {
  const { stdout } = await kcat(['-b', bootstrap, '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
  return stdout.split('\n').filter((l) => l !== '');
}

for (const stop of ['SIGTERM', 'SIGKILL'] as const) {
  it(`an open transaction across a ${stop} restart is aborted by its timeout; read_committed readers move on`, async () => {
    dir = tempDir('txn-restart');
    cli = await startCliBroker(['--data-dir', dir]);
    const kafka = kafkaAt(cli.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();

    const producer = kafka.producer({ transactionalId: `restart-${stop}`, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 2000 });
    await producer.connect();
    const t1 = await producer.transaction();
    await t1.send({ topic: TOPIC, messages: [0, 1].map((partition) => ({ partition, value: `before-${partition}` })) });
    await t1.commit();
    const open = await producer.transaction();
    await open.send({ topic: TOPIC, messages: [0, 1].map((partition) => ({ partition, value: `open-${partition}` })) });
    await producer.disconnect().catch(() => {});

    cli.proc.kill(stop);
    const exit = await cli.exited;
    if (stop === 'SIGKILL') expect(exit.signal).toBe('SIGKILL');
    else expect(exit.code).toBe(0);

    cli = await startCliBroker(['--data-dir', dir]);
    const again = kafkaAt(cli.bootstrap);
    const next = again.producer({ transactionalId: `after-${stop}`, idempotent: true, maxInFlightRequests: 1 });
    await next.connect();
    const t2 = await next.transaction();
    await t2.send({ topic: TOPIC, messages: [0, 1].map((partition) => ({ partition, value: `after-${partition}` })) });
    await t2.commit();
    await next.disconnect();

    // The open transaction holds the LSO until the coordinator times it out (2 s), then everything
    // committed is readable and the open transaction's records never are.
    const deadline = Date.now() + 15_000;
    let seen = await readCommitted(cli.bootstrap);
    while (!seen.includes('after-0') || !seen.includes('after-1')) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 250));
      seen = await readCommitted(cli.bootstrap);
    }
    expect([...seen].sort()).toEqual(['after-0', 'after-1', 'before-0', 'before-1']);
    const all = await kcat(['-b', cli.bootstrap, '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_uncommitted', '-f', '%s\n']);
    expect(all.stdout).toContain('open-0'); // the records are there, aborted
  });
}


it('offsets sent to a transaction survive a restart before its commit, and the commit survives the next one', async () => {
  dir = tempDir('txn-offsets');
  const start = (port: number) => testBroker({ dataDir: dir, port });
  let broker = await start(0);
  const port = broker.port;
  try {
    const kafka = kafkaAt(broker.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }, { topic: 'tx-restart-in', numPartitions: 1 }] });
    const producer = kafka.producer({ transactionalId: 'offsets-across-restart', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t = await producer.transaction();
    await t.send({ topic: TOPIC, messages: [{ value: 'result' }] });
    await t.sendOffsets({ consumerGroupId: 'ctp', topics: [{ topic: 'tx-restart-in', partitions: [{ partition: 0, offset: '7' }] }] });
    await admin.disconnect();

    await broker.close();
    broker = await start(port); // same address: the producer carries on with its transaction
    // (a send first: kafkajs reconnects on it, while its commit path would fail on the stale socket)
    await t.send({ topic: TOPIC, messages: [{ value: 'result-2' }] });
    await t.commit();
    // A fresh admin each time: kafkajs's first request on a socket the broker closed fails.
    const offset = async () => {
      const a = kafkaAt(broker.bootstrap).admin();
      await a.connect();
      const [t] = await a.fetchOffsets({ groupId: 'ctp', topics: ['tx-restart-in'] });
      await a.disconnect();
      return t!.partitions[0]!.offset;
    };
    expect(await offset()).toBe('7');
    await producer.disconnect();

    await broker.close();
    broker = await start(port);
    expect(await offset()).toBe('7'); // replayed: transactional offset batch + commit marker
    expect(await readCommitted(broker.bootstrap)).toEqual(['result', 'result-2']);
  } finally {
    await broker.close();
  }
});
