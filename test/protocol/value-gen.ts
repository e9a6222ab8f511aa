/**
 * Generates random in-memory values for a message at one version, straight from its schema: fields the
 * version lacks get their defaults; nullable fields are sometimes null; tagged fields are sometimes
 * left at their default (unset); strings are unicode; integers hit their extremes; arrays are empty,
 * small or (near the root) large. Deterministic for a given seed.
 */
import type { AnyField, MessageSpec, StructType, Type } from '../../src/protocol/schema/dsl.js';
import { compiledStructDefault } from '../../src/protocol/schema/compile.js';
import { defaultValue } from '../../src/protocol/codec.js';
import { inVersions } from '../../src/protocol/schema/versions.js';

/** mulberry32: a tiny seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GenMode = 'random' | 'nulls' | 'large' | 'empty';

const WORDS = ['', 'a', 'topic-1', 'ünïcödé', '日本語', '🦆🦆', 'x'.repeat(40), 'tab\tnew\nline', '\u0000nul'];

export class ValueGen {
  private readonly rnd: () => number;

  constructor(seed: number, private readonly mode: GenMode = 'random') {
    this.rnd = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  message<V>(spec: MessageSpec<V>, version: number, flexible: boolean): V {
    const v = defaultValue(spec, version) as Record<string, unknown>;
    this.fill(v, spec.fields, version, flexible, 0);
    return v as V;
  }

  private fill(obj: Record<string, unknown>, fields: readonly AnyField[], version: number, flexible: boolean, depth: number): void {
    for (const f of fields) {
      if (!inVersions(f.versions, version)) continue; // stays at its default
      const tagged = flexible && f.tag !== undefined && inVersions(f.taggedVersions, version);
      if (tagged && this.mode !== 'large' && this.rnd() < 0.4) continue; // unset tagged field
      if (this.mode === 'empty') continue;
      const nullable = inVersions(f.nullable, version);
      if (nullable && (this.mode === 'nulls' ? this.rnd() < 0.7 : this.rnd() < 0.15)) {
        obj[f.name] = null;
        continue;
      }
      obj[f.name] = this.value(f.type, version, flexible, depth);
    }
    if (flexible && this.mode !== 'empty' && this.rnd() < 0.2) {
      // Tags no schema uses yet, above every known one, so they come back in the same order.
      obj._unknownTags = [{ tag: 9000, data: Buffer.from([1, 2]) }, { tag: 9001, data: Buffer.alloc(0) }];
    }
  }

  value(t: Type<unknown>, version: number, flexible: boolean, depth: number): unknown {
    const r = this.rnd();
    switch (t.kind) {
      case 'int8': return this.pick([-128, 127, 0, -1, this.int(256) - 128]);
      case 'int16': return this.pick([-32768, 32767, 0, -1, this.int(65536) - 32768]);
      case 'int32': return this.pick([-(2 ** 31), 2 ** 31 - 1, 0, -1, this.int(2 ** 32) - 2 ** 31]);
      case 'uint16': return this.pick([0, 65535, this.int(65536)]);
      case 'uint32': return this.pick([0, 2 ** 32 - 1, this.int(2 ** 32)]);
      case 'int64': return this.pick([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, BigInt(this.int(2 ** 32)) * BigInt(this.int(2 ** 31))]);
      case 'float64': return this.pick([0, -1.5, Math.PI, Number.MAX_VALUE, Number.MIN_VALUE, r * 1e9]);
      case 'bool': return r < 0.5;
      case 'uuid': return this.bytes(16).toString('base64url');
      case 'string': return this.mode === 'large' && r < 0.3 ? 'ß'.repeat(500 + this.int(500)) : this.pick(WORDS);
      case 'bytes': return this.bytes(this.mode === 'large' ? this.int(3000) : this.int(8));
      case 'records':
        // Encoders also take a list of buffers (batches sent by reference); decoders return one view.
        if (this.mode === 'large' && r < 0.5) return [this.bytes(1024 + this.int(2048)), this.bytes(this.int(100)), this.bytes(2000)];
        return this.bytes(this.mode === 'large' || r < 0.2 ? 1024 + this.int(4096) : this.int(64));
      case 'array': {
        const items = (t as { items: Type<unknown> }).items;
        const n = this.mode === 'large' && depth === 0 ? 40 + this.int(60) : depth > 2 ? this.int(2) : this.int(4);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(this.value(items, version, flexible, depth + 1));
        return out;
      }
      case 'struct': {
        const st = t as StructType<Record<string, unknown>>;
        const v = compiledStructDefault(st)();
        this.fill(v, st.fields, version, flexible, depth + 1);
        return v;
      }
    }
    throw new Error(`unknown type ${(t as { kind: string }).kind}`);
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}
