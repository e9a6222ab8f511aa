/**
 * Hostile-input fuzzing of every decoder, shared by test/protocol/hostile-input.test.ts (short CI run) and
 * scripts/fuzz-protocol.ts (long runs). Inputs are derived from valid encodings (truncated, bit-flipped,
 * byte-overwritten, given huge length prefixes) plus purely random bytes. Every decode must either
 * succeed or throw ProtocolError; a success must stay within the input's size (each array element
 * accounted against the bytes it came from) and must re-encode.
 */
import { decodeMessage, encodeMessage, isFlexible } from '../../src/protocol/codec.js';
import { ProtocolError } from '../../src/protocol/primitives/protocol-error.js';
import type { ApiSpec, MessageSpec } from '../../src/protocol/schema/dsl.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import { prng, ValueGen, type GenMode } from './value-gen.js';

export interface FuzzFailure {
  message: string;
  version: number;
  input: string;
  error: string;
}

export interface FuzzStats {
  inputs: number;
  decoded: number;
  rejected: number;
  failures: FuzzFailure[];
}

/**
 * Array elements in a decoded value: each takes at least one byte on the wire, so never more than the
 * input length (strings and bytes are bounded by the Reader itself; defaults like UUIDs cost nothing).
 */
export function weight(v: unknown): number {
  if (Array.isArray(v)) {
    let n = v.length;
    for (const x of v) n += weight(x);
    return n;
  }
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
    let n = 0;
    for (const x of Object.values(v)) n += weight(x);
    return n;
  }
  return 0;
}

const HUGE: Buffer[] = [
  Buffer.from([0x7f, 0xff, 0xff, 0xff]), // int32 length 2^31-1
  Buffer.from([0x7f, 0xff]), // int16 length
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), // uvarint 2^32-1
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07]), // uvarint 2^31-1
  Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), // over-long varint
  Buffer.from([0xff, 0xff, 0xff, 0xfe]), // int32 -2
];

function check(spec: MessageSpec<unknown>, version: number, input: Buffer, stats: FuzzStats): void {
  stats.inputs++;
  let value: unknown;
  try {
    value = decodeMessage(spec, version, input);
  } catch (err) {
    if (err instanceof ProtocolError) {
      stats.rejected++;
      return;
    }
    fail(spec, version, input, stats, `threw ${String(err)}`);
    return;
  }
  stats.decoded++;
  const w = weight(value);
  if (w > input.length) fail(spec, version, input, stats, `decoded weight ${w} exceeds input length ${input.length}`);
  try {
    encodeMessage(spec, version, value);
  } catch (err) {
    fail(spec, version, input, stats, `decoded value does not re-encode: ${String(err)}`);
  }
}

function fail(spec: MessageSpec<unknown>, version: number, input: Buffer, stats: FuzzStats, error: string): void {
  if (stats.failures.length < 20) stats.failures.push({ message: spec.name, version, input: input.toString('hex'), error });
}

/** Runs about `count` hostile inputs spread over every version and both directions of `api`. */
export function fuzzApi(api: ApiSpec, count: number, seed: number): FuzzStats {
  const stats: FuzzStats = { inputs: 0, decoded: 0, rejected: 0, failures: [] };
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const targets: Array<{ spec: MessageSpec<unknown>; version: number; bases: Buffer[] }> = [];
  for (const spec of [api.request, api.response] as Array<MessageSpec<unknown>>) {
    for (const version of listVersions(spec.validVersions)) {
      const flexible = isFlexible(spec, version);
      const bases = (['random', 'nulls', 'empty', 'random'] as GenMode[]).map((mode, i) =>
        Buffer.concat(encodeMessage(spec, version, new ValueGen(seed + i * 7919 + version, mode).message(spec, version, flexible))),
      );
      targets.push({ spec, version, bases });
    }
  }
  const perTarget = Math.max(1, Math.ceil(count / targets.length));
  for (const { spec, version, bases } of targets) {
    for (let i = 0; i < perTarget; i++) {
      const base = bases[i % bases.length]!;
      const kind = i % 6;
      let input: Buffer;
      if (kind === 0) {
        input = base.subarray(0, int(base.length + 1)); // truncated (a view: no copy needed)
      } else if (kind === 1 || kind === 2) {
        input = Buffer.from(base);
        const flips = 1 + int(kind === 1 ? 2 : 8);
        for (let f = 0; f < flips && input.length > 0; f++) input[int(input.length)]! ^= 1 << int(8);
      } else if (kind === 3) {
        input = Buffer.from(base);
        const huge = HUGE[int(HUGE.length)]!;
        if (input.length > 0) huge.copy(input, int(input.length));
      } else if (kind === 4) {
        input = Buffer.from(base);
        for (let f = 0; f < 3 && input.length > 0; f++) input[int(input.length)] = int(256);
      } else {
        input = Buffer.allocUnsafe(int(48));
        for (let b = 0; b < input.length; b++) input[b] = rnd() < 0.3 ? 0 : rnd() < 0.1 ? 0xff : int(256);
      }
      check(spec, version, input, stats);
    }
  }
  return stats;
}
