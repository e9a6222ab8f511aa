/**
 * Codec throughput: compiled (generated straight-line functions) vs a per-field interpreter that walks the
 * schema at run time (the baseline this design replaces). Both use the same Reader/Writer primitives and
 * both pass large record batches by reference, so the difference is the per-field dispatch alone.
 *
 *   npx tsx bench/codec.ts [--ms 200] [--rounds 3] [--only Metadata]
 *
 * Cases: Produce and Fetch requests and responses with 1, 10 and 100 partitions (4 KiB record batch per
 * partition), Metadata response with 1,000 topics × 3 partitions. MB/s counts encoded wire bytes
 * (records included, though they are referenced, not copied).
 */
import { decodeMessage, encodeMessage, defaultValue } from '../src/protocol/codec.js';
import { compiledStructDefault, isFlexible } from '../src/protocol/schema/compile.js';
import type { AnyField, MessageSpec, StructType, Type } from '../src/protocol/schema/dsl.js';
import { inVersions, parseVersions } from '../src/protocol/schema/versions.js';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { uvarintSize } from '../src/protocol/primitives/varint.js';
import { ProduceRequest, ProduceResponse } from '../src/protocol/messages/00-produce.js';
import { FetchRequest, FetchResponse } from '../src/protocol/messages/01-fetch.js';
import { MetadataResponse } from '../src/protocol/messages/03-metadata.js';

// ------------------------------------------------------------------ interpreter baseline

type Obj = Record<string, unknown>;
const EMPTY = Buffer.alloc(0);

function present(f: AnyField, v: number): boolean {
  const r = parseVersions(f.versions);
  return !r.empty && v >= r.min && v <= r.max;
}
function tagged(f: AnyField, v: number, flex: boolean): boolean {
  return flex && f.tag !== undefined && inVersions(f.taggedVersions, v);
}
function nullable(f: AnyField, v: number): boolean {
  return f.nullable !== undefined && inVersions(f.nullable, v);
}
function recLen(x: Buffer | readonly Buffer[]): number {
  return Buffer.isBuffer(x) ? x.length : x.reduce((n, b) => n + b.length, 0);
}

/** Size of one value, walking the type at run time. `ext` collects bytes sent by reference. */
function iSize(t: Type<unknown>, x: unknown, v: number, flex: boolean, ext: { n: number }): number {
  switch (t.kind) {
    case 'int8': case 'bool': return 1;
    case 'int16': case 'uint16': return 2;
    case 'int32': case 'uint32': return 4;
    case 'int64': case 'float64': return 8;
    case 'uuid': return 16;
    case 'string': {
      if (x === null) return flex ? 1 : 2;
      const n = Buffer.byteLength(x as string);
      return (flex ? uvarintSize(n + 1) : 2) + n;
    }
    case 'bytes': case 'records': {
      if (x === null) return flex ? 1 : 4;
      const n = recLen(x as Buffer);
      if (t.kind === 'records' && n >= 1024) ext.n += n;
      return (flex ? uvarintSize(n + 1) : 4) + n;
    }
    case 'array': {
      if (x === null) return flex ? 1 : 4;
      const a = x as unknown[];
      let s = flex ? uvarintSize(a.length + 1) : 4;
      for (const e of a) s += iSize((t as { items: Type<unknown> }).items, e, v, flex, ext);
      return s;
    }
    case 'struct':
      return iStructSize((t as StructType<unknown>).fields, x as Obj, v, flex, ext);
  }
  throw new Error('bad type');
}

function iStructSize(fields: readonly AnyField[], o: Obj, v: number, flex: boolean, ext: { n: number }): number {
  let s = 0;
  let tags = 0;
  let tagBytes = 0;
  for (const f of fields) {
    if (!present(f, v)) continue;
    const x = o[f.name];
    if (tagged(f, v, flex)) {
      if (iIsDefault(f, x)) continue;
      const n = iSize(f.type, x, v, flex, ext);
      tags++;
      tagBytes += uvarintSize(f.tag!) + uvarintSize(n) + n;
    } else {
      if (x === null && !nullable(f, v)) throw new Error(`${f.name}: null`);
      s += iSize(f.type, x, v, flex, ext);
    }
  }
  return flex ? s + uvarintSize(tags) + tagBytes : s;
}

