/**
 * The `brook` command's argument handling, as a user sees it: exit codes and messages.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; if `until` matches stderr, sends `signal` and waits for the exit. */
function runCli(args: string[], until?: RegExp, signal: NodeJS.Signals = 'SIGINT'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`CLI did not finish:\n${stderr}`));
    }, 20_000);
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until && until.test(stderr)) {
        until = undefined;
        p.kill(signal);
      }
    });
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('brook CLI', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: brook/);
    expect(r.stdout).toMatch(/--override/);
  });

  it('rejects unknown flags and bad values with exit code 2', async () => {
    const unknown = await runCli(['--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-flag/);
    const port = await runCli(['--port', 'ninety']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port expects/);
  });

  it('reports an invalid property as a log line and exits 1', async () => {
    const r = await runCli(['--memory', '--override', 'num.partitions=zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/level=error msg="invalid configuration" error=".*num\.partitions: expected an integer"/);
  });

  it('reads server.properties (positional, as kafka-server-start takes it), --override wins; SIGINT stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-cli-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'node.id=3\nlisteners=PLAINTEXT://127.0.0.1:0\nbrook.storage=memory\n');
    const r = await runCli([file, '--override', 'node.id=4'], /Brook ready/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/msg=listening listeners=127\.0\.0\.1:\d+ advertised=PLAINTEXT:\/\/127\.0\.0\.1:\d+ nodeId=4/);
    expect(r.stderr).toMatch(/msg="shutting down" signal=SIGINT/);
  });
});
