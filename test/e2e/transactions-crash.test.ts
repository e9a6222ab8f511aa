/**
 * Exactly-once under a crash: librdkafka (python3-confluent-kafka, test/e2e/py/eos_crash.py) runs a
 * consume-transform-produce loop in transactions while the `brook` CLI is killed with SIGKILL and
 * started again on the same port and data directory. Afterwards a read_committed reader finds every
 * input record in the output exactly once — nothing lost, nothing duplicated — and the group's
 * committed offsets cover the whole input.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT, kcat, killCliBroker, removeDir, startCliBroker, tempDir, type CliBroker } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'test/e2e/py/eos_crash.py');
const N = 600;
let cli: CliBroker | undefined;
let dir: string | undefined;

afterEach(async () => {
  await killCliBroker(cli);
  cli = undefined;
  if (dir !== undefined) removeDir(dir);
  dir = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function python(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, ...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

it.skipIf(!existsSync('/usr/lib/python3/dist-packages/confluent_kafka'))(
  'librdkafka consume-transform-produce across a SIGKILL of the broker: every record exactly once',
  async () => {
    dir = tempDir('txn-crash');
    const port = await freePort();
    cli = await startCliBroker(['--data-dir', dir], { port });
    await python([cli.bootstrap, 'seed', String(N)], 60_000);

    let commits = 0;
    const run = new Promise<string>((resolve, reject) => {
      const child = spawn(PYTHON, [SCRIPT, cli!.bootstrap, 'run', String(N)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        commits = (out.match(/^committed \d+$/gm) ?? []).length;
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`eos_crash.py run exited ${code}\n${out}\n${err}`));
      });
    });

    // Let some transactions commit, then kill the broker mid-stream and start it again.
    const t0 = Date.now();
    while (commits < 10 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
    const commitsBeforeKill = commits;
    expect(commitsBeforeKill).toBeGreaterThanOrEqual(10);
    cli.proc.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    cli = await startCliBroker(['--data-dir', dir], { port });

    const summary = JSON.parse((await run).trim().split('\n').pop()!) as { committed: number; commits: number; errors: string[] };
    expect(summary.committed).toBe(N);
    expect(summary.commits).toBeGreaterThan(commitsBeforeKill); // the loop went on after the restart

    const { stdout } = await kcat(['-b', cli.bootstrap, '-C', '-t', 'eos-out', '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
    const values = stdout.split('\n').filter((l) => l !== '');
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const duplicated = [...counts].filter(([, c]) => c > 1).map(([v]) => v);
    const missing = Array.from({ length: N }, (_, i) => `out-${i}`).filter((v) => !counts.has(v));
    expect({ duplicated, missing, total: values.length }).toEqual({ duplicated: [], missing: [], total: N });
  },
  120_000,
);
