/**
 * Shared pieces of the end-to-end suite: brokers started through the public API (or as a CLI child
 * process), the Debian kcat binary, temp dirs. Real clients only; nothing here imitates a client.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, type BrokerOptions } from '../../src/index.js';
import type { Broker } from '../../src/server/broker.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const KCAT = '/usr/bin/kcat';

/** A broker on 127.0.0.1 and a free port, in memory unless `dataDir` is given. */
export function testBroker(options: BrokerOptions = {}): Promise<Broker> {
  return startBroker({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
    ...(options.dataDir === undefined ? { memory: true } : {}),
    ...options,
  });
}

/** A fresh directory under the OS temp dir; remove it with `removeDir`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `brook-e2e-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs kcat to completion; rejects on a non-zero exit or after `timeoutMs`. */
export function kcat(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      KCAT,
      [...args],
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 256 << 20, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
    child.stdin!.on('error', () => {}); // kcat may exit before reading its input; the exit code tells
    child.stdin!.end(options.input ?? '');
  });
}

/** One message as `kcat -J` prints it. */
export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  tstype: string;
  ts: number;
  /** Alternating header names and values, as kcat prints them; absent when the record has none. */
  headers?: string[];
  key: string | null;
  payload: string | null;
}

/** Consumes every partition of `topic` from the beginning to the end, without a group. */
export async function kcatConsumeAll(bootstrap: string, topic: string, timeoutMs = 60_000): Promise<KcatMessage[]> {
  const { stdout } = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'], { timeoutMs });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatMessage);
}

/** Groups messages by partition, each list in offset order. */
export function byPartition<M extends { partition: number; offset: number }>(messages: readonly M[]): Map<number, M[]> {
  const out = new Map<number, M[]>();
  for (const m of messages) {
    const list = out.get(m.partition) ?? [];
    list.push(m);
    out.set(m.partition, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.offset - b.offset);
  return out;
}

/** A `brook` CLI child process (run from source with tsx). */
export interface CliBroker {
  proc: ChildProcess;
  port: number;
  bootstrap: string;
  stderr(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `brook` on 127.0.0.1 (`port` 0 = a free one) and resolves once it logs that it is ready. */
export function startCliBroker(args: readonly string[], options: { port?: number; timeoutMs?: number } = {}): Promise<CliBroker> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cli = [join(ROOT, 'src/cli.ts'), '--host', '127.0.0.1', '--port', String(options.port ?? 0), ...args];
  const proc = spawn(process.execPath, ['--import', 'tsx', ...cli], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  proc.stderr!.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`brook did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    proc.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /msg="Brook ready" bootstrap=[^\s:]+:(\d+)/.exec(stderr);
      if (m && timer !== undefined) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({ proc, port, bootstrap: `127.0.0.1:${port}`, stderr: () => stderr, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`brook exited (${code ?? signal}) before it was ready:\n${stderr}`));
    });
  });
}

/** Kills a CLI broker if it still runs (afterAll safety net). */
export async function killCliBroker(b: CliBroker | undefined): Promise<void> {
  if (b === undefined || b.proc.exitCode !== null || b.proc.signalCode !== null) return;
  b.proc.kill('SIGKILL');
  await b.exited;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
