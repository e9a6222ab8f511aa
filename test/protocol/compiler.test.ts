import { describe, expect, it, vi } from 'vitest';
import { field, message, struct, T, type MessageValue } from '../../src/protocol/schema/dsl.js';
import {
  decodeMessage,
  decodeMessagePrefix,
  defaultValue,
  encodeMessage,
  messageSize,
  precompile,
} from '../../src/protocol/codec.js';
import { ProtocolError } from '../../src/protocol/primitives/protocol-error.js';
import { generatedSource } from '../../src/protocol/schema/compile.js';
import { ApiVersionsRequest, ApiVersionsResponse } from '../../src/protocol/messages/18-api-versions.js';

const Everything = message({
  name: 'EverythingRequest',
  kind: 'request',
  apiKey: 1000,
  validVersions: '0-3',
  flexibleVersions: '2+',
  fields: [
    field('i8', T.int8, '0+'),
    field('i16', T.int16, '0+'),
    field('i32', T.int32, '0+'),
    field('i64', T.int64, '0+', { default: -1n }),
    field('u16', T.uint16, '0+'),
    field('u32', T.uint32, '0+'),
    field('f64', T.float64, '0+'),
    field('flag', T.bool, '0+'),
    field('id', T.uuid, '0+'),
    field('name', T.string, '0+'),
    field('maybeName', T.string, '0+', { nullable: '1+', default: null }),
    field('blob', T.bytes, '0+'),
    field('maybeBlob', T.bytes, '0+', { nullable: '0+' }),
    field('records', T.records, '0+', { nullable: '0+' }),
    field('ints', T.array(T.int32), '0+'),
    field('strings', T.array(T.string), '0+', { nullable: '1+' }),
    field(
      'topics',
      T.array(
        struct('Topic', [
          field('name', T.string, '0+'),
          field('partitions', T.array(struct('Partition', [field('index', T.int32, '0+'), field('epoch', T.int32, '1+', { default: -1 })])), '0+'),
          field('note', T.string, '2+', { tag: 0, taggedVersions: '2+', default: '' }),
        ]),
      ),
      '0+',
    ),
    field('newInV1', T.int32, '1+'),
    field('ignorableInV3', T.int32, '3+', { ignorable: true }),
    field('cursor', struct('Cursor', [field('topic', T.string, '0+'), field('partition', T.int32, '0+')]), '1+', { nullable: '1+', default: null }),
    field('tagA', T.int32, '2+', { tag: 1, taggedVersions: '2+', default: 7 }),
    field('tagB', T.string, '2+', { tag: 0, taggedVersions: '2+', nullable: '2+', default: null }),
  ],
});
type Everything = MessageValue<typeof Everything>;

function full(version: number): Everything {
  const v = defaultValue(Everything, version);
  Object.assign(v, {
    i8: -128, i16: -32768, i32: -(2 ** 31), i64: -(2n ** 63n), u16: 65535, u32: 2 ** 32 - 1, f64: Math.PI,
    flag: true, id: 'AAECAwQFBgcICQoLDA0ODw', name: 'näme 🦆', blob: Buffer.from([1, 2, 3]), maybeBlob: null,
    records: Buffer.from('batch'), ints: [1, -1, 2 ** 31 - 1],
    topics: [{ name: 't', partitions: [{ index: 3, epoch: version >= 1 ? 9 : -1 }], note: version >= 2 ? 'hi' : '' }],
  });
  if (version >= 1) Object.assign(v, { maybeName: null, strings: null, newInV1: 42, cursor: { topic: 'c', partition: 1 } });
  else Object.assign(v, { maybeName: 'x', strings: ['a', 'b'] });
  if (version >= 2) Object.assign(v, { tagA: 8, tagB: 'tagged' });
  if (version >= 3) v.ignorableInV3 = 5;
  return v;
}

function roundTrip<V>(spec: Parameters<typeof encodeMessage<V>>[0], version: number, value: V): V {
  const parts = encodeMessage(spec, version, value);
  const bytes = Buffer.concat(parts);
  expect(bytes.length).toBe(messageSize(spec, version, value));
  const { value: back, end } = decodeMessagePrefix(spec, version, bytes);
  expect(end).toBe(bytes.length);
  return back;
}

