import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  decodeResponseFrame,
  defaultValue,
  encodeRequestFrame,
  encodeResponseFrame,
  isFlexible,
} from '../../src/protocol/codec.js';
import { decodeRequestHeader, responseHeaderVersion } from '../../src/protocol/headers.js';
import { ProtocolError } from '../../src/protocol/primitives/protocol-error.js';
import { api as apiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { defineApi, field, message, T } from '../../src/protocol/schema/dsl.js';

const Echo = defineApi({
  key: 1001,
  name: 'Echo',
  request: message({ name: 'EchoRequest', kind: 'request', apiKey: 1001, validVersions: '0-1', flexibleVersions: '1+', fields: [field('text', T.string, '0+')] }),
  response: message({ name: 'EchoResponse', kind: 'response', apiKey: 1001, validVersions: '0-1', flexibleVersions: '1+', fields: [field('text', T.string, '0+')] }),
});

const lookup = (apiKey: number, version: number): boolean | undefined =>
  apiKey === 18 && version <= 4 ? isFlexible(apiVersions.request, version) : apiKey === 1001 && version <= 1 ? version >= 1 : undefined;

function frameBody(parts: Buffer[]): Buffer {
  const all = Buffer.concat(parts);
  expect(all.readInt32BE(0)).toBe(all.length - 4);
  return all.subarray(4);
}

describe('request headers', () => {
  it('v1 (classic) carries a nullable client id; v2 adds a tagged section', () => {
    const v1 = frameBody(encodeRequestFrame(Echo, 0, { correlationId: 7, clientId: 'cli' }, { text: 'hi' }));
    expect(v1.toString('hex')).toBe('03e9' + '0000' + '00000007' + '0003636c69' + '0002' + '6869');
    const h1 = decodeRequestHeader(v1, lookup);
    expect(h1.header).toEqual({ apiKey: 1001, apiVersion: 0, correlationId: 7, clientId: 'cli' });
    expect(decodeMessage(Echo.request, 0, v1, h1.bodyOffset)).toEqual({ text: 'hi' });

    const v2 = frameBody(encodeRequestFrame(Echo, 1, { correlationId: 8, clientId: null }, { text: 'hi' }));
    // client id stays a classic int16-length string even in header v2; then the empty tagged section
    expect(v2.toString('hex')).toBe('03e9' + '0001' + '00000008' + 'ffff' + '00' + '03' + '6869' + '00');
    const h2 = decodeRequestHeader(v2, lookup);
    expect(h2.header.clientId).toBe(null);
    expect(h2.flexible).toBe(true);
    expect(decodeMessage(Echo.request, 1, v2, h2.bodyOffset)).toEqual({ text: 'hi' });
  });

  it('still yields api key, version and correlation id for unknown APIs and versions', () => {
    const frame = Buffer.from('0063' + '0007' + '0000002a' + 'ffff' + 'deadbeef', 'hex');
    const h = decodeRequestHeader(frame, lookup);
    expect(h.header).toMatchObject({ apiKey: 99, apiVersion: 7, correlationId: 42 });
    expect(h.flexible).toBe(undefined);
    const tooNew = Buffer.from('0012' + '0063' + '00000001' + '00', 'hex'); // ApiVersions v99, junk after
    expect(decodeRequestHeader(tooNew, lookup).header).toMatchObject({ apiKey: 18, apiVersion: 99, correlationId: 1 });
  });

  it('throws ProtocolError on frames too short or malformed', () => {
    expect(() => decodeRequestHeader(Buffer.alloc(7), lookup)).toThrow(ProtocolError);
    expect(() => decodeRequestHeader(Buffer.from('03e9000000000001' + '0005' + '61', 'hex'), lookup)).toThrow(ProtocolError);
    expect(() => decodeRequestHeader(Buffer.from('03e9000100000001' + 'ffff' + '05', 'hex'), lookup)).toThrow(ProtocolError);
  });
});

describe('response frames', () => {
  it('use header v0 for classic versions and v1 (tagged section) for flexible ones', () => {
    expect(frameBody(encodeResponseFrame(Echo, 0, 5, { text: '' })).toString('hex')).toBe('00000005' + '0000');
    expect(frameBody(encodeResponseFrame(Echo, 1, 5, { text: '' })).toString('hex')).toBe('00000005' + '00' + '01' + '00');
    expect(decodeResponseFrame(Echo, 1, frameBody(encodeResponseFrame(Echo, 1, 9, { text: 'ok' })))).toEqual({ correlationId: 9, body: { text: 'ok' } });
  });

  it('always use header v0 for ApiVersions, even flexible versions', () => {
    expect(responseHeaderVersion(18, true)).toBe(0);
    const body = defaultValue(apiVersions.response, 3);
    body.apiKeys = [{ apiKey: 18, minVersion: 0, maxVersion: 4 }];
    const f = frameBody(encodeResponseFrame(apiVersions, 3, 77, body));
    expect(f.readInt32BE(0)).toBe(77);
    expect(f.readInt16BE(4)).toBe(0); // error code straight after the correlation id: no tagged section
    expect(decodeResponseFrame(apiVersions, 3, f).body).toEqual(body);
  });

  it('puts size, header and body in one buffer when there are no large records', () => {
    expect(encodeResponseFrame(Echo, 1, 1, { text: 'x' }).length).toBe(1);
  });
});
