/**
 * Hostile input for every decoder (every API, version and direction): truncated, bit-flipped,
 * overwritten, huge-length and random inputs must end in ProtocolError or a bounded, re-encodable
 * value — never another exception, a hang or an allocation beyond the input. 10,000 inputs per API by
 * default; raise with BROOK_FUZZ_PER_API, or run scripts/fuzz-protocol.ts for long runs.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/protocol/codec.js';
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
