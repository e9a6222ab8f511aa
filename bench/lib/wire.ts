/**
 * A minimal Kafka wire client for the load generator and setup steps: one TCP connection, pipelined
 * requests, responses matched in order (Kafka answers each connection's requests in order) and checked
 * against the correlation id. Frames are encoded with Brook's codec (src/protocol), so the hot path can
 * send pre-encoded frames untouched.
 */
import net from 'node:net';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';

interface Pending {
  correlationId: number;
  /** Receives the response frame (size prefix removed), or an error. */
  done: (frame: Buffer | Error) => void;
}

/**
 * Splits the response stream into frames. A frame inside one socket chunk is a view of it; one that
 * straddles chunks is assembled in a buffer reused for the next such frame (no allocation and garbage
 * per large fetch response), so a frame is valid only until the callback that receives it returns.
 */
class ResponseFramer {
  private chunk: Buffer = Buffer.alloc(0);
  private pos = 0;
  private assembly: Buffer = Buffer.allocUnsafe(0);
  private filled = 0;
  /** Size of the frame being assembled, -1 while none; header bytes of a size prefix split across chunks. */
  private want = -1;
  private readonly head = Buffer.alloc(4);
  private headFilled = 0;

  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    this.chunk = chunk;
    this.pos = 0;
    while (this.pos < chunk.length) {
      if (this.want < 0) {
        if (this.headFilled === 0 && chunk.length - this.pos >= 4) {
          const size = chunk.readInt32BE(this.pos);
          if (size < 0) throw new Error(`bad response frame size ${size}`);
          this.pos += 4;
          if (chunk.length - this.pos >= size) {
            onFrame(chunk.subarray(this.pos, this.pos + size));
            this.pos += size;
            continue;
          }
          this.begin(size);
        } else {
          const n = Math.min(4 - this.headFilled, chunk.length - this.pos);
          chunk.copy(this.head, this.headFilled, this.pos, this.pos + n);
          this.headFilled += n;
          this.pos += n;
          if (this.headFilled < 4) return;
          this.headFilled = 0;
          this.begin(this.head.readInt32BE(0));
        }
      }
      const n = Math.min(this.want - this.filled, chunk.length - this.pos);
      chunk.copy(this.assembly, this.filled, this.pos, this.pos + n);
      this.filled += n;
      this.pos += n;
      if (this.filled === this.want) {
        const frame = this.assembly.subarray(0, this.want);
        this.want = -1;
        onFrame(frame);
      }
    }
  }

  private begin(size: number): void {
    if (size > this.assembly.length) this.assembly = Buffer.allocUnsafe(Math.max(size, 2 * this.assembly.length));
    this.want = size;
    this.filled = 0;
  }
}

export class WireConnection {
  private readonly framer = new ResponseFramer();
  private readonly pending: Pending[] = [];
  private head = 0;
  private nextCorrelationId = 1;
  private closedError: Error | null = null;

  private constructor(readonly socket: net.Socket, readonly clientId: string) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.failAll(err));
    socket.on('close', () => this.failAll(new Error('connection closed by the broker')));
  }

  static connect(host: string, port: number, clientId = 'brook-bench'): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new WireConnection(socket, clientId));
      });
      socket.once('error', reject);
    });
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.length - this.head;
  }

  /** Allocates a correlation id (for callers that encode frames themselves). */
  takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  /** Encodes and sends one request; resolves with the decoded response body. */
  async request<Req, Res>(api: ApiSpec<Req, Res>, version: number, body: Req): Promise<Res> {
    const correlationId = this.takeCorrelationId();
    const frame = encodeRequestFrame(api, version, { correlationId, clientId: this.clientId }, body);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      // The frame may live in a reused buffer: keep a copy past the callback.
      this.sendFrame(frame, correlationId, (r) => (r instanceof Error ? reject(r) : resolve(Buffer.from(r))));
    });
    const res = decodeResponseFrame(api, version, raw);
    return res.body;
  }

  /**
   * Sends an already-encoded frame whose header carries `correlationId`; `done` gets the response frame.
   * Pass `done` = null for a request the broker does not answer (Produce with acks=0). The frame given
   * to `done` is valid only until it returns (copy it to keep it).
   * Returns false when the socket's buffer is full (wait for `drained()` before sending more).
   */
  sendFrame(frame: Buffer | readonly Buffer[], correlationId: number, done: ((frame: Buffer | Error) => void) | null): boolean {
    if (this.closedError !== null) {
      done?.(this.closedError);
      return false;
    }
    if (done !== null) this.pending.push({ correlationId, done });
    if (Buffer.isBuffer(frame)) return this.socket.write(frame);
    let ok = true;
    if (frame.length === 1) return this.socket.write(frame[0]!);
    this.socket.cork();
    for (const b of frame) ok = this.socket.write(b);
    this.socket.uncork();
    return ok;
  }

  /** Resolves when the socket's write buffer has drained. */
  drained(): Promise<void> {
    if (this.socket.writableLength === 0 || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private onData(chunk: Buffer): void {
    try {
      this.framer.push(chunk, (frame) => this.onFrame(frame));
    } catch (err) {
      this.failAll(err as Error);
      this.socket.destroy();
    }
  }

  private onFrame(frame: Buffer): void {
    const p = this.pending[this.head];
    if (p === undefined) throw new Error('response without a request');
    this.pending[this.head++] = undefined as unknown as Pending;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    const id = frame.readInt32BE(0);
    if (id !== p.correlationId) p.done(new Error(`correlation id ${id}, expected ${p.correlationId}`));
    else p.done(frame);
  }

  private failAll(err: Error): void {
    if (this.closedError !== null) return;
    this.closedError = err;
    const waiting = this.pending.slice(this.head);
    this.pending.length = 0;
    this.head = 0;
    for (const p of waiting) p.done(err);
  }

  close(): void {
    this.closedError ??= new Error('closed');
    this.socket.destroy();
  }
}

/** "host:port" (first of a comma-separated list) into parts. */
export function parseBootstrap(bootstrap: string): { host: string; port: number } {
  const first = bootstrap.split(',')[0]!.trim();
  const i = first.lastIndexOf(':');
  if (i <= 0) throw new Error(`bootstrap "${bootstrap}" is not host:port`);
  let host = first.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port: Number(first.slice(i + 1)) };
}
