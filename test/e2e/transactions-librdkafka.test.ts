/**
 * librdkafka transactions (Debian's python3-confluent-kafka, run with Debian's /usr/bin/python3; the
 * script is test/e2e/py/txn_librdkafka.py): a transactional producer's abort and commit, a
 * read_committed consumer, and consume-transform-produce with send_offsets_to_transaction where every
 * other chunk is first aborted and redone. Zero duplicates, zero aborted records visible, and the
 * group's committed offsets cover exactly the input.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Broker } from '../../src/server/broker.js';
import { ROOT, kcat, testBroker } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'test/e2e/py/txn_librdkafka.py');
const N = 60;
let broker: Broker;

function haveConfluentKafka(): boolean {
  if (!existsSync(PYTHON)) return false;
  return existsSync('/usr/lib/python3/dist-packages/confluent_kafka');
}

beforeAll(async () => {
  broker = await testBroker();
});
afterAll(async () => {
  await broker?.close();
});

it.skipIf(!haveConfluentKafka())('librdkafka: abort/commit, read_committed, consume-transform-produce with send_offsets_to_transaction', async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, broker.bootstrap, 'a'], { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { consumed: number; committedOffsets: number; seen: string[] };
  expect(r.consumed).toBe(N);
  expect(r.committedOffsets).toBe(N);
  const expected = [
    ...Array.from({ length: 9 }, (_, i) => `committed-direct-${i}`),
    ...Array.from({ length: N }, (_, i) => `out-in-${i}`),
  ];
  expect(r.seen.filter((v) => v.startsWith('aborted'))).toEqual([]);
  expect([...r.seen].sort()).toEqual([...expected].sort()); // every record once: no duplicates, none missing
  // The aborted records are in the log (9 direct + every other chunk of 10): read_committed dropped them.
  const raw = await kcat(['-b', broker.bootstrap, '-C', '-t', 'py-out-a', '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_uncommitted', '-f', '%s\n']);
  expect(raw.stdout.split('\n').filter((l) => l.startsWith('aborted')).length).toBeGreaterThanOrEqual(9 + 20);
});