function iWrite(w: Writer, t: Type<unknown>, x: unknown, v: number, flex: boolean): void {
  switch (t.kind) {
    case 'int8': w.int8(x as number); return;
    case 'bool': w.bool(x as boolean); return;
    case 'int16': w.int16(x as number); return;
    case 'uint16': w.uint16(x as number); return;
    case 'int32': w.int32(x as number); return;
    case 'uint32': w.uint32(x as number); return;
    case 'int64': w.int64(x as bigint); return;
    case 'float64': w.float64(x as number); return;
    case 'uuid': w.uuid(x as string); return;
    case 'string': {
      if (x === null) return flex ? w.uvarint(0) : w.int16(-1);
      const n = Buffer.byteLength(x as string);
      if (flex) w.uvarint(n + 1);
      else w.int16(n);
      w.utf8(x as string, n);
      return;
    }
    case 'bytes': case 'records': {
      if (x === null) return flex ? w.uvarint(0) : w.int32(-1);
      const n = recLen(x as Buffer);
      if (flex) w.uvarint(n + 1);
      else w.int32(n);
      if (t.kind === 'records') w.records(x as Buffer, n);
      else w.copy(x as Buffer);
      return;
    }
    case 'array': {
      if (x === null) return flex ? w.uvarint(0) : w.int32(-1);
      const a = x as unknown[];
      if (flex) w.uvarint(a.length + 1);
      else w.int32(a.length);
      for (const e of a) iWrite(w, (t as { items: Type<unknown> }).items, e, v, flex);
      return;
    }
    case 'struct':
      iWriteStruct(w, (t as StructType<unknown>).fields, x as Obj, v, flex);
  }
}

function iWriteStruct(w: Writer, fields: readonly AnyField[], o: Obj, v: number, flex: boolean): void {
  const tags: AnyField[] = [];
  for (const f of fields) {
    if (!present(f, v)) continue;
    const x = o[f.name];
    if (tagged(f, v, flex)) {
      if (!iIsDefault(f, x)) tags.push(f);
    } else iWrite(w, f.type, x, v, flex);
  }
  if (!flex) return;
  w.uvarint(tags.length);
  for (const f of tags.sort((a, b) => a.tag! - b.tag!)) {
    w.uvarint(f.tag!);
    w.uvarint(iSize(f.type, o[f.name], v, flex, { n: 0 }));
    iWrite(w, f.type, o[f.name], v, flex);
  }
}

function iRead(r: Reader, t: Type<unknown>, f: AnyField, v: number, flex: boolean): unknown {
  const nul = nullable(f, v);
  switch (t.kind) {
    case 'int8': return r.int8();
    case 'bool': return r.bool();
    case 'int16': return r.int16();
    case 'uint16': return r.uint16();
    case 'int32': return r.int32();
    case 'uint32': return r.uint32();
    case 'int64': return r.int64();
    case 'float64': return r.float64();
    case 'uuid': return r.uuid();
    case 'string': return flex ? (nul ? r.compactNullableString() : r.compactString()) : nul ? r.nullableString() : r.string();
    case 'bytes': case 'records': return flex ? (nul ? r.compactNullableBytes() : r.compactBytes()) : nul ? r.nullableBytes() : r.bytes();
    case 'array': {
      const n = flex ? (nul ? r.compactNullableArrayLength() : r.compactArrayLength()) : nul ? r.nullableArrayLength() : r.arrayLength();
      if (n < 0) return null;
      const out: unknown[] = [];
      const items = (t as { items: Type<unknown> }).items;
      for (let i = 0; i < n && r.error === null; i++) out.push(items.kind === 'struct' ? iReadStruct(r, (items as StructType<unknown>).fields, v, flex) : iRead(r, items, f, v, flex));
      return out;
    }
    case 'struct':
      return iReadStruct(r, (t as StructType<unknown>).fields, v, flex);
  }
  throw new Error('bad type');
}

function iDefault(f: AnyField): unknown {
  if (f.default !== undefined) return f.default;
  switch (f.type.kind) {
    case 'int64': return 0n;
    case 'bool': return false;
    case 'string': return '';
    case 'uuid': return 'AAAAAAAAAAAAAAAAAAAAAA';
    case 'bytes': return EMPTY;
    case 'records': return null;
    case 'array': return [];
    case 'struct': return compiledStructDefault(f.type as StructType<unknown>)();
    default: return 0;
  }
}

function iIsDefault(f: AnyField, x: unknown): boolean {
  if (x === undefined) return true;
  const d = iDefault(f);
  if (x === d) return true;
  if (x === null || d === null) return false;
  if (Array.isArray(x)) return x.length === 0;
  if (Buffer.isBuffer(x)) return x.length === 0;
  if (f.type.kind === 'struct') {
    return (f.type as StructType<unknown>).fields.every((sf) => iIsDefault(sf, (x as Obj)[sf.name]));
  }
  return false;
}

