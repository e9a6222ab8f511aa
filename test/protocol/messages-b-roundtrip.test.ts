/**
 * Every version of every group, offset and transaction message, both directions, through the codec:
 * a value with every field the version carries set to a non-default value (and once more with every
 * nullable field null) encodes, decodes to the same value — with the fields the version does not carry
 * at Kafka's defaults (0, false, '', empty bytes, zero UUID, [] or the declared default) — and re-encodes
 * to the same bytes. Also pins the ignorable flags that change what a handler may leave set.
 */
import { describe, expect, it } from 'vitest';
import type { AnyField, ApiSpec, MessageSpec, Type } from '../../src/protocol/schema/dsl.js';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec.js';
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

type Obj = Record<string, unknown>;

function has(text: string | undefined, v: number): boolean {
  if (text === undefined || text === 'none') return false;
  let m = /^(\d+)\+$/.exec(text);
  if (m) return v >= Number(m[1]);
  m = /^(\d+)-(\d+)$/.exec(text);
  if (m) return v >= Number(m[1]) && v <= Number(m[2]);
  return v === Number(text);
}

function versionsOf(msg: MessageSpec): number[] {
  const [lo, hi] = msg.validVersions.split('-').map(Number);
  const out: number[] = [];
  for (let v = lo!; v <= (hi ?? lo!); v++) out.push(v);
  return out;
}

/** Kafka's default for a field the version does not carry (its README's rules). */
function kafkaDefault(f: AnyField): unknown {
  if (f.default === null) return null;
  switch (f.type.kind) {
    case 'int64':
      return f.default ?? 0n;
    case 'bool':
      return f.default ?? false;
    case 'string':
      return f.default ?? '';
    case 'uuid':
      return 'AAAAAAAAAAAAAAAAAAAAAA';
    case 'bytes':
      return Buffer.alloc(0);
    case 'array':
      return [];
    case 'struct':
      return structDefault(f.type.fields);
    default:
      return f.default ?? 0;
  }
}

function structDefault(fields: readonly AnyField[]): Obj {
  return Object.fromEntries(fields.map((f) => [f.name, kafkaDefault(f)]));
}

/** A value for `type` that differs from `def`, seeded so that siblings differ from one another. */
function sampleOf(type: Type<unknown>, def: unknown, seed: number, v: number, nulls: boolean): unknown {
  switch (type.kind) {
    case 'int8': {
      const x = 1 + (seed % 100);
      return def === x ? x + 1 : x;
    }
    case 'int16':
      return 300 + (seed % 10000);
    case 'int32':
      return 70000 + seed;
    case 'int64':
      return (1n << 40n) + BigInt(seed);
    case 'bool':
      return def !== true;
    case 'string':
      return `s${seed}-é`;
    case 'uuid':
      return Buffer.alloc(16, seed + 1).toString('base64url');
    case 'bytes':
      return Buffer.from([seed, 1, 2]);
    case 'array':
      return [0, 1].map((i) => sampleOf(type.items, undefined, seed * 3 + i, v, nulls));
    case 'struct':
      return structSample(type.fields, v, nulls, seed);
    default:
      throw new Error(`no sample for ${type.kind}`);
  }
}

/** [value to encode, value decode must give] for one struct at version v. */
function structSample(fields: readonly AnyField[], v: number, nulls: boolean, seed = 0): Obj {
  const out: Obj = {};
  fields.forEach((f, i) => {
    if (!has(f.versions, v)) out[f.name] = kafkaDefault(f);
    else if (nulls && has(f.nullable, v)) out[f.name] = null;
    else out[f.name] = sampleOf(f.type, f.default, seed * 10 + i, v, nulls);
  });
  return out;
}

const encode = (spec: MessageSpec, v: number, value: Obj): Buffer => Buffer.concat(encodeMessage(spec, v, value));

describe('group/offset/transaction messages round-trip in every version', () => {
  for (const api of APIS) {
    for (const msg of [api.request, api.response]) {
      for (const v of versionsOf(msg)) {
        it(`${msg.name} v${v}`, () => {
          for (const nulls of [false, true]) {
            const value = structSample(msg.fields, v, nulls);
            const bytes = encode(msg, v, value);
            const decoded = decodeMessage(msg, v, bytes) as Obj;
            expect(decoded).toEqual(value);
            expect(encode(msg, v, decoded).equals(bytes)).toBe(true);
          }
          // An all-defaults value is legal in every version.
          const empty = encode(msg, v, structDefault(msg.fields));
          expect(decodeMessage(msg, v, empty)).toEqual(structDefault(msg.fields));
        });
      }
    }
  }
});

describe('fields a version cannot carry', () => {
  it('drops the ignorable ones silently: topic names at v10, topic ids before v10 (OffsetCommit)', () => {
    const topics = [{ name: 'orders', topicId: 'AQEBAQEBAQEBAQEBAQEBAQ', partitions: [] }];
    const base = { groupId: 'g', topics };
    const v10 = decodeMessage(offsetCommit.request, 10, encode(offsetCommit.request, 10, base));
    expect(v10.topics).toEqual([{ name: '', topicId: 'AQEBAQEBAQEBAQEBAQEBAQ', partitions: [] }]);
    const v9 = decodeMessage(offsetCommit.request, 9, encode(offsetCommit.request, 9, base));
    expect(v9.topics).toEqual([{ name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [] }]);
  });

  it('refuses the others: a static member id cannot travel in Heartbeat v2', () => {
    expect(() => encode(heartbeat.request, 2, { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: 'i' })).toThrow(
      /groupInstanceId/,
    );
    expect(() => encode(heartbeat.request, 3, { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: 'i' })).not.toThrow();
  });

  it('lets a transaction version go unsent to a v1 WriteTxnMarkers broker', () => {
    // KIP-1228 marks the marker's transaction version ignorable: older brokers just never see it.
    const markers = [{ producerId: 1n, producerEpoch: 0, transactionResult: true, topics: [], coordinatorEpoch: 0, transactionVersion: 2 }];
    expect(() => encode(writeTxnMarkers.request, 1, { markers })).not.toThrow();
  });
});
