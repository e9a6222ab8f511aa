/**
 * Smoke test of the `brook` command: start it as its own process on a free port, exchange ApiVersions
 * over TCP (encoded and decoded by our codec, every version), check the KIP-511 fallback, then stop it
 * with SIGTERM and expect a clean exit. When a Metadata handler is registered, kafkajs also connects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import { api as apiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { HANDLERS } from '../../src/server/handlers/index.js';
import { RawClient } from '../server/helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

let proc: ChildProcess;
let stderr = '';
let port = 0;

beforeAll(async () => {
  proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), '--port', '0', '--memory'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start:\n${stderr}`)), 20_000);
    proc.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /msg="Brook ready" bootstrap=localhost:(\d+)/.exec(stderr);
      if (m) {
        port = Number(m[1]);
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`broker exited with ${code}:\n${stderr}`)));
  });
});

afterAll(() => {
  if (proc.exitCode === null) proc.kill('SIGKILL');
});

describe('brook CLI smoke', () => {
  it('prints where it listens: both loopback families, advertising localhost', () => {
    expect(stderr).toMatch(new RegExp(`listeners="127\\.0\\.0\\.1:${port},\\[::1\\]:${port}"`));
    expect(stderr).toMatch(/readyMs=\d+/);
  });

  it('answers ApiVersions v0-v4 on 127.0.0.1 and ::1', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const c = await RawClient.connect(port, host);
      for (let v = 0; v <= 4; v++) {
        const frame = encodeRequestFrame(apiVersions, v, { correlationId: 100 + v, clientId: 'smoke' }, {
          clientSoftwareName: 'brook-smoke',
          clientSoftwareVersion: '0.1.0',
        });
        for (const b of frame) c.write(b);
      }
      const frames = await c.waitFrames(5);
      frames.forEach((f, v) => {
        const { correlationId, body } = decodeResponseFrame(apiVersions, v, f);
        expect(correlationId).toBe(100 + v);
        expect(body.errorCode).toBe(0);
        expect(body.apiKeys).toContainEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 });
      });
      c.destroy();
    }
  });

  it.skipIf(!HANDLERS.some((h) => h.apiKey === 3))('kafkajs admin connects and describes the cluster', async () => {
    const kafka = new Kafka({ brokers: [`localhost:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([expect.objectContaining({ nodeId: 0, host: 'localhost', port })]);
    await admin.disconnect();
  });

  it('shuts down cleanly on SIGTERM', async () => {
    proc.kill('SIGTERM');
    const [code] = (await once(proc, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toMatch(/msg="shutting down" signal=SIGTERM/);
    expect(stderr).toMatch(/msg="shut down"/);
  });
});