function iReadStruct(r: Reader, fields: readonly AnyField[], v: number, flex: boolean): Obj {
  const o: Obj = {};
  for (const f of fields) {
    o[f.name] = present(f, v) && !tagged(f, v, flex) ? iRead(r, f.type, f, v, flex) : iDefault(f);
  }
  if (flex) {
    const n = r.taggedFieldCount();
    for (let i = 0; i < n; i++) {
      const end = r.taggedFieldHeader();
      if (end < 0) break;
      const f = fields.find((x) => x.tag === r.lastTag && tagged(x, v, flex));
      if (f === undefined) {
        r.raw(end - r.pos);
        continue;
      }
      const saved = r.pushEnd(end);
      o[f.name] = iRead(r, f.type, f, v, flex);
      r.popEnd(end, saved);
    }
  }
  return o;
}

function interpEncode(spec: MessageSpec<unknown>, v: number, value: unknown): Buffer[] {
  const flex = isFlexible(spec, v);
  const ext = { n: 0 };
  const size = iStructSize(spec.fields, value as Obj, v, flex, ext);
  const w = new Writer(Buffer.allocUnsafe(size - ext.n));
  iWriteStruct(w, spec.fields, value as Obj, v, flex);
  return w.finish();
}

function interpDecode(spec: MessageSpec<unknown>, v: number, buf: Buffer): unknown {
  const r = new Reader(buf);
  const o = iReadStruct(r, spec.fields, v, isFlexible(spec, v));
  r.finish();
  return o;
}

// ------------------------------------------------------------------ sample messages

function itemOf(fields: readonly AnyField[], name: string): StructType<Obj> {
  const f = fields.find((x) => x.name === name);
  if (f === undefined || f.type.kind !== 'array') throw new Error(`no array field ${name}`);
  return (f.type as { items: Type<unknown> }).items as StructType<Obj>;
}
function make(st: StructType<Obj>, props: Obj): Obj {
  return Object.assign(compiledStructDefault(st)(), props);
}

const BATCH = Buffer.alloc(4096, 0x5a);

function produceRequest(parts: number): unknown {
  const topicT = itemOf(ProduceRequest.fields, 'topicData');
  const partT = itemOf(topicT.fields, 'partitionData');
  const v = defaultValue(ProduceRequest) as unknown as Obj;
  Object.assign(v, { acks: -1, timeoutMs: 30000 });
  v.topicData = [make(topicT, { name: 'bench-topic', partitionData: Array.from({ length: parts }, (_, i) => make(partT, { index: i, records: BATCH })) })];
  return v;
}

function produceResponse(parts: number): unknown {
  const topicT = itemOf(ProduceResponse.fields, 'responses');
  const partT = itemOf(topicT.fields, 'partitionResponses');
  const v = defaultValue(ProduceResponse) as unknown as Obj;
  v.responses = [make(topicT, { name: 'bench-topic', partitionResponses: Array.from({ length: parts }, (_, i) => make(partT, { index: i, baseOffset: BigInt(i * 1000), logStartOffset: 0n })) })];
  return v;
}

function fetchRequest(parts: number): unknown {
  const topicT = itemOf(FetchRequest.fields, 'topics');
  const partT = itemOf(topicT.fields, 'partitions');
  const v = defaultValue(FetchRequest) as unknown as Obj;
  Object.assign(v, { maxWaitMs: 500, minBytes: 1, maxBytes: 52428800, replicaId: -1 });
  v.topics = [make(topicT, { topic: 'bench-topic', partitions: Array.from({ length: parts }, (_, i) => make(partT, { partition: i, fetchOffset: 12345n, partitionMaxBytes: 1048576 })) })];
  return v;
}

function fetchResponse(parts: number): unknown {
  const topicT = itemOf(FetchResponse.fields, 'responses');
  const partT = itemOf(topicT.fields, 'partitions');
  const v = defaultValue(FetchResponse) as unknown as Obj;
  v.responses = [make(topicT, { topic: 'bench-topic', partitions: Array.from({ length: parts }, (_, i) => make(partT, { partitionIndex: i, highWatermark: 99999n, lastStableOffset: 99999n, logStartOffset: 0n, records: BATCH })) })];
  return v;
}

