/**
 * Consumer-group coordinator benchmark:
 *
 *   1. commit rate — OffsetCommit requests/s against Brook (disk storage, its own process): each of
 *      --connections connections pipelines --depth requests; each request commits --partitions
 *      partitions of one group. Two kinds of committer: a group member (JoinGroup + SyncGroup first,
 *      then commits with member id and generation, the checks consumers go through) and a simple
 *      committer (generation -1, no membership). Every commit is appended to __consumer_offsets before
 *      it is answered. Prints requests/s, partition offsets/s and latency percentiles.
 *   2. rebalance time — three kafkajs consumers in one group over six partitions; one leaves
 *      (LeaveGroup) and the time until every survivor fetches with its new assignment is measured from
 *      the last survivor's rejoin (the coordinator's part), from the first one's, and from the leave
 *      (which adds how long survivors take to notice: one kafkajs heartbeat interval, --heartbeat-ms).
 *
 *   node --import tsx bench/offset-commit.ts [--duration-ms 3000] [--connections 4] [--depth 16]
 *       [--partitions 1,16] [--rounds 3] [--memory] [--only commit,rebalance] [--heartbeat-ms 100] [--verbose]
 *       [--profile DIR]   (CPU profile of the broker during the commit runs)
 */
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '../src/protocol/errors.js';
import { encodeRequestFrame, decodeResponseFrame, defaultValue } from '../src/protocol/codec.js';
import { api as offsetCommitApi } from '../src/protocol/messages/08-offset-commit.js';
import { api as joinGroupApi } from '../src/protocol/messages/11-join-group.js';
import { api as syncGroupApi } from '../src/protocol/messages/14-sync-group.js';
import { apiVersions, ensureTopic } from './lib/admin.js';
import { Args } from './lib/args.js';
import { spawnBroker } from './lib/processes.js';
import { parseBootstrap, WireConnection } from './lib/wire.js';

const args = new Args(process.argv.slice(2));
const durationMs = args.number('duration-ms', 3000);
const connections = args.number('connections', 4);
const depth = args.number('depth', 16);
const partitionCounts = args.csv('partitions', ['1', '16']).map(Number);
const rounds = args.number('rounds', 3);
const only = new Set(args.csv('only', ['commit', 'rebalance']));
const heartbeatMs = args.number('heartbeat-ms', 100);
const TOPIC = 'bench-offset-commit';
const COMMIT_VERSION = 8;

interface Identity {
  memberId: string;
  generationId: number;
}

/** Joins `groupId` as its only member (KIP-394 round included) and completes SyncGroup. */
async function joinAsMember(conn: WireConnection, groupId: string): Promise<Identity> {
  const join = (memberId: string) =>
    conn.request(joinGroupApi, 7, {
      ...defaultValue(joinGroupApi.request, 7),
      groupId,
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 30_000,
      memberId,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) }],
    });
  let r = await join('');
  if (r.errorCode === ErrorCode.MEMBER_ID_REQUIRED) r = await join(r.memberId);
  if (r.errorCode !== 0) throw new Error(`JoinGroup ${groupId}: error ${r.errorCode}`);
  const s = await conn.request(syncGroupApi, 5, {
    ...defaultValue(syncGroupApi.request, 5),
    groupId,
    generationId: r.generationId,
    memberId: r.memberId,
    assignments: [{ memberId: r.memberId, assignment: Buffer.alloc(0) }],
  });
  if (s.errorCode !== 0) throw new Error(`SyncGroup ${groupId}: error ${s.errorCode}`);
  return { memberId: r.memberId, generationId: r.generationId };
}

interface CommitResult {
  requests: number;
  seconds: number;
  latenciesUs: number[];
}

