import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolViolation, type Dispatch } from '../../src/server/connection.js';
import { Faults } from '../../src/server/faults.js';
import { rawRequest, RawClient, sizePrefixed, sleep, startHarness, type Harness } from './helpers.js';

/** Echoes the correlation id back; the 4 bytes after the header (if any) are a delay in ms. */
function echoResponse(frame: Buffer): Buffer[] {
  const body = Buffer.alloc(4);
  body.writeInt32BE(frame.readInt32BE(4));
  return [sizePrefixed(body)];
}

function delayOf(frame: Buffer): number {
  return frame.length >= 12 ? frame.readInt32BE(8) : 0;
}

function delayed(correlationId: number, delayMs: number, apiKey = 1): Buffer {
  const extra = Buffer.alloc(4);
  extra.writeInt32BE(delayMs);
  return rawRequest(apiKey, 0, correlationId, extra);
}

const echoAsync: Dispatch = (frame) =>
  new Promise((resolve) => setTimeout(() => resolve(echoResponse(frame)), delayOf(frame)));

let harness: Harness | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await harness?.close();
  harness = undefined;
});

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(harness!.port);
  clients.push(c);
  return c;
}

const ids = (frames: Buffer[]): number[] => frames.map((f) => f.readInt32BE(0));

describe('Connection', () => {
  it('answers pipelined requests in request order when handlers finish out of order', async () => {
    harness = await startHarness(echoAsync);
    const c = await client();
    // Later requests finish first: delays 100, 90, …, 0 ms.
    c.write(Buffer.concat(Array.from({ length: 11 }, (_, i) => delayed(i, 100 - i * 10))));
    expect(ids(await c.waitFrames(11))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('dispatches requests in arrival order, all at once (pipelined, not one at a time)', async () => {
    const seen: number[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    harness = await startHarness(async (frame) => {
      seen.push(frame.readInt32BE(4));
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      await sleep(20);
      concurrent--;
      return echoResponse(frame);
    });
    const c = await client();
    c.write(Buffer.concat(Array.from({ length: 20 }, (_, i) => rawRequest(0, 0, i))));
    await c.waitFrames(20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxConcurrent).toBe(20);
  });

  it('sends nothing for a no-response request (acks=0) and keeps the order of the rest', async () => {
    harness = await startHarness((frame) => (frame.readInt32BE(4) % 2 === 0 ? null : echoAsync(frame, {} as never)));
    const c = await client();
    c.write(Buffer.concat([delayed(1, 30), rawRequest(0, 0, 2), delayed(3, 0), rawRequest(0, 0, 4), delayed(5, 10)]));
    expect(ids(await c.waitFrames(3))).toEqual([1, 3, 5]);
    await sleep(50);
    expect(c.frames.length).toBe(3);
  });

  it('stops reading while queued response bytes exceed the bound, and resumes as the client reads', async () => {
    let dispatched = 0;
    const big = Buffer.alloc(1 << 20, 1);
    harness = await startHarness(
      (frame) => {
        dispatched++;
        const head = Buffer.alloc(4);
        head.writeInt32BE(frame.readInt32BE(4));
        return [sizePrefixed(Buffer.concat([head, big]))];
      },
      { maxQueuedBytes: 4 << 20 },
    );
    const c = await client();
    c.socket.pause(); // the client does not read
    c.write(Buffer.concat(Array.from({ length: 200 }, (_, i) => rawRequest(0, 0, i))));
    for (const end = Date.now() + 10_000; dispatched === 0 && Date.now() < end; ) await sleep(5); // a loaded machine may lag
    await sleep(300);
    // Kernel buffers absorb a few MiB; the rest must wait: far fewer than 200 were taken.
    expect(dispatched).toBeLessThan(60);
    expect(dispatched).toBeGreaterThan(0);
    c.socket.resume();
    const frames = await c.waitFrames(200, 20_000);
    expect(ids(frames)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(dispatched).toBe(200);
  });

  it('stops reading while too many requests are in flight', async () => {
    const pending: Array<() => void> = [];
    let dispatched = 0;
    harness = await startHarness(
      (frame) => {
        dispatched++;
        return new Promise((resolve) => pending.push(() => resolve(echoResponse(frame))));
      },
      { maxInFlight: 5 },
    );
    const c = await client();
    c.write(Buffer.concat(Array.from({ length: 12 }, (_, i) => rawRequest(0, 0, i))));
    for (const end = Date.now() + 10_000; dispatched < 5 && Date.now() < end; ) await sleep(5); // a loaded machine may lag
    await sleep(100); // time to (wrongly) take more
    expect(dispatched).toBe(5);
    while (dispatched < 12 || pending.length > 0) {
      pending.shift()?.();
      await sleep(5);
    }
    expect(ids(await c.waitFrames(12))).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('closes only the connection that sent an oversized frame, with a log line naming the client', async () => {
    harness = await startHarness(echoAsync, { maxFrameBytes: 1000 });
    const bad = await client();
    const good = await client();
    const badPort = bad.socket.localPort;
    const size = Buffer.alloc(4);
    size.writeInt32BE(1001);
    bad.write(size);
    await bad.closedPromise;
    const line = harness.logs.find((r) => r.level === 'warn');
    expect(line?.msg).toBe('closing connection');
    expect(String(line?.fields.error)).toMatch(/1001 bytes exceeds socket.request.max.bytes \(1000\)/);
    expect(line?.fields.client).toBe(`127.0.0.1:${badPort}`);
    good.write(rawRequest(0, 0, 7));
    expect(ids(await good.waitFrames(1))).toEqual([7]);
  });

  it('closes on garbage (negative size) and on a request the dispatcher rejects; others carry on', async () => {
    harness = await startHarness((frame) => {
      if (frame.readInt16BE(0) === 999) throw new ProtocolViolation('unsupported API key 999');
      return echoResponse(frame);
    });
    const garbage = await client();
    const unknown = await client();
    const good = await client();
    garbage.write(Buffer.from('\xff\xff\xff\xffGET / HTTP/1.1\r\n', 'latin1'));
    unknown.write(rawRequest(999, 0, 1));
    await Promise.all([garbage.closedPromise, unknown.closedPromise]);
    const errors = harness.logs.filter((r) => r.level === 'warn').map((r) => String(r.fields.error));
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/negative frame size/), 'unsupported API key 999']));
    good.write(rawRequest(0, 0, 3));
    expect(ids(await good.waitFrames(1))).toEqual([3]);
  });

  it('names TLS and HTTP clients on the plaintext port in the log line', async () => {
    harness = await startHarness(echoAsync);
    const tls = await client();
    const http = await client();
    tls.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    http.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await Promise.all([tls.closedPromise, http.closedPromise]);
    const errors = harness.logs.filter((r) => r.level === 'warn').map((r) => String(r.fields.error));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/exceeds socket.request.max.bytes .*seems to speak TLS/),
        expect.stringMatching(/seems to speak HTTP$/),
      ]),
    );
  });

  it('closes the connection when a handler fails, logging it as an internal error', async () => {
    harness = await startHarness(async () => {
      throw new Error('boom');
    });
    const c = await client();
    c.write(rawRequest(0, 0, 1));
    await c.closedPromise;
    expect(harness.logs.some((r) => r.level === 'error' && r.fields.error === 'boom')).toBe(true);
  });

  it('closes a connection after connections.max.idle.ms without traffic, but not while a request is in flight', async () => {
    harness = await startHarness(echoAsync, { idleMs: 150 });
    const t0 = Date.now(); // before connecting: the idle clock starts at accept, and connecting `busy` may take a while
    const idle = await client();
    const busy = await client();
    busy.write(delayed(1, 400)); // in flight longer than the idle timeout
    await idle.closedPromise;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(busy.closed).toBe(false);
    expect(ids(await busy.waitFrames(1))).toEqual([1]);
    expect(harness.logs.some((r) => r.msg === 'closing idle connection')).toBe(true);
    await busy.closedPromise; // then idle after the answer
  });

  it('graceful close answers in-flight requests, then ends the connection', async () => {
    harness = await startHarness(echoAsync);
    const c = await client();
    c.write(Buffer.concat([delayed(1, 100), delayed(2, 50)]));
    await sleep(20);
    const done = harness.connections[0]!.drainAndClose(5000);
    await done;
    expect(ids(c.frames)).toEqual([1, 2]);
    await c.closedPromise;
  });

  describe('fault injection', () => {
    it('close-after-handling: handles the request, then drops the connection without answering', async () => {
      const faults = new Faults();
      let handled = 0;
      harness = await startHarness(
        (frame) => {
          handled++;
          return echoResponse(frame);
        },
        { faults },
      );
      faults.closeAfterHandling(0);
      const c = await client();
      c.write(rawRequest(0, 0, 1));
      await c.closedPromise;
      expect(handled).toBe(1);
      expect(c.frames).toEqual([]);
      const again = await client(); // the rule was used up
      again.write(rawRequest(0, 0, 2));
      expect(ids(await again.waitFrames(1))).toEqual([2]);
    });

    it('drop-response and delay-response apply to the chosen API key only', async () => {
      const faults = new Faults();
      harness = await startHarness(echoAsync, { faults });
      faults.dropResponseAfterHandling(3);
      faults.delayResponse(1, 100);
      const c = await client();
      c.write(Buffer.concat([rawRequest(3, 0, 1), rawRequest(1, 0, 2), rawRequest(0, 0, 3), rawRequest(3, 0, 4)]));
      const t0 = Date.now();
      expect(ids(await c.waitFrames(3))).toEqual([2, 3, 4]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    });
  });
});