function metadataResponse(topics: number): unknown {
  const brokerT = itemOf(MetadataResponse.fields, 'brokers');
  const topicT = itemOf(MetadataResponse.fields, 'topics');
  const partT = itemOf(topicT.fields, 'partitions');
  const v = defaultValue(MetadataResponse) as unknown as Obj;
  Object.assign(v, { clusterId: 'brook-cluster', controllerId: 1 });
  v.brokers = [make(brokerT, { nodeId: 1, host: 'localhost', port: 9092 })];
  v.topics = Array.from({ length: topics }, (_, t) =>
    make(topicT, {
      name: `topic-${t}`,
      topicId: Buffer.alloc(16, t & 0xff).toString('base64url'),
      partitions: Array.from({ length: 3 }, (_, p) => make(partT, { partitionIndex: p, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1] })),
    }),
  );
  return v;
}

// ------------------------------------------------------------------ harness

function numArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}
const MS = numArg('ms', 200);
const ROUNDS = numArg('rounds', 3);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] ?? '' : '';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Operations per second of this process's CPU time (user + system), not wall time: on a shared,
 * overloaded machine wall-clock rates swing several-fold with other people's load, CPU time far less.
 */
function rate(fn: () => unknown): number {
  const warm = performance.now() + MS / 4;
  while (performance.now() < warm) fn();
  let ops = 0;
  let batch = 1;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < MS) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    batch = Math.min(batch * 2, 4096);
  }
  const c = process.cpuUsage(c0);
  return (ops * 1e6) / (c.user + c.system);
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

interface Case {
  name: string;
  spec: MessageSpec<unknown>;
  version: number;
  value: unknown;
}

const cases: Case[] = [];
for (const parts of [1, 10, 100]) {
  cases.push({ name: `Produce request  v9  ${parts} partitions`, spec: ProduceRequest as MessageSpec<unknown>, version: 9, value: produceRequest(parts) });
  cases.push({ name: `Produce response v9  ${parts} partitions`, spec: ProduceResponse as MessageSpec<unknown>, version: 9, value: produceResponse(parts) });
  cases.push({ name: `Fetch request    v12 ${parts} partitions`, spec: FetchRequest as MessageSpec<unknown>, version: 12, value: fetchRequest(parts) });
  cases.push({ name: `Fetch response   v12 ${parts} partitions`, spec: FetchResponse as MessageSpec<unknown>, version: 12, value: fetchResponse(parts) });
}
cases.push({ name: 'Metadata response v12 1000 topics', spec: MetadataResponse as MessageSpec<unknown>, version: 12, value: metadataResponse(1000) });
cases.push({ name: 'Metadata response v8  1000 topics', spec: MetadataResponse as MessageSpec<unknown>, version: 8, value: metadataResponse(1000) });

console.log(`codec bench: Node ${process.version}, median of ${ROUNDS} interleaved rounds of ${MS} ms, rates per CPU-second; compiled vs interpreter (× = compiled speed-up)\n`);
console.log('case                                  bytes   | encode compiled       interp      ×   | decode compiled       interp      ×');
for (const c of cases) {
  if (ONLY !== '' && !c.name.includes(ONLY)) continue;
  const wire = Buffer.concat(encodeMessage(c.spec, c.version, c.value));
  const viaInterp = Buffer.concat(interpEncode(c.spec, c.version, c.value));
  if (!viaInterp.equals(wire)) throw new Error(`${c.name}: interpreter and compiler disagree`);
  // Interleaved rounds, median of each: this shared machine's load drifts during a run.
  const runs: number[][] = [[], [], [], []];
  for (let round = 0; round < ROUNDS; round++) {
    runs[0]!.push(rate(() => encodeMessage(c.spec, c.version, c.value)));
    runs[1]!.push(rate(() => interpEncode(c.spec, c.version, c.value)));
    runs[2]!.push(rate(() => decodeMessage(c.spec, c.version, wire)));
    runs[3]!.push(rate(() => interpDecode(c.spec, c.version, wire)));
  }
  const [encC, encI, decC, decI] = runs.map(median) as [number, number, number, number];
  const mb = (ops: number) => `${((ops * wire.length) / 1e6).toFixed(0)} MB/s`;
  console.log(
    `${c.name.padEnd(36)} ${String(wire.length).padStart(7)}   | ${fmt(encC).padStart(7)}/s ${mb(encC).padStart(11)} ${fmt(encI).padStart(7)}/s ${(encC / encI).toFixed(1).padStart(5)} | ${fmt(decC).padStart(7)}/s ${mb(decC).padStart(11)} ${fmt(decI).padStart(7)}/s ${(decC / decI).toFixed(1).padStart(5)}`,
  );
}
