import { describe, expect, it } from 'vitest';
import { FrameError, Framer } from '../../src/server/framer.js';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

function payloads(): Buffer[] {
  return [
    Buffer.from('hello'),
    Buffer.alloc(0),
    Buffer.from([1]),
    Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff)),
    Buffer.from('abc'),
  ];
}

function drain(framer: Framer, out: Buffer[]): void {
  for (let f = framer.next(); f !== undefined; f = framer.next()) out.push(Buffer.from(f));
}

describe('Framer', () => {
  const expected = payloads();
  const stream = Buffer.concat(expected.map(frame));

  it('splits a stream cut at every offset into the same frames', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new Framer(1024);
      const out: Buffer[] = [];
      framer.push(stream.subarray(0, cut));
      drain(framer, out);
      framer.push(stream.subarray(cut));
      drain(framer, out);
      expect(out, `cut at ${cut}`).toEqual(expected);
      expect(framer.bufferedBytes).toBe(0);
    }
  });

  it('splits a stream cut at every pair of offsets', () => {
    for (let a = 0; a <= stream.length; a += 5) {
      for (let b = a; b <= stream.length; b += 9) {
        const framer = new Framer(1024);
        const out: Buffer[] = [];
        for (const part of [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]) {
          framer.push(part);
          drain(framer, out);
        }
        expect(out).toEqual(expected);
      }
    }
  });

  for (const chunkSize of [1, 2, 3, 7]) {
    it(`reassembles frames delivered in ${chunkSize}-byte chunks`, () => {
      const framer = new Framer(1024);
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += chunkSize) {
        framer.push(stream.subarray(i, i + chunkSize));
        drain(framer, out);
      }
      expect(out).toEqual(expected);
    });
  }

  it('hands out nothing for a partial frame and keeps the remainder', () => {
    const framer = new Framer(1024);
    framer.push(stream.subarray(0, 7));
    expect(framer.next()).toBeUndefined();
    expect(framer.bufferedBytes).toBe(3); // size prefix parsed; 3 of 5 payload bytes held
  });

  it('returns a frame inside one chunk as a view, without copying', () => {
    const framer = new Framer(1024);
    const one = frame(Buffer.from('view'));
    framer.push(one);
    const got = framer.next()!;
    expect(got.buffer).toBe(one.buffer);
    expect(got.toString()).toBe('view');
  });

  it('rejects a size over the bound as soon as the prefix is read, before buffering the body', () => {
    const framer = new Framer(100);
    const size = Buffer.alloc(4);
    size.writeInt32BE(101);
    framer.push(size.subarray(0, 2));
    expect(framer.next()).toBeUndefined();
    framer.push(size.subarray(2));
    expect(() => framer.next()).toThrow(FrameError);
    expect(() => new Framer(100).next()).not.toThrow();
  });

  it('accepts a frame of exactly the bound', () => {
    const framer = new Framer(100);
    framer.push(frame(Buffer.alloc(100, 7)));
    expect(framer.next()!.length).toBe(100);
  });

  it('rejects a negative size', () => {
    const framer = new Framer(100);
    framer.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    expect(() => framer.next()).toThrow(/negative/);
  });
});