describe('compiled codec on synthetic specs', () => {
  it('round-trips every type in every version', () => {
    for (const version of [0, 1, 2, 3]) {
      const v = full(version);
      expect(roundTrip(Everything, version, v)).toEqual(v);
    }
  });

  it('decodes fields a version does not carry to their defaults', () => {
    const back = roundTrip(Everything, 0, full(0));
    expect(back.newInV1).toBe(0);
    expect(back.cursor).toBe(null);
    expect(back.tagA).toBe(7);
    expect(back.tagB).toBe(null);
    expect(back.topics[0]!.partitions[0]!.epoch).toBe(-1);
    expect(back.i64).toBe(-(2n ** 63n));
  });

  it('uses classic encodings before the flexible version and compact ones after', () => {
    const v = defaultValue(Everything, 0);
    const classic = Buffer.concat(encodeMessage(Everything, 1, v));
    const compact = Buffer.concat(encodeMessage(Everything, 2, v));
    // empty string: 2-byte length vs 1-byte uvarint; arrays 4 vs 1 byte; +tagged sections.
    expect(classic.length).toBeGreaterThan(compact.length);
    const minimal = message({
      name: 'M', kind: 'data', apiKey: -1, validVersions: '0-1', flexibleVersions: '1+',
      fields: [field('s', T.string, '0+'), field('a', T.array(T.int8), '0+'), field('b', T.bytes, '0+')],
    });
    const val = { s: 'ab', a: [5], b: Buffer.from([9]) };
    expect(Buffer.concat(encodeMessage(minimal, 0, val)).toString('hex')).toBe('0002616200000001050000000109');
    expect(Buffer.concat(encodeMessage(minimal, 1, val)).toString('hex')).toBe('03616202050209' + '00');
  });

  it('writes tagged fields only when they differ from their defaults, in tag order', () => {
    const spec = message({
      name: 'Tagged', kind: 'data', apiKey: -1, validVersions: '0', flexibleVersions: '0+',
      fields: [
        field('late', T.int8, '0+', { tag: 5, taggedVersions: '0+' }),
        field('early', T.int8, '0+', { tag: 2, taggedVersions: '0+', default: 1 }),
      ],
    });
    expect(Buffer.concat(encodeMessage(spec, 0, { late: 0, early: 1 })).toString('hex')).toBe('00');
    expect(Buffer.concat(encodeMessage(spec, 0, { late: 3, early: 4 })).toString('hex')).toBe('02' + '020104' + '050103');
    expect(decodeMessage(spec, 0, Buffer.from('00', 'hex'))).toEqual({ late: 0, early: 1 });
  });

  it('marks nullable structs with an int8 inline and a uvarint in tagged fields, as Kafka does', () => {
    const Inner = struct('Inner', [field('x', T.int8, '0+')]);
    const spec = message({
      name: 'NullStruct', kind: 'data', apiKey: -1, validVersions: '0', flexibleVersions: '0+',
      fields: [
        field('inline', Inner, '0+', { nullable: '0+' }),
        field('tagged', Inner, '0+', { nullable: '0+', tag: 0, taggedVersions: '0+' }),
      ],
    });
    const nulls = Buffer.concat(encodeMessage(spec, 0, { inline: null, tagged: null }));
    expect(nulls.toString('hex')).toBe('ff' + '01' + '000100');
    expect(decodeMessage(spec, 0, nulls)).toEqual({ inline: null, tagged: null });
    const set = Buffer.concat(encodeMessage(spec, 0, { inline: { x: 4 }, tagged: { x: 5 } }));
    expect(set.toString('hex')).toBe('01' + '0400' + '01' + '0003' + '01' + '0500');
    expect(decodeMessage(spec, 0, set)).toEqual({ inline: { x: 4 }, tagged: { x: 5 } });
    expect(Buffer.concat(encodeMessage(spec, 0, { inline: { x: 0 }, tagged: { x: 0 } })).toString('hex')).toBe('010000' + '00');
  });

  it('keeps unknown tags through decode → encode, merged in tag order', () => {
    const spec = message({
      name: 'Carry', kind: 'data', apiKey: -1, validVersions: '0', flexibleVersions: '0+',
      fields: [field('x', T.int8, '0+'), field('t3', T.int8, '0+', { tag: 3, taggedVersions: '0+' })],
    });
    const wire = Buffer.from('07' + '03' + '0102aabb' + '030109' + '0900', 'hex');
    const v = decodeMessage(spec, 0, wire);
    expect(v).toEqual({ x: 7, t3: 9, _unknownTags: [{ tag: 1, data: Buffer.from('aabb', 'hex') }, { tag: 9, data: Buffer.alloc(0) }] });
    expect(Buffer.concat(encodeMessage(spec, 0, v))).toEqual(wire);
  });

  it('throws an Error naming message, field and version for a non-default value the version cannot carry', () => {
    const v = full(0);
    v.newInV1 = 42;
    expect(() => encodeMessage(Everything, 0, v)).toThrow(/EverythingRequest field 'newInV1' at version 0/);
    const nested = full(0);
    nested.topics[0]!.partitions[0]!.epoch = 5;
    expect(() => encodeMessage(Everything, 0, nested)).toThrow(/EverythingRequest \(Partition\) field 'epoch' at version 0/);
    const tagged = full(0);
    tagged.tagA = 1;
    expect(() => encodeMessage(Everything, 1, { ...tagged, newInV1: 0, cursor: null, maybeName: null })).toThrow(/'tagA' at version 1/);
  });

  it('silently drops ignorable fields', () => {
    const v = full(3);
    v.ignorableInV3 = 99;
    const back = roundTrip(Everything, 2, { ...v });
    expect(back.ignorableInV3).toBe(0);
  });

  it('refuses null outside nullableVersions', () => {
    const v = full(0);
    v.maybeName = null;
    expect(() => encodeMessage(Everything, 0, v)).toThrow(/'maybeName' at version 0: null is not allowed/);
    const w = full(2);
    (w as { name: string | null }).name = null;
    expect(() => encodeMessage(Everything, 2, w)).toThrow(/'name' at version 2: null/);
  });

  it('rejects malformed values with clear errors', () => {
    const v = full(1);
    v.id = 'not-a-uuid';
    expect(() => encodeMessage(Everything, 1, v)).toThrow(/invalid UUID/);
    const w = full(1);
    w.name = 'x'.repeat(40000);
    expect(() => encodeMessage(Everything, 1, w)).toThrow(/longer than 32767/);
    expect(() => encodeMessage(Everything, 9, full(1))).toThrow(/no version 9/);
  });

  it('passes large records by reference (zero copy) and accepts Buffer[]', () => {
    const spec = message({
      name: 'Rec', kind: 'data', apiKey: -1, validVersions: '0-1', flexibleVersions: '1+',
      fields: [field('a', T.int32, '0+'), field('records', T.records, '0+', { nullable: '0+' }), field('b', T.int32, '0+')],
    });
    const big = Buffer.alloc(64 * 1024, 7);
    const big2 = Buffer.alloc(2000, 8);
    for (const version of [0, 1]) {
      const out = encodeMessage(spec, version, { a: 1, records: [big, big2], b: 2 });
      expect(out).toContain(big);
      expect(out).toContain(big2);
      expect(out.reduce((n, b) => n + b.length, 0)).toBe(messageSize(spec, version, { a: 1, records: [big, big2], b: 2 }));
      const bytes = Buffer.concat(out);
      const back = decodeMessage(spec, version, bytes);
      expect(Buffer.isBuffer(back.records)).toBe(true);
      expect(back.records).toEqual(Buffer.concat([big, big2]));
      expect((back.records as Buffer).buffer).toBe(bytes.buffer); // decoded as a view
      const small = encodeMessage(spec, version, { a: 1, records: Buffer.from('tiny'), b: 2 });
      expect(small.length).toBe(1);
      expect(decodeMessage(spec, version, Buffer.concat(encodeMessage(spec, version, { a: 0, records: null, b: 0 }))).records).toBe(null);
    }
  });

  it('gives defaults: numbers 0, int64 0n, strings, empty bytes, null records when nullable, arrays []', () => {
    const d = defaultValue(Everything, 0);
    expect(d).toMatchObject({ i8: 0, i64: -1n, flag: false, id: 'AAAAAAAAAAAAAAAAAAAAAA', name: '', maybeName: null, ints: [], topics: [], records: null, cursor: null, tagA: 7 });
    expect(d.blob.length).toBe(0);
    const again = defaultValue(Everything, 0);
    expect(again.ints).not.toBe(d.ints); // fresh arrays each time
  });

  it('throws ProtocolError on truncated input and reports trailing bytes through decodeMessagePrefix', () => {
    const bytes = Buffer.concat(encodeMessage(Everything, 2, full(2)));
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeMessage(Everything, 2, bytes.subarray(0, cut))).toThrow(ProtocolError);
    }
    const padded = Buffer.concat([bytes, Buffer.from([1, 2, 3])]);
    expect(decodeMessage(Everything, 2, padded)).toEqual(full(2));
    expect(decodeMessagePrefix(Everything, 2, padded).end).toBe(bytes.length);
  });

  it('prints the generated source to stderr when BROOK_DUMP_CODEC names the message', () => {
    const spec = message({ name: 'DumpMe', kind: 'data', apiKey: -1, validVersions: '0', flexibleVersions: 'none', fields: [field('a', T.int8, '0+')] });
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env.BROOK_DUMP_CODEC = 'DumpMe';
    let printed = '';
    try {
      encodeMessage(spec, 0, { a: 1 });
      printed = spy.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      delete process.env.BROOK_DUMP_CODEC;
      spy.mockRestore();
    }
    expect(printed).toMatch(/DumpMe v0 S/);
    expect(printed).toMatch(/w\.int8\(x\)/);
  });

  it('generates straight-line code with no version checks left in it', () => {
    const src = generatedSource(Everything, 2, 'D');
    expect(src).not.toMatch(/version/);
    expect(src).toMatch(/r\.compactString\(\)/);
  });
});

