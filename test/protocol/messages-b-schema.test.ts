/**
 * Static checks of the group, offset and transaction schema modules: the declared version ranges (what
 * ApiVersions will advertise) and the rules a Kafka message definition must obey (tagged fields only in
 * flexible versions, nullability only on nullable types and inside the field's versions, null defaults
 * only on always-nullable fields, int64 defaults as bigint, unique names and tags per version).
 * These need no codec; the byte-level round trips live beside the codec's tests.
 */
import { describe, expect, it } from 'vitest';
import type { AnyField, ApiSpec, MessageSpec, Type } from '../../src/protocol/schema/dsl.js';
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

/** [api, highest version, first flexible version or null] — from Kafka 4.x (franz-go, Aug 2026). */
const EXPECTED: ReadonlyArray<readonly [ApiSpec, number, number | null]> = [
  [offsetCommit, 10, 8],
  [offsetFetch, 10, 6],
  [findCoordinator, 6, 3],
  [joinGroup, 9, 6],
  [heartbeat, 4, 4],
  [leaveGroup, 5, 4],
  [syncGroup, 5, 4],
  [describeGroups, 6, 5],
  [listGroups, 5, 3],
  [initProducerId, 5, 2],
  [addPartitionsToTxn, 5, 3],
  [addOffsetsToTxn, 4, 3],
  [endTxn, 5, 3],
  [writeTxnMarkers, 2, 1],
  [txnOffsetCommit, 5, 3],
  [deleteGroups, 2, 2],
  [offsetDelete, 0, null],
  [describeProducers, 0, 0],
  [describeTransactions, 0, 0],
  [listTransactions, 2, 0],
  [consumerGroupHeartbeat, 1, 0],
  [consumerGroupDescribe, 1, 0],
];

interface Range {
  min: number;
  max: number;
}

function range(text: string | undefined): Range | null {
  if (text === undefined || text === 'none') return null;
  let m = /^(\d+)\+$/.exec(text);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`bad version range '${text}'`);
}

function has(text: string | undefined, v: number): boolean {
  const r = range(text);
  return r !== null && v >= r.min && v <= r.max;
}

const NULLABLE_KINDS = new Set(['string', 'bytes', 'records', 'uuid', 'array', 'struct']);
const INT_BOUNDS: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/** Every rule violation in one message, as readable strings (empty when the message is sound). */
function problems(msg: MessageSpec): string[] {
  const out: string[] = [];
  const valid = range(msg.validVersions)!;
  const versions = Array.from({ length: valid.max - valid.min + 1 }, (_, i) => valid.min + i);

  function checkFields(fields: readonly AnyField[], path: string): void {
    for (const v of versions) {
      const names = new Set<string>();
      const tags = new Set<number>();
      for (const f of fields) {
        if (!has(f.versions, v)) continue;
        if (names.has(f.name)) out.push(`${path}.${f.name}: duplicate name in v${v}`);
        names.add(f.name);
        if (f.tag !== undefined && has(f.taggedVersions, v)) {
          if (tags.has(f.tag)) out.push(`${path}.${f.name}: duplicate tag ${f.tag} in v${v}`);
          tags.add(f.tag);
        }
      }
    }
    for (const f of fields) {
      const where = `${path}.${f.name}`;
      const fr = range(f.versions);
      if (fr === null) {
        out.push(`${where}: never present`);
        continue;
      }
      if (!versions.some((v) => has(f.versions, v))) out.push(`${where}: outside validVersions`);
      if (f.tag !== undefined || f.taggedVersions !== undefined) {
        if (f.tag === undefined || f.taggedVersions === undefined) out.push(`${where}: tag without taggedVersions`);
        for (const v of versions) {
          if (has(f.taggedVersions, v) && !has(msg.flexibleVersions, v)) {
            out.push(`${where}: tagged in non-flexible v${v}`);
          }
        }
      }
      if (f.nullable !== undefined) {
        if (!NULLABLE_KINDS.has(f.type.kind)) out.push(`${where}: ${f.type.kind} cannot be nullable`);
        const nr = range(f.nullable);
        if (nr !== null && (nr.min < fr.min || nr.max > fr.max)) out.push(`${where}: nullable outside versions`);
      }
      if (f.default === null) {
        for (const v of versions) {
          if (has(f.versions, v) && !has(f.nullable, v)) out.push(`${where}: default null but not nullable in v${v}`);
        }
      } else if (f.default !== undefined) {
        out.push(...checkDefault(f.type, f.default, where));
      }
      const items: Type<unknown> = f.type.kind === 'array' ? f.type.items : f.type;
      if (items.kind === 'struct') checkFields(items.fields, `${where}`);
    }
  }

  checkFields(msg.fields, msg.name);
  return out;
}

