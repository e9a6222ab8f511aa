/**
 * Compiles a message declaration into specialised functions for one version with `new Function`
 * (the protobufjs / fast-json-stringify approach), lazily on first use and cached per (spec, version,
 * family). Set BROOK_DUMP_CODEC=1 (or to a substring of message names) to print the generated source
 * to stderr.
 */
import type { MessageSpec, RecordsValue, StructType } from './dsl.js';
import { CodeGen, type Family } from './codegen.js';
import { inVersions } from './versions.js';
import { uvarintSize } from '../primitives/varint.js';
import { uuidFromBytes } from '../primitives/uuid.js';
import { RECORDS_INLINE_LIMIT, type Writer } from '../primitives/writer.js';
import type { Reader } from '../primitives/reader.js';

/** Lengths measured by a sizer, replayed by the encoder; `ext` counts bytes written by reference. */
export interface SizeContext {
  lens: number[];
  ext: number;
}

export type SizeFn<V> = (value: V, ctx: SizeContext) => number;
export type EncodeFn<V> = (w: Writer, value: V) => void;
export type DecodeFn<V> = (r: Reader) => V;
export type DefaultFn<V> = () => V;

export interface Compiled<V> {
  S: SizeFn<V>;
  E: EncodeFn<V>;
  D: DecodeFn<V>;
  Z: DefaultFn<V>;
  I: (value: V) => boolean;
}

const EMPTY = Buffer.alloc(0);

function recordsLength(v: RecordsValue | Buffer): number {
  if (Buffer.isBuffer(v)) return v.length;
  let n = 0;
  for (const b of v) n += b.length;
  return n;
}

function writeRawTag(w: Writer, t: { tag: number; data: Buffer }): void {
  w.uvarint(t.tag);
  w.uvarint(t.data.length);
  w.copy(t.data);
}

/** Helpers the generated code reaches through `rt`. */
const runtime = {
  EMPTY,
  INLINE: RECORDS_INLINE_LIMIT,
  uvarintSize,
  byteLength: (s: string) => Buffer.byteLength(s, 'utf8'),
  recordsLength,
  writeRawTag,
  uuidFromBytes,
};

const cache = new WeakMap<object, Map<string, unknown>>();

/** True when `version` of `spec` uses compact types and tagged fields. */
export function isFlexible(spec: MessageSpec<unknown>, version: number): boolean {
  return inVersions(spec.flexibleVersions, version);
}

export function isValidVersion(spec: MessageSpec<unknown>, version: number): boolean {
  return Number.isInteger(version) && inVersions(spec.validVersions, version);
}

function dumpFilter(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.BROOK_DUMP_CODEC;
  return v === undefined || v === '' || v === '0' ? undefined : v;
}

/**
 * The compiled `family` function of `spec` at `version` (generated on first use). Throws when the
 * version is not one of the message's valid versions.
 */
export function compiled<V, F extends Family>(spec: MessageSpec<V>, version: number, family: F): Compiled<V>[F] {
  let perSpec = cache.get(spec);
  if (perSpec === undefined) {
    perSpec = new Map();
    cache.set(spec, perSpec);
  }
  const key = `${family}${version}`;
  const hit = perSpec.get(key);
  if (hit !== undefined) return hit as Compiled<V>[F];
  if (!isValidVersion(spec, version)) {
    throw new Error(`${spec.name} has no version ${version} (valid: ${spec.validVersions})`);
  }
  const gen = new CodeGen(spec.name, version, isFlexible(spec, version));
  const source = gen.program(spec, family);
  const filter = dumpFilter();
  if (filter !== undefined && (filter === '1' || spec.name.includes(filter))) {
    process.stderr.write(`// ---- ${spec.name} v${version} ${family}\n${source}\n`);
  }
  const fn = new Function('rt', source)(runtime) as Compiled<V>[F];
  perSpec.set(key, fn);
  return fn;
}

/** Compiles the default-value builder of a bare struct type (handy for handlers building responses). */
export function compiledStructDefault<V>(st: StructType<V>): DefaultFn<V> {
  let perSpec = cache.get(st);
  if (perSpec === undefined) {
    perSpec = new Map();
    cache.set(st, perSpec);
  }
  const hit = perSpec.get('Z');
  if (hit !== undefined) return hit as DefaultFn<V>;
  const fn = new Function('rt', new CodeGen(st.name, 0, false).program(st, 'Z'))(runtime) as DefaultFn<V>;
  perSpec.set('Z', fn);
  return fn;
}

/** The generated source, for debugging and tests. */
export function generatedSource(spec: MessageSpec<unknown>, version: number, family: Family): string {
  return new CodeGen(spec.name, version, isFlexible(spec, version)).program(spec, family);
}
