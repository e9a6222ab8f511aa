/**
 * The physical limit on this machine, for the ratios the other benches print: a raw TCP socket → file
 * pump and file → socket pump between two processes on loopback, with the broker's buffer sizes
 * (the batch size for writes, the fetch size for reads) and the load generator's connection count.
 *
 *   node --import tsx bench/raw-pump.ts [--direction write|read] [--buf 16384] [--connections 4] [--mb 512]
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Args } from './lib/args.js';
import { processCpuSeconds, spawnReady, ROOT } from './lib/processes.js';
import path from 'node:path';
import os from 'node:os';

export interface PumpOptions {
  /** write: client → socket → server → file (produce's limit); read: file → socket → client (fetch's). */
  direction: 'write' | 'read';
  bufBytes: number;
  connections: number;
  totalBytes: number;
}

export interface PumpResult {
  mbps: number;
  seconds: number;
  bytes: number;
  /** CPU the server process used in the measured round, in cores (null where /proc is missing). */
  serverCpu: number | null;
}

/** One client connection: announces `bytes`, then sends them (write) or drains them (read). */
function pumpOne(host: string, port: number, direction: 'write' | 'read', bytes: number, bufBytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    socket.on('error', reject);
    socket.once('connect', () => {
      const head = Buffer.alloc(8);
      head.writeBigInt64BE(BigInt(bytes));
      socket.write(head);
      if (direction === 'read') {
        let got = 0;
        socket.on('data', (c: Buffer) => {
          got += c.length;
          if (got >= bytes) {
            socket.destroy();
            resolve();
          }
        });
        return;
      }
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      const bufs = Array.from({ length: 4 }, () => Buffer.alloc(bufBytes, 7));
      let sent = 0;
      let i = 0;
      const send = (): void => {
        while (sent < bytes) {
          const b = bufs[i++ % bufs.length]!;
          const n = Math.min(b.length, bytes - sent);
          sent += n;
          if (!socket.write(n === b.length ? b : b.subarray(0, n))) return void socket.once('drain', send);
        }
      };
      send();
    });
  });
}

/** Runs the pump once with a fresh server process. */
export async function runPump(o: PumpOptions): Promise<PumpResult> {
  const server = await spawnReady(
    path.join(ROOT, 'bench', 'lib', 'pump-server.ts'),
    ['--mode', o.direction === 'write' ? 'sink' : 'source', '--buf', String(o.bufBytes), '--dir', os.tmpdir(), '--file-mb', String(Math.min(256, Math.ceil(o.totalBytes / (1 << 20))))],
    /pump ready bootstrap=(\S+)/,
  );
  try {
    const per = Math.ceil(o.totalBytes / o.connections);
    // A short warm-up round first (connections, page cache, JIT), then the measured one.
    await Promise.all(Array.from({ length: o.connections }, () => pumpOne(server.host, server.port, o.direction, Math.min(per, 8 << 20), o.bufBytes)));
    const t0 = process.hrtime.bigint();
    const cpu0 = processCpuSeconds(server.pid);
    await Promise.all(Array.from({ length: o.connections }, () => pumpOne(server.host, server.port, o.direction, per, o.bufBytes)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu1 = processCpuSeconds(server.pid);
    const bytes = per * o.connections;
    return { mbps: bytes / 1e6 / seconds, seconds, bytes, serverCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / seconds : null };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const args = new Args(process.argv.slice(2));
  const direction = args.string('direction', 'write');
  if (direction !== 'write' && direction !== 'read') throw new Error('--direction must be write or read');
  const o: PumpOptions = {
    direction,
    bufBytes: args.number('buf', direction === 'write' ? 16384 : 1 << 20),
    connections: args.number('connections', 4),
    totalBytes: args.number('mb', args.has('quick') ? 32 : 512) * (1 << 20),
  };
  const r = await runPump(o);
  console.log(
    `raw ${direction === 'write' ? 'socket→file' : 'file→socket'} pump, ${o.bufBytes} B buffers, ${o.connections} connections, two processes: ` +
      `${r.mbps.toFixed(1)} MB/s (${(r.bytes / 1e6).toFixed(0)} MB in ${r.seconds.toFixed(3)} s)` +
      (r.serverCpu !== null ? `, server process at ${(100 * r.serverCpu).toFixed(0)}% of a core` : ''),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