describe('precompile', () => {
  it('compiles the server-side functions of the listed versions and refuses unknown ones', () => {
    const Api = { key: 1002, name: 'Pre', request: message({ name: 'PreRequest', kind: 'request', apiKey: 1002, validVersions: '0-2', flexibleVersions: '2+', fields: [field('a', T.int8, '0+')] }),
      response: message({ name: 'PreResponse', kind: 'response', apiKey: 1002, validVersions: '0-2', flexibleVersions: '2+', fields: [field('b', T.int8, '0+')] }) };
    expect(() => precompile(Api)).not.toThrow();
    expect(() => precompile(Api, [3])).toThrow(/no version 3/);
  });
});

describe('ApiVersions template', () => {
  it('matches the bytes Kafka sends for a v3 request and a v0 response', () => {
    const req = Buffer.concat(encodeMessage(ApiVersionsRequest, 3, { clientSoftwareName: 'brook', clientSoftwareVersion: '1.0' }));
    expect(req.toString('hex')).toBe('06' + Buffer.from('brook').toString('hex') + '04' + Buffer.from('1.0').toString('hex') + '00');
    expect(Buffer.concat(encodeMessage(ApiVersionsRequest, 0, { clientSoftwareName: 'x', clientSoftwareVersion: '' })).length).toBe(0);
    const res = defaultValue(ApiVersionsResponse, 0);
    res.apiKeys = [{ apiKey: 18, minVersion: 0, maxVersion: 4 }];
    expect(Buffer.concat(encodeMessage(ApiVersionsResponse, 0, res)).toString('hex')).toBe('0000' + '00000001' + '001200000004');
  });
  it('round-trips tagged features at v3', () => {
    const res = defaultValue(ApiVersionsResponse, 3);
    res.finalizedFeaturesEpoch = 12n;
    res.finalizedFeatures = [{ name: 'metadata.version', maxVersionLevel: 20, minVersionLevel: 1 }];
    res.zkMigrationReady = true;
    expect(roundTrip(ApiVersionsResponse, 3, res)).toEqual(res);
  });
});