function checkDefault(type: Type<unknown>, value: unknown, where: string): string[] {
  const kind = type.kind;
  if (kind === 'int64') return typeof value === 'bigint' ? [] : [`${where}: int64 default must be a bigint`];
  if (kind === 'bool') return typeof value === 'boolean' ? [] : [`${where}: bool default must be boolean`];
  if (kind === 'string') return typeof value === 'string' ? [] : [`${where}: string default must be a string`];
  const bounds = INT_BOUNDS[kind];
  if (bounds !== undefined) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds[0] || value > bounds[1]) {
      return [`${where}: default ${String(value)} is not a valid ${kind}`];
    }
    return [];
  }
  return [`${where}: a ${kind} field cannot have a custom default`];
}

describe('group, offset and transaction schemas', () => {
  for (const [api, max, firstFlexible] of EXPECTED) {
    describe(`${api.name} (key ${api.key})`, () => {
      it('declares versions 0..max, request and response alike', () => {
        const expected = max === 0 ? '0' : `0-${max}`;
        const flexible = firstFlexible === null ? 'none' : `${firstFlexible}+`;
        for (const msg of [api.request, api.response]) {
          expect(msg.apiKey).toBe(api.key);
          expect(msg.validVersions).toBe(expected);
          expect(msg.flexibleVersions).toBe(flexible);
        }
        expect(api.request.kind).toBe('request');
        expect(api.response.kind).toBe('response');
        expect(api.request.name).toBe(`${api.name}Request`);
        expect(api.response.name).toBe(`${api.name}Response`);
      });

      it('obeys the message-definition rules', () => {
        expect(problems(api.request)).toEqual([]);
        expect(problems(api.response)).toEqual([]);
      });
    });
  }

  it('catches a broken definition (the checker itself can fail)', () => {
    const broken: MessageSpec = {
      name: 'BrokenRequest',
      kind: 'request',
      apiKey: 999,
      validVersions: '0-2',
      flexibleVersions: '2+',
      fields: [
        { name: 'a', type: { kind: 'int32' }, versions: '0+', nullable: '0+' },
        { name: 'b', type: { kind: 'string' }, versions: '0+', default: null, nullable: '1+' },
        { name: 'c', type: { kind: 'int64' }, versions: '1+', default: -1 },
        { name: 'd', type: { kind: 'int32' }, versions: '0+', tag: 0, taggedVersions: '0+' },
        { name: 'a', type: { kind: 'int8' }, versions: '1+', default: 300 },
      ],
    };
    expect(problems(broken)).toEqual([
      'BrokenRequest.a: duplicate name in v1',
      'BrokenRequest.a: duplicate name in v2',
      'BrokenRequest.a: int32 cannot be nullable',
      'BrokenRequest.b: default null but not nullable in v0',
      'BrokenRequest.c: int64 default must be a bigint',
      'BrokenRequest.d: tagged in non-flexible v0',
      'BrokenRequest.d: tagged in non-flexible v1',
      'BrokenRequest.a: default 300 is not a valid int8',
    ]);
  });
});
