/**
 * One client connection: frames requests, dispatches them, and writes responses in request order.
 *
 * Pipelining: every frame gets a slot in arrival order and is dispatched at once (dispatch is called in
 * request order, so work a handler starts synchronously is ordered); slots complete in any order, and
 * responses leave strictly from the head of the queue. A "no response" outcome (acks=0) frees its slot
 * without writing anything.
 *
 * Back-pressure: the connection stops taking frames (and pauses the socket) while too many requests are
 * in flight or too many response bytes are queued (completed-but-waiting plus unsent socket bytes), and
 * resumes on drain.
 *
 * Faults in the stream (bad size prefix, a request the dispatcher rejects, a handler that throws) close
 * this connection only, with one log line naming the client and the reason.
 */
import type { Socket } from 'node:net';
import { FrameError, Framer, guessForeignProtocol } from './framer.js';
import type { Faults, FaultRule } from './faults.js';
import type { Logger } from './logger.js';
import { takeWriteRelease } from './write-release.js';
import { batchUntilImmediate, writeFailures, writeQueued } from '../storage/write-batch.js';

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localPort: number;
  /** Name of the listener the client connected to (e.g. PLAINTEXT). */
  readonly listenerName: string;
  /** `host:port` of the client, for logs. */
  readonly client: string;
  /** client.id from the latest request header (set by the dispatcher), for logs. */
  clientId: string | null;
  /** Client software name/version from ApiVersions v3+ (KIP-511), null until sent. */
  clientSoftware: string | null;
}

/** Response frames to write (size prefixes included), or null for "no response". */
export type DispatchOutcome = readonly Buffer[] | null;

/** Turns a request frame into its response. Throwing (or rejecting) closes the connection. */
export type Dispatch = (frame: Buffer, info: ConnectionInfo) => DispatchOutcome | Promise<DispatchOutcome>;

/** An error that is the client's fault: logged as a warning, without a stack. */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

export interface ConnectionOptions {
  readonly dispatch: Dispatch;
  readonly logger: Logger;
  readonly listenerName: string;
  readonly maxFrameBytes: number;
  readonly maxInFlight: number;
  readonly maxQueuedBytes: number;
  /** 0 disables the idle timeout. */
  readonly idleMs: number;
  readonly faults?: Faults;
  readonly id: number;
}

interface Slot {
  done: boolean;
  buffers: DispatchOutcome;
  bytes: number;
  /** Close the connection once this slot reaches the head (a fault). */
  closeAfter: boolean;
}

const EMPTY: DispatchOutcome = null;
/**
 * Responses wait for the end of the event-loop turn (gathering the turn's appends into one writev and
 * its responses into one send) only while the connection has read less than this since its last
 * flush: with large requests the syscalls are already big, and holding their responses back while
 * the rest of the turn is read makes client and broker take turns (1 MiB batches ran at half speed).
 */
const TURN_FLUSH_MAX_BYTES = 256 * 1024;

