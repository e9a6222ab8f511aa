/**
 * Cross-checks the group, offset and transaction schemas against franz-go's protocol definitions
 * (generate/definitions/NN_name), the newest source for versions Kafka's JSON mirror lacks (OffsetCommit
 * and OffsetFetch v10, DescribeGroups v6, WriteTxnMarkers v2, ...). For every version it compares the
 * highest version, the first flexible version, and the wire layout: field order, wire types,
 * nullability, nesting and tags. Field names are not compared (franz-go renames fields: Group for GroupId).
 *
 * Source: FRANZ_GO_DEFINITIONS (a directory of those files), else the franz-go mirror at
 * /work/.mirror/twmb+franz-go/repo read with git; skipped when neither is there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyField, ApiSpec, Type } from '../../src/protocol/schema/dsl.js';
import { api as offsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { api as offsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { api as findCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { api as joinGroup } from '../../src/protocol/messages/11-join-group.js';
import { api as heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { api as leaveGroup } from '../../src/protocol/messages/13-leave-group.js';
import { api as syncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { api as describeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { api as listGroups } from '../../src/protocol/messages/16-list-groups.js';
import { api as initProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { api as addPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { api as addOffsetsToTxn } from '../../src/protocol/messages/25-add-offsets-to-txn.js';
import { api as endTxn } from '../../src/protocol/messages/26-end-txn.js';
import { api as writeTxnMarkers } from '../../src/protocol/messages/27-write-txn-markers.js';
import { api as txnOffsetCommit } from '../../src/protocol/messages/28-txn-offset-commit.js';
import { api as deleteGroups } from '../../src/protocol/messages/42-delete-groups.js';
import { api as offsetDelete } from '../../src/protocol/messages/47-offset-delete.js';
import { api as describeProducers } from '../../src/protocol/messages/61-describe-producers.js';
import { api as describeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { api as listTransactions } from '../../src/protocol/messages/66-list-transactions.js';
import { api as consumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { api as consumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';

const APIS: ApiSpec[] = [
  offsetCommit, offsetFetch, findCoordinator, joinGroup, heartbeat, leaveGroup, syncGroup, describeGroups,
  listGroups, initProducerId, addPartitionsToTxn, addOffsetsToTxn, endTxn, writeTxnMarkers, txnOffsetCommit,
  deleteGroups, offsetDelete, describeProducers, describeTransactions, listTransactions, consumerGroupHeartbeat,
  consumerGroupDescribe,
];

// ---------------------------------------------------------------- reading franz-go's definitions

const MIRROR = '/work/.mirror/twmb+franz-go/repo';
const DEFS_DIR = 'generate/definitions';

/** API key → text of its NN_name definition file (for the keys checked here), or null without a source. */
function loadDefinitionFiles(keys: ReadonlySet<number>): Map<number, string> | null {
  const out = new Map<number, string>();
  const dir = process.env.FRANZ_GO_DEFINITIONS;
  if (dir !== undefined && existsSync(dir)) {
    for (const f of readdirSync(dir)) {
      const m = /^(\d+)_/.exec(f);
      if (m && keys.has(Number(m[1]))) out.set(Number(m[1]), readFileSync(join(dir, f), 'utf8'));
    }
    return out;
  }
  if (!existsSync(MIRROR)) return null;
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', MIRROR, ...args], { encoding: 'utf8' });
    for (const path of git('ls-tree', '--name-only', 'HEAD', `${DEFS_DIR}/`).split('\n')) {
      const m = /\/(\d+)_[^/]*$/.exec(path);
      if (m && keys.has(Number(m[1]))) out.set(Number(m[1]), git('show', `HEAD:${path}`));
    }
    return out;
  } catch {
    return null;
  }
}

interface FranzField {
  type: string;
  min: number;
  max: number;
  tag?: number;
  indent: number;
  children: FranzField[];
}

interface FranzMessage {
  maxVersion?: number;
  flexibleFrom?: number;
  fields: FranzField[];
}

/**
 * Parses the subset of franz-go's definition language these APIs use: `Name => key K, max version M,
 * flexible vF+` headers, indented `Field: type // vA+ | vA-vB | tag N` lines, `[=>]`/`=>` nested structs,
 * named structs (`Name => not top level`), `nullable-`/`nullable-vN+` prefixes and `(default)` suffixes.
 */
function parseDefinitions(text: string): Map<string, FranzMessage> {
  const messages = new Map<string, FranzMessage>();
  let current: FranzMessage | undefined;
  let stack: FranzField[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s*\/\//.test(line)) continue;
    const header = /^([A-Za-z0-9]+) =>(.*)$/.exec(line);
    if (header) {
      const rest = header[2]!;
      const max = /max version (\d+)/.exec(rest);
      const flex = /flexible v(\d+)\+/.exec(rest);
      current = {
        ...(max ? { maxVersion: Number(max[1]) } : {}),
        ...(flex ? { flexibleFrom: Number(flex[1]) } : {}),
        fields: [],
      };
      messages.set(header[1]!, current);
      stack = [];
      continue;
    }
    const m = /^(\s+)([A-Za-z0-9]+)(?:\([^)]*\))?(?::\s*([^/]*?))?\s*(?:\/\/(.*))?$/.exec(line);
    if (!m || current === undefined) throw new Error(`unparsed franz-go line: ${line}`);
    const indent = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    const comment = m[4] ?? '';
    const range = /v(\d+)(\+|-v(\d+))/.exec(comment);
    const tag = /tag (\d+)/.exec(comment);
    const field: FranzField = {
      // ThrottleMillis(N) is franz-go's shorthand for the int32 throttle_time_ms field.
      type: m[2] === 'ThrottleMillis' ? 'int32' : (m[3] ?? '').trim(),
      min: range ? Number(range[1]) : (parent?.min ?? 0),
      max: range ? (range[2] === '+' ? Infinity : Number(range[3])) : (parent?.max ?? Infinity),
      indent,
      children: [],
      ...(tag ? { tag: Number(tag[1]) } : {}),
    };
    (parent ? parent.children : current.fields).push(field);
    stack.push(field);
  }
  return messages;
}

