/**
 * Cross-checks every schema in src/protocol/messages against Apache Kafka's JSON message definitions.
 * Enabled when KAFKA_MESSAGE_DIR points at a directory of those *.json files (see
 * scripts/crosscheck-kafka-json.sh, which extracts them from the Kafka or AutoMQ mirror); skipped otherwise.
 *
 * For every request/response and every version present in BOTH definitions it compares the wire
 * layout: flexible or not, field names (Kafka PascalCase ↔ our camelCase) and order, wire types,
 * nullability, tags and tagged-ness, declared defaults, and nested structs (Kafka's commonStructs resolved).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnyField, MessageSpec, Type } from '../../src/protocol/schema/dsl.js';
import { inVersions, parseVersions } from '../../src/protocol/schema/versions.js';

const KAFKA_DIR = process.env.KAFKA_MESSAGE_DIR;
const MESSAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../src/protocol/messages');

interface KafkaField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean | null;
  fields?: KafkaField[];
}

interface KafkaMessage {
  name: string;
  type: string;
  apiKey?: number;
  validVersions: string;
  flexibleVersions: string;
  fields: KafkaField[];
  commonStructs?: Array<{ name: string; versions?: string; fields: KafkaField[] }>;
}

/** Removes // and /* *\/ comments outside strings (Kafka's JSON files carry a license header and notes). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else out += c;
  }
  return out;
}

function loadKafka(dir: string): Map<string, KafkaMessage> {
  const byName = new Map<string, KafkaMessage>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    const msg = JSON.parse(stripJsonComments(readFileSync(join(dir, f), 'utf8'))) as KafkaMessage;
    byName.set(msg.name, msg);
  }
  return byName;
}

async function loadOurs(): Promise<Array<{ file: string; spec: MessageSpec<unknown> }>> {
  const out: Array<{ file: string; spec: MessageSpec<unknown> }> = [];
  for (const f of readdirSync(MESSAGES_DIR).sort()) {
    if (!/^\d+-.*\.ts$/.test(f)) continue;
    const mod = (await import(pathToFileURL(join(MESSAGES_DIR, f)).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const s = value as MessageSpec<unknown>;
      if (s && typeof s === 'object' && (s.kind === 'request' || s.kind === 'response') && Array.isArray(s.fields)) {
        if (!out.some((o) => o.spec === s)) out.push({ file: f, spec: s });
      }
    }
  }
  return out;
}

/** One field as laid out on the wire at one version. */
interface Slot {
  name: string;
  type: string;
  nullable: boolean;
  tag: string;
  def: string;
  children?: Slot[];
}

