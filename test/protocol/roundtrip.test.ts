/**
 * Round trip of every API, every version, request and response, through whole frames: generated value
 * → encodeRequestFrame/encodeResponseFrame → header decode → body decode → deep-equal, then
 * re-encode → byte-compare. Values come from the schemas themselves (see value-gen.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeMessagePrefix,
  decodeResponseFrame,
  encodeMessage,
  encodeRequestFrame,
  encodeResponseFrame,
  isFlexible,
} from '../../src/protocol/codec.js';
import { decodeRequestHeader } from '../../src/protocol/headers.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { discoverApis } from './discover.js';
import { ValueGen, type GenMode } from './value-gen.js';
import { sameValue } from './deep-equal.js';

/** Deep equality, with vitest's (slow) diff only when it fails. */
function expectSame(actual: unknown, expected: unknown, where: string): void {
  if (!sameValue(actual, expected)) expect(actual, where).toEqual(expected);
}

const apis = await discoverApis();
const MODES: GenMode[] = ['empty', 'random', 'random', 'nulls', 'large'];

function lookupFor(api: ApiSpec) {
  return (key: number, version: number): boolean | undefined => (key === api.key ? isFlexible(api.request, version) : undefined);
}

describe('round trip through frames', () => {
  it('finds the message modules', () => {
    expect(apis.length).toBeGreaterThan(0);
  });

  for (const { file, api } of apis) {
    it(`${file}: ${api.name} requests and responses, every version`, () => {
      expect(api.request.apiKey).toBe(api.key);
      expect(api.response.apiKey).toBe(api.key);
      for (const version of listVersions(api.request.validVersions)) {
        const flexReq = isFlexible(api.request, version);
        const flexRes = isFlexible(api.response, version);
        MODES.forEach((mode, i) => {
          const seed = api.key * 1000 + version * 10 + i;
          const where = `${api.name} v${version} ${mode} seed ${seed}`;
          const gen = new ValueGen(seed, mode);

          const req = gen.message(api.request, version, flexReq);
          const correlationId = (seed * 7919) | 0;
          const clientId = i % 2 === 0 ? null : `client-${mode}-ü`;
          const reqFrame = Buffer.concat(encodeRequestFrame(api, version, { correlationId, clientId }, req)).subarray(4);
          const { header, bodyOffset } = decodeRequestHeader(reqFrame, lookupFor(api));
          expect(header, where).toMatchObject({ apiKey: api.key, apiVersion: version, correlationId, clientId });
          const reqBack = decodeMessagePrefix(api.request, version, reqFrame, bodyOffset);
          expect(reqBack.end, where).toBe(reqFrame.length);
          expectSame(reqBack.value, req, where);
          expect(Buffer.concat(encodeMessage(api.request, version, reqBack.value)).equals(reqFrame.subarray(bodyOffset)), where).toBe(true);

          const res = gen.message(api.response, version, flexRes);
          const resFrame = Buffer.concat(encodeResponseFrame(api, version, correlationId, res)).subarray(4);
          const resBack = decodeResponseFrame(api, version, resFrame);
          expect(resBack.correlationId, where).toBe(correlationId);
          expectSame(resBack.body, res, where);
          expect(Buffer.concat(encodeMessage(api.response, version, resBack.body)).equals(resFrame.subarray(resFrame.length - Buffer.concat(encodeMessage(api.response, version, res)).length)), where).toBe(true);
        });
      }
    });
  }
});
