/**
 * Hostile input for every decoder (every API, version and direction): truncated, bit-flipped,
 * overwritten, huge-length and random inputs must end in ProtocolError or a bounded, re-encodable
 * value — never another exception, a hang or an allocation beyond the input. 10,000 inputs per API by
 * default; raise with BROOK_FUZZ_PER_API, or run scripts/fuzz-protocol.ts for long runs.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeResponseFrame, isFlexible } from '../../src/protocol/codec.js';
import { decodeRequestHeader } from '../../src/protocol/headers.js';
import { prng } from './value-gen.js';
import { ProtocolError } from '../../src/protocol/primitives/protocol-error.js';
import { field, message, struct, T } from '../../src/protocol/schema/dsl.js';
import { discoverApis } from './discover.js';
import { fuzzApi } from './fuzz-core.js';

const PER_API = Number(process.env.BROOK_FUZZ_PER_API ?? 10_000);
const apis = await discoverApis();

describe('hostile input', () => {
  for (const { file, api } of apis) {
    it(`${file}: ${api.name} decoders reject garbage cleanly (${PER_API} inputs)`, () => {
      const stats = fuzzApi(api, PER_API, api.key + 1);
      expect(stats.failures, JSON.stringify(stats.failures.slice(0, 3), null, 1)).toEqual([]);
      expect(stats.inputs).toBeGreaterThanOrEqual(PER_API);
      expect(stats.rejected).toBeGreaterThan(0);
    });
  }

  it('request and response headers reject garbage cleanly', () => {
    const rnd = prng(99);
    const byKey = new Map(apis.map(({ api }) => [api.key, api]));
    const lookup = (key: number, version: number): boolean | undefined => {
      const api = byKey.get(key);
      return api !== undefined && version >= 0 && version < 30 ? isFlexible(api.request, version) : undefined;
    };
    let rejected = 0;
    for (let i = 0; i < PER_API; i++) {
      const frame = Buffer.allocUnsafe(Math.floor(rnd() * 24));
      for (let b = 0; b < frame.length; b++) frame[b] = rnd() < 0.5 ? Math.floor(rnd() * 4) : Math.floor(rnd() * 256);
      if (frame.length >= 2) frame.writeInt16BE(apis[i % apis.length]!.api.key, 0); // mostly known keys
      try {
        const { bodyOffset } = decodeRequestHeader(frame, lookup);
        expect(bodyOffset).toBeLessThanOrEqual(frame.length);
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
        rejected++;
      }
      const { api } = apis[i % apis.length]!;
      try {
        decodeResponseFrame(api, isFlexible(api.response, 3) ? 3 : 0, frame);
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('rejects a 2^31-element array in a 9-byte frame at once, without allocating it', () => {
    const spec = message({
      name: 'Arr', kind: 'data', apiKey: -1, validVersions: '0-1', flexibleVersions: '1+',
      fields: [field('items', T.array(struct('Empty', [field('x', T.int32, '5+')])), '0+')],
    });
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    expect(() => decodeMessage(spec, 0, Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0]))).toThrow(ProtocolError);
    expect(() => decodeMessage(spec, 1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07, 0, 0, 0]))).toThrow(ProtocolError);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
  });
});
