/**
 * librdkafka's balanced consumer (kcat -G) against the classic group protocol:
 *   - two members with the cooperative-sticky assignor (incremental rebalances, KIP-429) share four
 *     partitions and read every message exactly once;
 *   - a member killed with SIGKILL (no LeaveGroup) loses its partitions to the survivor once its
 *     session timeout expires, and nothing is lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import type { LogRecord } from '../../src/server/logger.js';
import { KCAT, testBroker, waitFor } from './helpers.js';

const TOPIC = 'groups-kcat';
const GROUP = 'g-kcat-coop';
const SESSION_MS = 2000;
let broker: Broker;
let admin: Admin;
let producer: Producer;
const children: ChildProcess[] = [];
/** When the broker last got a request that resets a classic member's session, per client id. */
const lastSessionReset = new Map<string, number>();
const SESSION_APIS = new Set(['Heartbeat', 'JoinGroup', 'SyncGroup', 'OffsetCommit']);

function onLog(r: LogRecord): void {
  if (r.msg === 'request' && SESSION_APIS.has(String(r.fields.api))) lastSessionReset.set(String(r.fields.clientId), performance.now());
  else if (r.level === 'error') console.error(r.msg, r.fields);
}

beforeAll(async () => {
  broker = await testBroker({ config: { 'group.min.session.timeout.ms': 500 }, logLevel: 'debug', log: onLog });
  const kafka = new Kafka({ clientId: 'groups-kcat', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 4 }] });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await broker?.close();
});

function member(clientId: string): { proc: ChildProcess; lines: string[] } {
  const proc = spawn(KCAT, [
    '-b', broker.bootstrap, '-G', GROUP, '-q', '-u', '-f', '%p %s\\n', '-X', `client.id=${clientId}`,
    '-X', 'partition.assignment.strategy=cooperative-sticky',
    '-X', `session.timeout.ms=${SESSION_MS}`, '-X', 'heartbeat.interval.ms=200',
    '-X', 'auto.offset.reset=earliest', '-X', 'auto.commit.interval.ms=100', TOPIC,
  ], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(proc);
  const lines: string[] = [];
  let rest = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    lines.push(...parts.filter((l) => l !== ''));
  });
  return { proc, lines };
}

/** Partitions per member from DescribeGroups (ConsumerProtocolAssignment: version, [topic [partition]]). */
async function assignments(): Promise<{ state: string; partitions: number[][] }> {
  const { groups } = await admin.describeGroups([GROUP]);
  const g = groups[0]!;
  return {
    state: g.state,
    partitions: g.members.map((m) => {
      const b = m.memberAssignment;
      if (b.length < 6) return [];
      const out: number[] = [];
      let pos = 2;
      const topics = b.readInt32BE(pos);
      pos += 4;
      for (let t = 0; t < topics; t++) {
        const len = b.readInt16BE(pos);
        pos += 2 + len;
        const n = b.readInt32BE(pos);
        pos += 4;
        for (let i = 0; i < n; i++, pos += 4) out.push(b.readInt32BE(pos));
      }
      return out.sort();
    }),
  };
}

async function produce(from: number, count: number): Promise<void> {
  await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `${from + i}`, partition: (from + i) % 4 })) });
}

describe('kcat -G consumer groups', () => {
  it('cooperative-sticky: two members share the partitions, every message once; SIGKILL hands over after the session timeout', async () => {
    const a = member('kcat-a');
    const b = member('kcat-b');
    await waitFor(async () => {
      const s = await assignments();
      return s.state === 'Stable' && s.partitions.length === 2 && s.partitions.every((p) => p.length === 2);
    }, 20_000, 'two members with two partitions each');
    expect((await assignments()).partitions.flat().sort()).toEqual([0, 1, 2, 3]);

    await produce(0, 2000);
    await waitFor(() => a.lines.length + b.lines.length >= 2000, 20_000, '2000 messages');
    await new Promise((r) => setTimeout(r, 300));
    const all = [...a.lines, ...b.lines].map((l) => l.split(' ')[1]!);
    expect(all.length).toBe(2000);
    expect(new Set(all).size).toBe(2000);
    expect(a.lines.length).toBeGreaterThan(0);
    expect(b.lines.length).toBeGreaterThan(0);

    // Kill b without a LeaveGroup: a owns all four partitions once b's session has expired.
    const t0 = performance.now();
    b.proc.kill('SIGKILL');
    await waitFor(async () => {
      const s = await assignments();
      return s.state === 'Stable' && s.partitions.length === 1 && s.partitions[0]!.length === 4;
    }, 10_000, 'the survivor owning everything');
    const done = performance.now();
    const handoverMs = done - t0;
    // librdkafka heartbeats about every 500 ms here whatever heartbeat.interval.ms says, so b's session
    // runs from its last Heartbeat/JoinGroup/SyncGroup/OffsetCommit the broker saw, not from the kill.
    expect(done - lastSessionReset.get('kcat-b')!).toBeGreaterThanOrEqual(SESSION_MS - 100);
    expect(handoverMs).toBeLessThan(SESSION_MS + 4000);
    console.log(`kcat: partitions of a SIGKILLed member moved after ${handoverMs.toFixed(0)} ms (session ${SESSION_MS} ms)`);

    const before = a.lines.length;
    await produce(2000, 400);
    // Nothing lost: every new message arrives (b's uncommitted tail may be read again, never skipped).
    const fresh = () => new Set(a.lines.slice(before).map((l) => Number(l.split(' ')[1])).filter((v) => v >= 2000));
    await waitFor(() => fresh().size === 400, 20_000, 'the 400 new messages on the survivor');
    console.log(`kcat: re-read after the crash (uncommitted by the killed member): ${a.lines.length - before - 400}`);
    a.proc.kill('SIGTERM');
  }, 60_000);
});
