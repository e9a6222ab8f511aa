import { connect, createServer, type Server, type Socket } from 'node:net';
import { Connection, type ConnectionOptions, type Dispatch } from '../../src/server/connection.js';
import { Framer } from '../../src/server/framer.js';
import { createLogger, type LogRecord } from '../../src/server/logger.js';

export function sizePrefixed(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** A request frame shaped like Kafka's header start: api key, version, correlation id, then `extra`. */
export function rawRequest(apiKey: number, version: number, correlationId: number, extra = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(version, 2);
  head.writeInt32BE(correlationId, 4);
  return sizePrefixed(Buffer.concat([head, extra]));
}

/** A raw TCP client that collects size-prefixed response frames. */
export class RawClient {
  readonly frames: Buffer[] = [];
  private readonly framer = new Framer(1 << 30);
  private waiters: Array<() => void> = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.framer.push(chunk);
      for (let f = this.framer.next(); f !== undefined; f = this.framer.next()) this.frames.push(Buffer.from(f));
      this.wake();
    });
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.wake();
        resolve();
      }),
    );
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(buf: Buffer): void {
    this.socket.write(buf);
  }

  /** Waits until `n` frames arrived (or the socket closed); throws after timeoutMs. */
  async waitFrames(n: number, timeoutMs = 5000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < n && !this.closed) {
      if (Date.now() > deadline) throw new Error(`timed out with ${this.frames.length}/${n} frames`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames.slice(0, n);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface Harness {
  readonly server: Server;
  readonly port: number;
  readonly logs: LogRecord[];
  readonly connections: Connection[];
  close(): Promise<void>;
}

/** A server whose connections use `dispatch` (no codec), for transport-level tests. */
export async function startHarness(
  dispatch: Dispatch,
  options: Partial<Omit<ConnectionOptions, 'dispatch' | 'logger' | 'id'>> = {},
): Promise<Harness> {
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', sink: (r) => logs.push(r) });
  const connections: Connection[] = [];
  let id = 0;
  const server = createServer((socket) => {
    connections.push(
      new Connection(socket, {
        dispatch,
        logger,
        listenerName: 'PLAINTEXT',
        maxFrameBytes: 1 << 20,
        maxInFlight: 500,
        maxQueuedBytes: 16 << 20,
        idleMs: 0,
        id: ++id,
        ...options,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    logs,
    connections,
    close: async () => {
      for (const c of connections) c.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
