/**
 * Static checks of the produce/fetch/metadata/admin/SASL schema modules: the version ranges they declare
 * (what ApiVersions advertises, from Kafka 4.x via franz-go, Aug 2026) and the rules every Kafka message
 * definition obeys. No codec needed; byte-level checks against foreign clients live in messages-a-foreign.
 */
import { describe, expect, it } from 'vitest';
import type { AnyField, ApiSpec, MessageSpec, Type } from '../../src/protocol/schema/dsl.js';
import { api as produce } from '../../src/protocol/messages/00-produce.js';
import { api as fetch } from '../../src/protocol/messages/01-fetch.js';
import { api as listOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { api as metadata } from '../../src/protocol/messages/03-metadata.js';
import { api as saslHandshake } from '../../src/protocol/messages/17-sasl-handshake.js';
import { api as apiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { api as createTopics } from '../../src/protocol/messages/19-create-topics.js';
import { api as deleteTopics } from '../../src/protocol/messages/20-delete-topics.js';
import { api as deleteRecords } from '../../src/protocol/messages/21-delete-records.js';
import { api as offsetForLeaderEpoch } from '../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { api as describeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { api as alterConfigs } from '../../src/protocol/messages/33-alter-configs.js';
import { api as describeLogDirs } from '../../src/protocol/messages/35-describe-log-dirs.js';
import { api as saslAuthenticate } from '../../src/protocol/messages/36-sasl-authenticate.js';
import { api as createPartitions } from '../../src/protocol/messages/37-create-partitions.js';
import { api as incrementalAlterConfigs } from '../../src/protocol/messages/44-incremental-alter-configs.js';
import { api as describeCluster } from '../../src/protocol/messages/60-describe-cluster.js';

/** [api, key, name, highest version, flexible versions]. */
const EXPECTED: ReadonlyArray<readonly [ApiSpec, number, string, number, string]> = [
  [produce, 0, 'Produce', 13, '9+'],
  [fetch, 1, 'Fetch', 18, '12+'],
  [listOffsets, 2, 'ListOffsets', 11, '6+'],
  [metadata, 3, 'Metadata', 13, '9+'],
  [saslHandshake, 17, 'SaslHandshake', 1, 'none'],
  [apiVersions, 18, 'ApiVersions', 4, '3+'],
  [createTopics, 19, 'CreateTopics', 7, '5+'],
  [deleteTopics, 20, 'DeleteTopics', 6, '4+'],
  [deleteRecords, 21, 'DeleteRecords', 2, '2+'],
  [offsetForLeaderEpoch, 23, 'OffsetForLeaderEpoch', 4, '4+'],
  [describeConfigs, 32, 'DescribeConfigs', 4, '4+'],
  [alterConfigs, 33, 'AlterConfigs', 2, '2+'],
  [describeLogDirs, 35, 'DescribeLogDirs', 4, '2+'],
  [saslAuthenticate, 36, 'SaslAuthenticate', 2, '2+'],
  [createPartitions, 37, 'CreatePartitions', 3, '2+'],
  [incrementalAlterConfigs, 44, 'IncrementalAlterConfigs', 1, '1+'],
  [describeCluster, 60, 'DescribeCluster', 2, '0+'],
];

function inRange(text: string | undefined, v: number): boolean {
  if (text === undefined || text === 'none') return false;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return v >= Number(plus[1]);
  const span = /^(\d+)-(\d+)$/.exec(text);
  if (span) return v >= Number(span[1]) && v <= Number(span[2]);
  if (/^\d+$/.test(text)) return v === Number(text);
  throw new Error(`bad version range '${text}'`);
}

const CAN_BE_NULL = new Set(['string', 'bytes', 'records', 'uuid', 'array', 'struct']);
const INT_RANGE: Record<string, readonly [number, number]> = {
  int8: [-(2 ** 7), 2 ** 7 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint16: [0, 2 ** 16 - 1],
  uint32: [0, 2 ** 32 - 1],
};

function defaultProblem(type: Type<unknown>, value: unknown): string | null {
  const kind = type.kind;
  if (kind === 'int64') return typeof value === 'bigint' ? null : 'int64 default must be a bigint';
  if (kind === 'bool') return typeof value === 'boolean' ? null : 'bool default must be a boolean';
  if (kind === 'string') return typeof value === 'string' ? null : 'string default must be a string';
  if (kind === 'float64') return typeof value === 'number' ? null : 'float64 default must be a number';
  const bounds = INT_RANGE[kind];
  if (bounds === undefined) return `${kind} cannot have a custom default`;
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= bounds[0] && value <= bounds[1];
  return ok ? null : `default ${String(value)} does not fit ${kind}`;
}

/** Rule violations in one message, empty when sound. */
function violations(msg: MessageSpec, max: number): string[] {
  const out: string[] = [];
  const versions = Array.from({ length: max + 1 }, (_, v) => v);
  const walk = (fields: readonly AnyField[], path: string): void => {
    for (const v of versions) {
      const names = new Set<string>();
      const tags = new Set<number>();
      for (const f of fields) {
        if (!inRange(f.versions, v)) continue;
        if (names.has(f.name)) out.push(`${path}.${f.name}: two fields of that name in v${v}`);
        names.add(f.name);
        if (f.tag !== undefined && inRange(f.taggedVersions, v)) {
          if (tags.has(f.tag)) out.push(`${path}.${f.name}: tag ${f.tag} reused in v${v}`);
          tags.add(f.tag);
        }
      }
    }
    for (const f of fields) {
      const where = `${path}.${f.name}`;
      const present = versions.filter((v) => inRange(f.versions, v));
      if (present.length === 0) out.push(`${where}: in no valid version`);
      if (!/^[a-z][A-Za-z0-9]*$/.test(f.name)) out.push(`${where}: not camelCase`);
      if ((f.tag === undefined) !== (f.taggedVersions === undefined)) out.push(`${where}: tag and taggedVersions go together`);
      for (const v of present) {
        if (inRange(f.taggedVersions, v) && !inRange(msg.flexibleVersions, v)) out.push(`${where}: tagged in non-flexible v${v}`);
      }
      if (f.nullable !== undefined) {
        if (!CAN_BE_NULL.has(f.type.kind)) out.push(`${where}: a ${f.type.kind} cannot be null`);
        if (!present.some((v) => inRange(f.nullable, v))) out.push(`${where}: nullable in none of its versions`);
      }
      if (f.default === null) {
        for (const v of present) if (!inRange(f.nullable, v)) out.push(`${where}: null default but not nullable in v${v}`);
      } else if (f.default !== undefined) {
        const p = defaultProblem(f.type, f.default);
        if (p !== null) out.push(`${where}: ${p}`);
      }
      const inner: Type<unknown> = f.type.kind === 'array' ? f.type.items : f.type;
      if (inner.kind === 'struct') walk(inner.fields, `${where}<${inner.name}>`);
    }
  };
  walk(msg.fields, msg.name);
  return out;
}

describe('produce, fetch, metadata, admin and SASL schemas', () => {
  for (const [api, key, name, max, flexible] of EXPECTED) {
    describe(`${name} (key ${key})`, () => {
      it(`declares v0-${max}, flexible ${flexible}, for request and response`, () => {
        expect(api.key).toBe(key);
        expect(api.name).toBe(name);
        expect(api.request.name).toBe(`${name}Request`);
        expect(api.response.name).toBe(`${name}Response`);
        expect(api.request.kind).toBe('request');
        expect(api.response.kind).toBe('response');
        for (const msg of [api.request, api.response]) {
          expect(msg.apiKey).toBe(key);
          expect(msg.validVersions).toBe(`0-${max}`);
          expect(msg.flexibleVersions).toBe(flexible);
        }
      });

      it('obeys the message-definition rules in every version', () => {
        expect(violations(api.request, max)).toEqual([]);
        expect(violations(api.response, max)).toEqual([]);
      });
    });
  }

  it('the rule checker reports a broken definition', () => {
    const broken: MessageSpec = {
      name: 'BrokenRequest',
      kind: 'request',
      apiKey: 999,
      validVersions: '0-1',
      flexibleVersions: '1+',
      fields: [
        { name: 'count', type: { kind: 'int16' }, versions: '0+', nullable: '0+', default: 40000 },
        { name: 'Label', type: { kind: 'string' }, versions: '0+', nullable: '1+', default: null },
        { name: 'epoch', type: { kind: 'int64' }, versions: '3+', default: -1 },
        { name: 'hint', type: { kind: 'int32' }, versions: '0+', tag: 0, taggedVersions: '0+' },
        { name: 'extra', type: { kind: 'int32' }, versions: '1+', tag: 0, taggedVersions: '1+' },
      ],
    };
    expect(violations(broken, 1)).toEqual([
      'BrokenRequest.extra: tag 0 reused in v1',
      'BrokenRequest.count: a int16 cannot be null',
      'BrokenRequest.count: default 40000 does not fit int16',
      'BrokenRequest.Label: not camelCase',
      'BrokenRequest.Label: null default but not nullable in v0',
      'BrokenRequest.epoch: in no valid version',
      'BrokenRequest.epoch: int64 default must be a bigint',
      'BrokenRequest.hint: tagged in non-flexible v0',
    ]);
  });

  it('Produce v13 and Fetch v13+ name topics by id; Metadata v13 has a top-level error code', () => {
    const topicFields = (msg: MessageSpec, v: number): string[] => {
      const topics = msg.fields.find((f) => f.name === 'topicData' || f.name === 'topics' || f.name === 'responses');
      const t = topics?.type.kind === 'array' ? topics.type.items : undefined;
      return t?.kind === 'struct' ? t.fields.filter((f) => inRange(f.versions, v)).map((f) => f.name) : [];
    };
    expect(topicFields(produce.request, 12)).toContain('name');
    expect(topicFields(produce.request, 13)).toEqual(['topicId', 'partitionData']);
    expect(topicFields(produce.response, 13)).toEqual(['topicId', 'partitionResponses']);
    expect(topicFields(fetch.request, 12)).toEqual(['topic', 'partitions']);
    expect(topicFields(fetch.request, 18)).toEqual(['topicId', 'partitions']);
    const top = (msg: MessageSpec, v: number): string[] =>
      msg.fields.filter((f) => inRange(f.versions, v) && !inRange(f.taggedVersions, v)).map((f) => f.name);
    expect(top(metadata.response, 12)).not.toContain('errorCode');
    expect(top(metadata.response, 13).at(-1)).toBe('errorCode');
  });
});