const PRIMS = new Set(['int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'bool', 'uuid', 'string', 'bytes', 'records']);

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function normDefault(kind: string, d: unknown): string {
  if (d === undefined) {
    if (kind === 'int64') return '0';
    if (['int8', 'int16', 'int32', 'uint16', 'uint32', 'float64'].includes(kind)) return '0';
    if (kind === 'bool') return 'false';
    if (kind === 'string') return "''";
    return '';
  }
  if (d === null || d === 'null') return 'null';
  if (kind === 'bool') return String(d === true || d === 'true');
  if (kind === 'string') return JSON.stringify(String(d)).replace(/^"|"$/g, "'");
  if (['int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64'].includes(kind)) {
    const s = String(d);
    return /^0x/i.test(s) ? String(BigInt(s)) : String(BigInt(Math.trunc(Number(s))));
  }
  return '';
}

function kafkaSlots(fields: KafkaField[], version: number, flexible: boolean, msg: KafkaMessage): Slot[] {
  const out: Slot[] = [];
  for (const f of fields) {
    if (!inVersions(f.versions, version)) continue;
    const isArray = f.type.startsWith('[]');
    const base = isArray ? f.type.slice(2) : f.type;
    const prim = PRIMS.has(base);
    const tagged = flexible && f.tag !== undefined && inVersions(f.taggedVersions, version);
    const slot: Slot = {
      name: camel(f.name),
      type: isArray ? `[]${prim ? base : 'struct'}` : prim ? base : 'struct',
      nullable: inVersions(f.nullableVersions, version),
      tag: tagged ? `tag ${f.tag}` : 'inline',
      def: prim && !isArray ? normDefault(base, f.default) : f.default === 'null' || f.default === null ? 'null' : '',
    };
    if (!prim) {
      const sub = f.fields ?? msg.commonStructs?.find((c) => c.name === base)?.fields;
      if (sub === undefined) throw new Error(`${msg.name}: struct ${base} not found`);
      slot.children = kafkaSlots(sub, version, flexible, msg);
    }
    out.push(slot);
  }
  return out;
}

function typeName(t: Type<unknown>): { name: string; struct?: readonly AnyField[] } {
  if (t.kind === 'array') {
    const items = (t as { items: Type<unknown> }).items;
    const inner = typeName(items);
    return { name: `[]${inner.name}`, ...(inner.struct ? { struct: inner.struct } : {}) };
  }
  if (t.kind === 'struct') return { name: 'struct', struct: (t as { fields: readonly AnyField[] }).fields };
  return { name: t.kind };
}

function ourSlots(fields: readonly AnyField[], version: number, flexible: boolean): Slot[] {
  const out: Slot[] = [];
  for (const f of fields) {
    if (!inVersions(f.versions, version)) continue;
    const t = typeName(f.type);
    const tagged = flexible && f.tag !== undefined && inVersions(f.taggedVersions, version);
    const prim = t.struct === undefined && !t.name.startsWith('[]');
    const slot: Slot = {
      name: f.name,
      type: t.name,
      nullable: inVersions(f.nullable, version),
      tag: tagged ? `tag ${f.tag}` : 'inline',
      def: prim ? normDefault(t.name, typeof f.default === 'bigint' ? f.default.toString() : f.default) : f.default === null ? 'null' : '',
    };
    if (t.struct !== undefined) slot.children = ourSlots(t.struct, version, flexible);
    out.push(slot);
  }
  return out;
}

function describeSlot(s: Slot): string {
  return `${s.name}: ${s.type}${s.nullable ? ' nullable' : ''} ${s.tag}${s.def !== '' ? ` default ${s.def}` : ''}`;
}

/** Differences between two layouts, as readable lines. */
function diff(kafka: Slot[], ours: Slot[], path: string, out: string[]): void {
  const n = Math.max(kafka.length, ours.length);
  for (let i = 0; i < n; i++) {
    const k = kafka[i];
    const o = ours[i];
    if (k === undefined) {
      out.push(`${path}: extra field #${i} ${describeSlot(o!)} (Kafka has no field there)`);
      continue;
    }
    if (o === undefined) {
      out.push(`${path}: missing field #${i} ${describeSlot(k)}`);
      continue;
    }
    if (describeSlot(k) !== describeSlot(o)) out.push(`${path}: field #${i} is [${describeSlot(o)}], Kafka has [${describeSlot(k)}]`);
    if (k.name !== o.name) return; // order broken: later fields would only repeat the noise
    if (k.children !== undefined || o.children !== undefined) diff(k.children ?? [], o.children ?? [], `${path}.${k.name}`, out);
  }
}

function commonVersions(a: string, b: string): number[] {
  const ra = parseVersions(a);
  const rb = parseVersions(b);
  const out: number[] = [];
  if (ra.empty || rb.empty) return out;
  const max = Math.min(ra.max, rb.max);
  for (let v = Math.max(ra.min, rb.min); v <= max; v++) out.push(v);
  return out;
}

/** All mismatches between our spec and Kafka's, over every version both define. */
export function crosscheck(ours: MessageSpec<unknown>, kafka: KafkaMessage): { versions: number[]; problems: string[] } {
  const problems: string[] = [];
  const versions = commonVersions(ours.validVersions, kafka.validVersions);
  for (const v of versions) {
    const kFlex = inVersions(kafka.flexibleVersions, v);
    const oFlex = inVersions(ours.flexibleVersions, v);
    if (kFlex !== oFlex) problems.push(`v${v}: flexible is ${oFlex}, Kafka says ${kFlex}`);
    const before = problems.length;
    diff(kafkaSlots(kafka.fields, v, kFlex, kafka), ourSlots(ours.fields, v, oFlex), `v${v} ${ours.name}`, problems);
    if (problems.length - before > 40) break;
  }
  return { versions, problems };
}

const kafkaMessages = KAFKA_DIR !== undefined && KAFKA_DIR !== '' ? loadKafka(KAFKA_DIR) : undefined;
const ours = kafkaMessages !== undefined ? await loadOurs() : [];

describe.skipIf(kafkaMessages === undefined)('schemas match Kafka JSON definitions (set KAFKA_MESSAGE_DIR to enable)', () => {
  it('finds our schema modules and Kafka definitions', () => {
    expect(ours.length).toBeGreaterThan(0);
    expect(kafkaMessages!.size).toBeGreaterThan(0);
  });

  for (const { file, spec } of ours) {
    const kafka = kafkaMessages?.get(spec.name);
    const both = kafka === undefined ? [] : commonVersions(spec.validVersions, kafka.validVersions);
    const note = kafka === undefined ? 'no Kafka definition' : both.length === 0 ? 'no common version' : `v${both[0]}-v${both[both.length - 1]} compared`;
    it.skipIf(kafka === undefined)(`${file} ${spec.name} (${note})`, () => {
      const { versions, problems } = crosscheck(spec, kafka!);
      if (kafka!.apiKey !== undefined) expect(spec.apiKey, 'apiKey').toBe(kafka!.apiKey);
      expect(problems.join('\n'), `versions compared: ${versions.join(',')}`).toBe('');
    });
  }
});