export class Connection {
  readonly info: ConnectionInfo;
  private readonly framer: Framer;
  private readonly slots: Slot[] = [];
  private readonly log: Logger;
  /** Bytes of completed responses still waiting behind an unfinished one. */
  private waitingBytes = 0;
  private paused = false;
  private flushScheduled = false;
  /** Bytes read since the last flush (see TURN_FLUSH_MAX_BYTES). */
  private readSinceFlush = 0;
  /** writeFailures() when this connection last wrote responses. */
  private seenWriteFailures = writeFailures();
  private draining = false;
  private closed = false;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    const remoteAddress = socket.remoteAddress ?? 'unknown';
    const remotePort = socket.remotePort ?? 0;
    const client = remoteAddress.includes(':') ? `[${remoteAddress}]:${remotePort}` : `${remoteAddress}:${remotePort}`;
    this.info = {
      id: options.id,
      remoteAddress,
      remotePort,
      localPort: socket.localPort ?? 0,
      listenerName: options.listenerName,
      client,
      clientId: null,
      clientSoftware: null,
    };
    this.log = options.logger.child({ client, conn: options.id });
    this.framer = new Framer(options.maxFrameBytes);
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));

    socket.setNoDelay(true);
    socket.setKeepAlive(true); // as Kafka does: notice peers that vanished without a FIN
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Resets and broken pipes are the client leaving; nothing to act on.
      this.log.debug('connection error', { error: err.code ?? err.message });
    });
    socket.on('close', () => {
      if (!this.closed && this.framer.bufferedBytes > 0) {
        this.log.warn('client closed the connection in the middle of a request', {
          bufferedBytes: this.framer.bufferedBytes,
        });
      }
      this.closed = true;
      this.log.debug('connection closed');
    });
    this.log.debug('connection opened', { listener: options.listenerName });
    if (options.idleMs > 0) {
      socket.setTimeout(options.idleMs);
      socket.on('timeout', () => this.onIdle());
    }
  }

  /** Requests received and not yet answered. */
  get inFlight(): number {
    return this.slots.length;
  }

  /** Resolves once the socket is closed. */
  get closedSignal(): Promise<void> {
    return this.closedPromise;
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.draining) return;
    this.readSinceFlush += chunk.length;
    this.framer.push(chunk);
    this.pump();
  }

  /**
   * Takes frames while not back-pressured. Corked, so responses made synchronously leave in one writev.
   * Inside a storage write batch for this event-loop turn, so the appends of every request read in it
   * reach each segment file in one writev (flush() writes them before any response leaves).
   */
  private pump(): void {
    this.socket.cork();
    batchUntilImmediate();
    try {
      this.pumpFrames();
    } finally {
      if (!this.socket.destroyed) this.socket.uncork();
    }
  }

  private pumpFrames(): void {
    while (!this.paused && !this.draining && !this.closed) {
      let frame: Buffer | undefined;
      try {
        frame = this.framer.next();
      } catch (err) {
        if (!(err instanceof FrameError)) return this.fail(err);
        const foreign = guessForeignProtocol(err.size);
        this.fail(new ProtocolViolation(foreign ? `${err.message}; the client seems to speak ${foreign}` : err.message));
        return;
      }
      if (frame === undefined) return;
      this.receive(frame);
      this.checkPressure();
    }
  }

  private receive(frame: Buffer): void {
    const slot: Slot = { done: false, buffers: EMPTY, bytes: 0, closeAfter: false };
    let fault: FaultRule | undefined;
    const faults = this.options.faults;
    if (faults?.active && frame.length >= 2) fault = faults.take(frame.readInt16BE(0));
    if (fault?.action === 'close-before-handling') {
      this.log.info('fault injected: closing before handling', { apiKey: frame.readInt16BE(0) });
      this.destroy();
      return;
    }
    this.slots.push(slot);
    let outcome: DispatchOutcome | Promise<DispatchOutcome>;
    try {
      outcome = this.options.dispatch(frame, this.info);
    } catch (err) {
      this.fail(err);
      return;
    }
    const finish = (result: DispatchOutcome): void => {
      if (fault === undefined) return this.complete(slot, result);
      switch (fault.action) {
        case 'drop-response':
          return this.complete(slot, null);
        case 'close-after-handling':
          slot.closeAfter = true;
          return this.complete(slot, null);
        default:
          setTimeout(() => this.complete(slot, result), fault.delayMs ?? 0);
      }
    };
    if (outcome instanceof Promise) outcome.then(finish, (err: unknown) => this.fail(err));
    else finish(outcome);
  }

  private complete(slot: Slot, buffers: DispatchOutcome): void {
    if (this.closed) return;
    slot.done = true;
    slot.buffers = buffers;
    if (buffers) for (const b of buffers) slot.bytes += b.length;
    this.waitingBytes += slot.bytes;
    this.scheduleFlush();
  }

  /**
   * Flushes once the current burst of completions is over, so their responses leave in one corked
   * writev: at the end of this event-loop turn (every read of it: one send per turn rather than one
   * per read), or after this read's handlers when much was read (TURN_FLUSH_MAX_BYTES).
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = (): void => {
      this.flushScheduled = false;
      if (!this.closed) this.flush();
    };
    if (this.readSinceFlush >= TURN_FLUSH_MAX_BYTES) process.nextTick(run);
    else setImmediate(run);
  }

  /** Writes every completed response at the head of the queue, in one corked batch. */
  private flush(): void {
    if (this.slots.length === 0 || !this.slots[0]!.done) return;
    this.readSinceFlush = 0;
    // Acknowledged appends reach the OS before their acknowledgements (../storage/write-batch.ts).
    writeQueued();
    if (writeFailures() !== this.seenWriteFailures) {
      this.seenWriteFailures = writeFailures();
      // Some answered append never reached its file: responses waiting here may claim it did.
      return this.fail(new Error('a storage write failed after its requests were answered; closing without sending those answers'));
    }
    this.socket.cork();
    while (this.slots.length > 0 && this.slots[0]!.done) {
      const slot = this.slots.shift()!;
      this.waitingBytes -= slot.bytes;
      if (slot.closeAfter) {
        this.log.info('fault injected: closing after handling');
        this.socket.uncork();
        this.destroy();
        return;
      }
      // A pooled read buffer returns to its pool once written (./write-release.ts).
      if (slot.buffers) for (const b of slot.buffers) this.socket.write(b, takeWriteRelease(b));
    }
    this.socket.uncork();
    if (this.draining) this.maybeFinishDrain();
    else this.maybeResume();
  }

  private get queuedBytes(): number {
    return this.waitingBytes + this.socket.writableLength;
  }

  private checkPressure(): void {
    if (this.paused) return;
    if (this.slots.length >= this.options.maxInFlight || this.queuedBytes > this.options.maxQueuedBytes) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (this.draining) return this.maybeFinishDrain();
    if (!this.paused || this.closed) return;
    if (this.slots.length < this.options.maxInFlight && this.queuedBytes <= this.options.maxQueuedBytes) {
      this.paused = false;
      this.socket.resume();
      this.pump();
    }
  }

  private onIdle(): void {
    if (this.slots.length > 0) {
      // A request is being worked on (a long poll, a rebalance): not idle. Re-arm.
      this.socket.setTimeout(this.options.idleMs);
      return;
    }
    this.log.info('closing idle connection', { idleMs: this.options.idleMs });
    this.destroy();
  }

  /** Closes the connection because of a fault, with one log line. */
  private fail(err: unknown): void {
    if (this.closed) return;
    const who = { clientId: this.info.clientId ?? undefined, software: this.info.clientSoftware ?? undefined };
    if (err instanceof ProtocolViolation) this.log.warn('closing connection', { ...who, error: err.message });
    else {
      const error = err instanceof Error ? err : new Error(String(err));
      this.log.error('closing connection after internal error', { ...who, error: error.message, stack: error.stack });
    }
    this.destroy();
  }

  private destroy(): void {
    this.closed = true;
    this.slots.length = 0;
    this.socket.destroy();
  }

  /**
   * Graceful close: take no further requests, answer those in flight, flush, then end the socket.
   * Resolves when the socket is closed; `timeoutMs` later it is destroyed regardless.
   */
  drainAndClose(timeoutMs: number): Promise<void> {
    if (!this.closed && !this.draining) {
      this.draining = true;
      this.socket.pause();
      this.socket.setTimeout(0);
      const timer = setTimeout(() => {
        this.log.warn('shutdown: closing connection with requests still in flight', { inFlight: this.slots.length });
        this.destroy();
      }, timeoutMs);
      timer.unref();
      void this.closedPromise.then(() => clearTimeout(timer));
      this.maybeFinishDrain();
    }
    return this.closedPromise;
  }

  private maybeFinishDrain(): void {
    if (this.closed || this.slots.length > 0) return;
    if (this.socket.writableLength > 0) return; // wait for 'drain'
    this.closed = true;
    this.socket.end();
    // A client that never reads would keep the socket half-open; end() then destroy() after flushing.
    this.socket.once('finish', () => this.socket.destroy());
  }

  /** Abrupt close (used when a graceful drain timed out or for tests). */
  close(): void {
    this.destroy();
  }
}