/** One connection: keeps `depth` OffsetCommit requests in flight until the deadline. */
async function commitLoop(conn: WireConnection, groupId: string, who: Identity | null, partitions: number, deadline: number, out: CommitResult): Promise<void> {
  let offset = 0;
  const frame = () => {
    offset++;
    const correlationId = conn.takeCorrelationId();
    const body = {
      ...defaultValue(offsetCommitApi.request, COMMIT_VERSION),
      groupId,
      generationIdOrMemberEpoch: who?.generationId ?? -1,
      memberId: who?.memberId ?? '',
      topics: [
        {
          name: TOPIC,
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          partitions: Array.from({ length: partitions }, (_, p) => ({
            partitionIndex: p,
            committedOffset: BigInt(offset),
            committedLeaderEpoch: 0,
            commitTimestamp: -1n,
            committedMetadata: '',
          })),
        },
      ],
    };
    return { correlationId, frame: encodeRequestFrame(offsetCommitApi, COMMIT_VERSION, { correlationId, clientId: 'bench-commit' }, body) };
  };
  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let failed = false;
    const send = (): void => {
      while (!failed && inFlight < depth && performance.now() < deadline) {
        const { correlationId, frame: f } = frame();
        const t0 = performance.now();
        inFlight++;
        conn.sendFrame(f, correlationId, (res) => {
          inFlight--;
          if (res instanceof Error) {
            failed = true;
            reject(res);
            return;
          }
          const body = decodeResponseFrame(offsetCommitApi, COMMIT_VERSION, res).body;
          const err = body.topics[0]?.partitions.find((p) => p.errorCode !== 0)?.errorCode;
          if (err !== undefined) {
            failed = true;
            reject(new Error(`OffsetCommit error ${err}`));
            return;
          }
          out.requests++;
          out.latenciesUs.push((performance.now() - t0) * 1000);
          if (performance.now() < deadline) send();
          else if (inFlight === 0) resolve();
        });
      }
      if (inFlight === 0) resolve();
    };
    send();
  });
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function benchCommits(): Promise<void> {
  const broker = await spawnBroker({ memory: args.has('memory'), ...(args.has('profile') ? { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', args.string('profile', 'bench/results/profiles')] } : {}) });
  try {
    const { host, port } = parseBootstrap(broker.bootstrap);
    const conns = await Promise.all(Array.from({ length: connections }, () => WireConnection.connect(host, port, 'bench-commit')));
    const versions = await apiVersions(conns[0]!);
    await ensureTopic(conns[0]!, versions, TOPIC, Math.max(...partitionCounts));
    console.log(`OffsetCommit v${COMMIT_VERSION}: ${connections} connections × depth ${depth}, ${durationMs} ms per run, median of ${rounds} (storage: ${args.has('memory') ? 'memory' : 'disk'})`);
    console.log('committer  partitions/request   requests/s   offsets/s    p50 µs    p99 µs');
    for (const kind of ['member', 'simple'] as const) {
      for (const partitions of partitionCounts) {
        const rates: number[] = [];
        let lat: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const ids = await Promise.all(conns.map((c, i) => (kind === 'member' ? joinAsMember(c, `bench-${kind}-${partitions}-${r}-${i}`) : Promise.resolve(null))));
          const out: CommitResult = { requests: 0, seconds: durationMs / 1000, latenciesUs: [] };
          const t0 = performance.now();
          const deadline = t0 + durationMs;
          await Promise.all(conns.map((c, i) => commitLoop(c, `bench-${kind}-${partitions}-${r}-${i}`, ids[i]!, partitions, deadline, out)));
          const seconds = (performance.now() - t0) / 1000;
          rates.push(out.requests / seconds);
          lat = out.latenciesUs.sort((a, b) => a - b);
        }
        const rps = median(rates);
        console.log(
          `${kind.padEnd(10)} ${String(partitions).padStart(18)} ${rps.toFixed(0).padStart(12)} ${(rps * partitions).toFixed(0).padStart(11)} ${pct(lat, 50).toFixed(0).padStart(9)} ${pct(lat, 99).toFixed(0).padStart(9)}`,
        );
      }
    }
    for (const c of conns) c.close();
  } finally {
    await broker.stop();
  }
}

/** kafkajs: 3 members, one leaves; survivors' REBALANCING → first FETCH_START after their new GROUP_JOIN. */
async function benchRebalance(): Promise<void> {
  const broker = await spawnBroker({ memory: true });
  const kafka = new Kafka({ clientId: 'bench-rebalance', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench-rebalance', numPartitions: 6 }] });
    const samples: Array<{ lastJoinToFetch: number; firstJoinToFetch: number; leaveToFetch: number }> = [];
    for (let r = 0; r < rounds; r++) {
      const groupId = `bench-rebalance-${r}`;
      type Probe = { rebalancingAt: number; joinedAt: number; firstFetchAfterJoin: number; joins: number };
      const members = Array.from({ length: 3 }, () => {
        // kafkajs defaults except the heartbeat interval (how soon a survivor learns of the rebalance) and
        // the fetch wait (a survivor heartbeats only between fetches).
        const c = kafka.consumer({ groupId, heartbeatInterval: heartbeatMs, maxWaitTimeInMs: Math.min(heartbeatMs, 5000) });
        const p: Probe = { rebalancingAt: 0, joinedAt: 0, firstFetchAfterJoin: 0, joins: 0 };
        c.on(c.events.REBALANCING, () => void (p.rebalancingAt = performance.now()));
        c.on(c.events.GROUP_JOIN, () => {
          p.joinedAt = performance.now();
          p.firstFetchAfterJoin = 0;
          p.joins++;
        });
        c.on(c.events.FETCH_START, () => {
          if (p.joinedAt > 0 && p.firstFetchAfterJoin === 0) p.firstFetchAfterJoin = performance.now();
        });
        return { c, p };
      });
      for (const m of members) {
        await m.c.connect();
        await m.c.subscribe({ topic: 'bench-rebalance', fromBeginning: true });
        await m.c.run({ eachMessage: async () => {} });
      }
      // Wait for one stable generation with all three members.
      const settle = Date.now() + 30_000;
      while (Date.now() < settle) {
        const { groups } = await admin.describeGroups([groupId]);
        if (groups[0]!.state === 'Stable' && groups[0]!.members.length === 3 && members.every((m) => m.p.firstFetchAfterJoin > 0)) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      await new Promise((res) => setTimeout(res, 300));
      const [leaving, ...rest] = members;
      const joins = rest.map((m) => m.p.joins);
      const tLeave = performance.now();
      await leaving!.c.disconnect();
      const until = Date.now() + 30_000;
      while (Date.now() < until && !rest.every((m, i) => m.p.joins > joins[i]! && m.p.firstFetchAfterJoin > 0)) {
        await new Promise((res) => setTimeout(res, 5));
      }
      const end = Math.max(...rest.map((m) => m.p.firstFetchAfterJoin));
      samples.push({
        lastJoinToFetch: end - Math.max(...rest.map((m) => m.p.rebalancingAt)),
        firstJoinToFetch: end - Math.min(...rest.map((m) => m.p.rebalancingAt)),
        leaveToFetch: end - tLeave,
      });
      if (args.has('verbose')) {
        console.log(rest.map((m) => `rebalancing +${(m.p.rebalancingAt - tLeave).toFixed(1)} joined +${(m.p.joinedAt - tLeave).toFixed(1)} fetch +${(m.p.firstFetchAfterJoin - tLeave).toFixed(1)}`).join(' | '));
      }
      for (const m of rest) await m.c.disconnect();
    }
    const show = (label: string, pick: (s: (typeof samples)[number]) => number) =>
      console.log(`  ${label.padEnd(44)} median ${median(samples.map(pick)).toFixed(0).padStart(5)} ms   (runs: ${samples.map((s) => pick(s).toFixed(0)).join(', ')})`);
    console.log(`rebalance (kafkajs, 3 members, 6 partitions, one leaves; Brook's default group settings; kafkajs heartbeatInterval ${heartbeatMs} ms):`);
    show('last survivor rejoins → all survivors fetch', (s) => s.lastJoinToFetch);
    show('first survivor rejoins → all survivors fetch', (s) => s.firstJoinToFetch);
    show('LeaveGroup sent → all survivors fetch', (s) => s.leaveToFetch);
  } finally {
    await admin.disconnect().catch(() => {});
    await broker.stop();
  }
}

if (only.has('commit')) await benchCommits();
if (only.has('rebalance')) await benchRebalance();