// ---------------------------------------------------------------- layouts as token lists

interface Layout {
  inline: string[];
  tagged: string[];
}

function franzLayout(fields: FranzField[], v: number, flexible: boolean, named: Map<string, FranzMessage>): Layout {
  const out: Layout = { inline: [], tagged: [] };
  for (const f of fields) {
    if (v < f.min || v > f.max) continue;
    const tokens = franzType(f, v, flexible, named);
    if (f.tag !== undefined) {
      if (flexible) out.tagged.push(`${f.tag}:${tokens.join(' ')}`);
    } else out.inline.push(...tokens);
  }
  return out;
}

function franzType(f: FranzField, v: number, flexible: boolean, named: Map<string, FranzMessage>): string[] {
  let t = f.type.replace(/\([^)]*\)/g, '');
  let nullable = false;
  const prefix = /^nullable(?:-v(\d+)\+)?-?(.*)$/.exec(t);
  if (prefix) {
    nullable = prefix[1] === undefined || v >= Number(prefix[1]);
    t = prefix[2]!;
  }
  const suffix = /^(.*)-v(\d+)\+$/.exec(t);
  if (suffix) {
    nullable = v >= Number(suffix[2]);
    t = suffix[1]!;
  }
  const struct = (name: string): string[] => {
    const fields = name === '=>' ? f.children : named.get(name)?.fields;
    if (fields === undefined) return [name];
    return ['{', ...franzLayout(fields, v, flexible, named).inline, '}'];
  };
  if (t.startsWith('[')) return [nullable ? '[?' : '[', ...struct(t.slice(1, -1)), ']'];
  if (t === '=>' || named.has(t)) return [...(nullable ? ['?'] : []), ...struct(t)];
  return [`${nullable ? 'nullable-' : ''}${t}`];
}

function has(text: string | undefined, v: number): boolean {
  if (text === undefined || text === 'none') return false;
  let m = /^(\d+)\+$/.exec(text);
  if (m) return v >= Number(m[1]);
  m = /^(\d+)-(\d+)$/.exec(text);
  if (m) return v >= Number(m[1]) && v <= Number(m[2]);
  return v === Number(text);
}

function ourLayout(fields: readonly AnyField[], v: number, flexible: boolean): Layout {
  const out: Layout = { inline: [], tagged: [] };
  for (const f of fields) {
    if (!has(f.versions, v)) continue;
    const tokens = ourType(f.type, has(f.nullable, v), v, flexible);
    if (flexible && f.tag !== undefined && has(f.taggedVersions, v)) out.tagged.push(`${f.tag}:${tokens.join(' ')}`);
    else out.inline.push(...tokens);
  }
  return out;
}

function ourType(type: Type<unknown>, nullable: boolean, v: number, flexible: boolean): string[] {
  if (type.kind === 'array') return [nullable ? '[?' : '[', ...ourType(type.items, false, v, flexible), ']'];
  if (type.kind === 'struct') return [...(nullable ? ['?'] : []), '{', ...ourLayout(type.fields, v, flexible).inline, '}'];
  return [`${nullable ? 'nullable-' : ''}${type.kind}`];
}

// ---------------------------------------------------------------- the check

const files = loadDefinitionFiles(new Set(APIS.map((a) => a.key)));

describe.skipIf(files === null)('group/offset/transaction schemas match franz-go definitions', () => {
  for (const api of APIS) {
    it(`${api.name} (key ${api.key}): versions, flexibility and every version's layout`, () => {
      const text = files!.get(api.key);
      expect(text, `franz-go has no definition for key ${api.key}`).toBeDefined();
      const messages = parseDefinitions(text!);
      const named = new Map([...messages].filter(([n]) => !/(Request|Response)$/.test(n)));
      const request = [...messages].find(([n]) => n.endsWith('Request'))![1];
      const response = [...messages].find(([n]) => n.endsWith('Response'))![1];
      const max = request.maxVersion!;
      const flexibleFrom = request.flexibleFrom;
      for (const [ours, theirs] of [
        [api.request, request],
        [api.response, response],
      ] as const) {
        expect(ours.validVersions).toBe(max === 0 ? '0' : `0-${max}`);
        expect(ours.flexibleVersions).toBe(flexibleFrom === undefined ? 'none' : `${flexibleFrom}+`);
        for (let v = 0; v <= max; v++) {
          const flexible = flexibleFrom !== undefined && v >= flexibleFrom;
          expect(ourLayout(ours.fields, v, flexible), `${ours.name} v${v}`).toEqual(franzLayout(theirs.fields, v, flexible, named));
        }
      }
    });
  }

  it('sees a layout difference (the comparison itself can fail)', () => {
    const messages = parseDefinitions(files!.get(12)!);
    const response = messages.get('HeartbeatResponse')!;
    // v0 of the response has no throttle time: adding it to v0 must show up.
    const wrong = [{ name: 'throttleTimeMs', type: { kind: 'int32' }, versions: '0+' }, ...heartbeat.response.fields] as AnyField[];
    expect(ourLayout(wrong, 0, false)).not.toEqual(franzLayout(response.fields, 0, false, new Map()));
    expect(ourLayout(heartbeat.response.fields, 0, false)).toEqual(franzLayout(response.fields, 0, false, new Map()));
  });
});
