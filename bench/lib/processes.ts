/**
 * Child processes for the systems under test. The broker (or sink, or pump) always runs in its own
 * process, apart from the load generator, so the machine's cores are split as they would be for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** utime + stime of a process in seconds, from /proc (Linux); null elsewhere. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export interface ChildHandle {
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
  /** The child's recent stderr lines (for error messages). */
  tail(): string;
}

export interface SpawnOptions {
  /** Node flags for the child, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeFlags?: readonly string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Starts `node [flags] --import tsx <script> args` and resolves when a line matching `ready` appears on
 * stdout or stderr; the regex's first group is the bootstrap "host:port".
 */
export function spawnReady(script: string, args: readonly string[], ready: RegExp, opts: SpawnOptions = {}): Promise<ChildHandle> {
  const useTsx = script.endsWith('.ts');
  const argv = [...(opts.nodeFlags ?? []), ...(useTsx ? ['--import', 'tsx'] : []), script, ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${path.basename(script)} not ready after ${opts.timeoutMs ?? 20_000} ms`)), opts.timeoutMs ?? 20_000);
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${lines.slice(-20).join('\n')}`));
    };
    const onLine = (line: string): void => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (settled) return;
      const m = ready.exec(line);
      if (m === null) return;
      settled = true;
      clearTimeout(timer);
      const bootstrap = m[1]!;
      const i = bootstrap.lastIndexOf(':');
      resolve(handle(child, exited, bootstrap, bootstrap.slice(0, i), Number(bootstrap.slice(i + 1)), lines));
    };
    pipeLines(child, onLine);
    child.once('exit', (code, signal) => fail(new Error(`${path.basename(script)} exited early (code ${code}, signal ${signal})`)));
    child.once('error', (err) => fail(err));
  });
}

function pipeLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (s: string) => {
      rest += s;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        onLine(rest.slice(0, nl));
        rest = rest.slice(nl + 1);
      }
    });
  }
}

function handle(child: ChildProcess, exited: Promise<void>, bootstrap: string, host: string, port: number, lines: string[]): ChildHandle {
  return {
    bootstrap,
    host,
    port,
    pid: child.pid ?? -1,
    tail: () => lines.slice(-20).join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface BrokerProcessOptions extends SpawnOptions {
  /** Keep everything in memory; otherwise a fresh data directory under the OS temp dir. */
  memory?: boolean;
  dataDir?: string;
  overrides?: readonly string[];
  /** 'src' (node --import tsx src/cli.ts, the default) or 'dist' (dist/cli.js after `npm run build`). */
  entry?: 'src' | 'dist';
  /** Another checkout of Brook to run (A/B comparisons of a change); default: this one. */
  root?: string;
}

/** Starts Brook's CLI in a child process on a free port. The data directory is removed on stop(). */
export async function spawnBroker(opts: BrokerProcessOptions = {}): Promise<ChildHandle & { dataDir: string | null }> {
  const entry = opts.entry ?? 'src';
  const root = opts.root ?? ROOT;
  const script = entry === 'dist' ? path.join(root, 'dist', 'cli.js') : path.join(root, 'src', 'cli.ts');
  if (!fs.existsSync(script)) throw new Error(`${script} is missing (run npm run build for --broker dist)`);
  const ownDir = !opts.memory && opts.dataDir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'brook-bench-')) : null;
  const dataDir = opts.memory ? null : (opts.dataDir ?? ownDir);
  const args = ['--port', '0', '--host', '127.0.0.1', '--log-level', 'info'];
  if (dataDir !== null) args.push('--data-dir', dataDir);
  else args.push('--memory');
  for (const o of opts.overrides ?? []) args.push('--override', o);
  const h = await spawnReady(script, args, /msg="Brook ready" bootstrap=(\S+)/, opts);
  return {
    ...h,
    dataDir,
    async stop() {
      await h.stop();
      if (ownDir !== null) fs.rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
