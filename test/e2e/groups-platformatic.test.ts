/**
 * Classic consumer groups with @platformatic/kafka, and static membership (KIP-345) with kcat:
 *   - two platformatic members over four partitions share the work (two partitions each) and every
 *     message is received once;
 *   - a kcat member with group.instance.id is restarted within its session timeout: it gets its
 *     partitions back and the other member sees no rebalance (same generation, no rejoin).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { KCAT, testBroker, waitFor } from './helpers.js';

let broker: Broker;
let admin: Admin;
let producer: Producer<string, string, string, string>;

async function produce(topic: string, from: number, count: number, partitions: number): Promise<void> {
  for (let i = from; i < from + count; i += 500) {
    const n = Math.min(500, from + count - i);
    await producer.send({ messages: Array.from({ length: n }, (_, j) => ({ topic, value: `${i + j}`, partition: (i + j) % partitions })) });
  }
}

function consumer(groupId: string, clientId: string): Consumer<string, string, string, string> {
  return new Consumer({
    clientId,
    bootstrapBrokers: [broker.bootstrap],
    groupId,
    deserializers: stringDeserializers,
    sessionTimeout: 6000,
    heartbeatInterval: 200,
    maxWaitTime: 100,
  });
}

interface JoinEvent {
  generationId: number;
  assignments: Array<{ topic: string; partitions: number[] }>;
}

function watch(c: Consumer<string, string, string, string>): { joins: JoinEvent[]; rebalances: number } {
  const w = { joins: [] as JoinEvent[], rebalances: 0 };
  c.on('consumer:group:join', (e: JoinEvent) => void w.joins.push(e));
  c.on('consumer:group:rebalance', () => void w.rebalances++);
  return w;
}

beforeAll(async () => {
  broker = await testBroker({ config: { 'group.min.session.timeout.ms': 500 } });
  admin = new Admin({ clientId: 'groups-platformatic', bootstrapBrokers: [broker.bootstrap] });
  producer = new Producer({ clientId: 'groups-platformatic', bootstrapBrokers: [broker.bootstrap], serializers: stringSerializers });
});

afterAll(async () => {
  await producer?.close().catch(() => {});
  await admin?.close().catch(() => {});
  await broker?.close();
});

describe('@platformatic/kafka classic groups', () => {
  it('two members over four partitions: two partitions each, every message once', async () => {
    const topic = 'groups-plt';
    await admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 });
    const seen = new Map<string, number>();
    const members = [consumer('g-plt', 'plt-1'), consumer('g-plt', 'plt-2')];
    const watches = members.map(watch);
    const streams = [];
    for (const m of members) {
      const stream = await m.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: 100 });
      stream.on('data', (message: { value: string }) => void seen.set(message.value, (seen.get(message.value) ?? 0) + 1));
      streams.push(stream);
    }
    const assigned = (i: number) => watches[i]!.joins.at(-1)?.assignments.find((a) => a.topic === topic)?.partitions ?? [];
    await waitFor(() => assigned(0).length === 2 && assigned(1).length === 2, 20_000, 'two partitions each');
    expect([...assigned(0), ...assigned(1)].sort()).toEqual([0, 1, 2, 3]);
    // A fetch a member sent under its previous assignment may still be in flight: let it finish.
    await new Promise((r) => setTimeout(r, 500));
    const joins = watches.map((w) => w.joins.length);

    await produce(topic, 0, 4000, 4);
    await waitFor(() => seen.size === 4000, 30_000, '4000 messages');
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(watches.map((w) => w.joins.length)).toEqual(joins); // no rebalance while consuming
    for (const s of streams) await s.close();
    for (const m of members) await m.close();
  }, 60_000);
});

describe('static membership (KIP-345) with kcat', () => {
  const topic = 'groups-static';
  const children: ChildProcess[] = [];
  // The restart (SIGTERM, librdkafka's close, a new process joining) must fit in the session: generous,
  // as a loaded machine can stretch it over seconds, and nothing here waits for the session to expire.
  const STATIC_SESSION_MS = 30_000;
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  function kcatMember(): { proc: ChildProcess; lines: string[] } {
    const proc = spawn(KCAT, [
      '-b', broker.bootstrap, '-G', 'g-static', '-q', '-u', '-f', '%p %s\\n',
      '-X', 'group.instance.id=static-kcat', '-X', `session.timeout.ms=${STATIC_SESSION_MS}`, '-X', 'heartbeat.interval.ms=200',
      '-X', 'auto.offset.reset=earliest', topic,
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

  async function describe(): Promise<{ state: string; members: Array<{ id: string; instance: string | null }> }> {
    const groups = await admin.describeGroups({ groups: ['g-static'] });
    const g = groups.get('g-static')!;
    return { state: String(g.state).toUpperCase(), members: [...g.members.values()].map((m) => ({ id: m.id, instance: m.groupInstanceId ?? null })) };
  }

  it('a restarted static member gets its partitions back without a rebalance of the others', async () => {
    await admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 });
    const other = consumer('g-static', 'plt-other');
    const w = watch(other);
    const stream = await other.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: 100 });
    const otherSeen: string[] = [];
    stream.on('data', (m: { value: string }) => void otherSeen.push(m.value));
    const otherPartitions = () => w.joins.at(-1)?.assignments.find((a) => a.topic === topic)?.partitions ?? [];
    await waitFor(() => otherPartitions().length === 4, 20_000, 'the first member owning everything');

    let k = kcatMember();
    await waitFor(async () => {
      const d = await describe();
      return d.state === 'STABLE' && d.members.length === 2 && otherPartitions().length === 2;
    }, 20_000, 'a Stable group of two');
    const joinsBefore = w.joins.length;
    const rebalancesBefore = w.rebalances;
    const generation = w.joins.at(-1)!.generationId;
    const staticPartitions = [0, 1, 2, 3].filter((p) => !otherPartitions().includes(p));
    const oldId = (await describe()).members.find((m) => m.instance === 'static-kcat')!.id;

    // Restart the static member (librdkafka does not send LeaveGroup for a static member).
    const restartStart = performance.now();
    k.proc.kill('SIGTERM');
    await new Promise((r) => k.proc.once('exit', r));
    k = kcatMember();
    await waitFor(async () => {
      const d = await describe();
      const mine = d.members.find((m) => m.instance === 'static-kcat');
      return d.state === 'STABLE' && mine !== undefined && mine.id !== oldId;
    }, 20_000, 'the static member back under a new member id');
    const restartMs = performance.now() - restartStart;

    await produce(topic, 0, 400, 4);
    await waitFor(() => k.lines.length === 200 && otherSeen.length === 200, 20_000, 'both members consuming their partitions').catch((err: Error) => {
      const perPartition = [0, 1, 2, 3].map((p) => otherSeen.filter((v) => Number(v) % 4 === p).length);
      const rejoins = w.joins.slice(joinsBefore).map((j) => ({ generation: j.generationId, assignments: j.assignments }));
      throw new Error(
        `${err.message} (static member ${k.lines.length}/200, other ${otherSeen.length}/200 by partition ${perPartition.join('/')}, ` +
          `other's partitions ${otherPartitions().join(',')}, its joins since the restart ${JSON.stringify(rejoins)}, restart took ${restartMs.toFixed(0)} ms)`,
      );
    });
    expect([...new Set(k.lines.map((l) => Number(l.split(' ')[0])))].sort()).toEqual(staticPartitions);
    // The other member saw nothing: no rejoin, no rebalance, same generation.
    expect(w.joins.length).toBe(joinsBefore);
    expect(w.joins.at(-1)!.generationId).toBe(generation);
    expect(w.rebalances).toBe(rebalancesBefore);

    k.proc.kill('SIGTERM');
    await stream.close();
    await other.close();
  }, 60_000);
});
