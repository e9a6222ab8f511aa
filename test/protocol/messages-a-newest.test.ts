/**
 * The versions no JavaScript client speaks yet (Kafka 4.x: Produce v12-13, Fetch v18, Metadata v13,
 * ListOffsets v10-11, DescribeCluster v2), checked against bytes laid out by hand from the protocol
 * description (franz-go's definitions and KIPs 516, 890, 1073, 1075, 1102, 1166), not from our schemas:
 * we decode them to the intended values and re-encode the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessagePrefix, encodeMessage } from '../../src/protocol/codec.js';
import type { MessageSpec } from '../../src/protocol/schema/dsl.js';
import { ProduceRequest, ProduceResponse } from '../../src/protocol/messages/00-produce.js';
import { FetchRequest } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsetsRequest } from '../../src/protocol/messages/02-list-offsets.js';
import { MetadataResponse } from '../../src/protocol/messages/03-metadata.js';
import { DescribeClusterRequest, DescribeClusterResponse } from '../../src/protocol/messages/60-describe-cluster.js';

/** Builds wire bytes field by field, the way the protocol guide describes them. */
class Bytes {
  private readonly parts: Buffer[] = [];
  private put(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    return this;
  }
  i8(n: number): this {
    return this.put(1, (b) => b.writeInt8(n));
  }
  bool(v: boolean): this {
    return this.i8(v ? 1 : 0);
  }
  i16(n: number): this {
    return this.put(2, (b) => b.writeInt16BE(n));
  }
  i32(n: number): this {
    return this.put(4, (b) => b.writeInt32BE(n));
  }
  i64(n: bigint): this {
    return this.put(8, (b) => b.writeBigInt64BE(n));
  }
  uvarint(n: number): this {
    const out: number[] = [];
    let v = n;
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
    this.parts.push(Buffer.from(out));
    return this;
  }
  /** COMPACT_(NULLABLE_)STRING: uvarint length+1 (0 = null), UTF-8. */
  compactString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }
  /** COMPACT_ARRAY length: uvarint count+1. */
  compactArray(count: number): this {
    return this.uvarint(count + 1);
  }
  uuid(bytes: Buffer): this {
    return this.raw(bytes);
  }
  /** A tagged-field section with no fields. */
  noTags(): this {
    return this.uvarint(0);
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const ID_BYTES = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
const ID = ID_BYTES.toString('base64url');
const BATCH = Buffer.from('opaque record batch bytes');

function roundTrip<V>(spec: MessageSpec<V>, version: number, bytes: Buffer): V {
  const { value, end } = decodeMessagePrefix(spec, version, bytes);
  expect(end).toBe(bytes.length);
  expect(Buffer.concat(encodeMessage(spec, version, value))).toEqual(bytes);
  return value;
}

describe('Kafka 4.x versions against hand-laid bytes', () => {
  it('Produce v12 request still names topics; v13 names them by topic id', () => {
    const body = (v: number): Buffer => {
      const b = new Bytes().compactString('txn-1').i16(-1).i32(30000).compactArray(1);
      if (v >= 13) b.uuid(ID_BYTES);
      else b.compactString('orders');
      return b
        .compactArray(1)
        .i32(7)
        .uvarint(BATCH.length + 1)
        .raw(BATCH)
        .noTags() // partition
        .noTags() // topic
        .noTags() // request
        .done();
    };
    const v12 = roundTrip(ProduceRequest, 12, body(12));
    expect(v12).toMatchObject({ transactionalId: 'txn-1', acks: -1, timeoutMs: 30000 });
    expect(v12.topicData[0]).toMatchObject({ name: 'orders', partitionData: [{ index: 7, records: BATCH }] });
    const v13 = roundTrip(ProduceRequest, 13, body(13));
    expect(v13.topicData[0]).toMatchObject({ topicId: ID, name: '', partitionData: [{ index: 7, records: BATCH }] });
  });

  it('Produce v13 response names topics by id, with the v10 tagged leader hints still in place', () => {
    const bytes = new Bytes()
      .compactArray(1)
      .uuid(ID_BYTES)
      .compactArray(1)
      .i32(7) // index
      .i16(6) // NOT_LEADER_OR_FOLLOWER
      .i64(-1n) // base offset
      .i64(-1n) // log append time
      .i64(0n) // log start offset
      .compactArray(0) // record errors
      .compactString(null) // error message
      .uvarint(1) // one tagged field: current leader (tag 0), a struct of two int32s and its own tag section
      .uvarint(0)
      .uvarint(9)
      .i32(3)
      .i32(12)
      .noTags()
      .noTags() // topic
      .i32(0) // throttle
      .uvarint(1) // one tagged field: node endpoints (tag 0)
      .uvarint(0)
      .uvarint(1 + 4 + 1 + 2 + 4 + 1 + 1) // array len, node id, host "b3", port, rack null, no tags
      .compactArray(1)
      .i32(3)
      .compactString('b3')
      .i32(9092)
      .compactString(null)
      .noTags()
      .done();
    const value = roundTrip(ProduceResponse, 13, bytes);
    expect(value.responses[0]?.topicId).toBe(ID);
    expect(value.responses[0]?.partitionResponses[0]).toMatchObject({
      index: 7,
      errorCode: 6,
      currentLeader: { leaderId: 3, leaderEpoch: 12 },
    });
    expect(value.nodeEndpoints).toEqual([{ nodeId: 3, host: 'b3', port: 9092, rack: null }]);
  });

  it('Fetch v18 request carries a follower high watermark as tag 1 of a partition', () => {
    const bytes = (hwm: bigint | null): Buffer => {
      const b = new Bytes()
        .i32(500) // max wait
        .i32(1) // min bytes
        .i32(0x7fffffff) // max bytes
        .i8(0) // isolation
        .i32(0) // session id
        .i32(-1) // session epoch
        .compactArray(1)
        .uuid(ID_BYTES)
        .compactArray(1)
        .i32(0) // partition
        .i32(4) // current leader epoch
        .i64(100n) // fetch offset
        .i32(3) // last fetched epoch
        .i64(-1n) // log start offset
        .i32(1048576); // partition max bytes
      if (hwm === null) b.noTags();
      else b.uvarint(1).uvarint(1).uvarint(8).i64(hwm); // one tagged field: tag 1, 8 bytes
      return b
        .noTags() // topic
        .compactArray(0) // forgotten topics
        .compactString('') // rack
        .noTags()
        .done();
    };
    const value = roundTrip(FetchRequest, 18, bytes(95n));
    expect(value.topics[0]?.partitions[0]).toMatchObject({ partition: 0, fetchOffset: 100n, highWatermark: 95n });
    expect(value.replicaState).toEqual({ replicaId: -1, replicaEpoch: -1n });
    // without the tag the follower does not support it: the int64 maximum
    const absent = roundTrip(FetchRequest, 18, bytes(null));
    expect(absent.topics[0]?.partitions[0]?.highWatermark).toBe(9223372036854775807n);
  });

  it('ListOffsets v10 and v11 requests end with timeout_ms', () => {
    for (const v of [10, 11]) {
      const bytes = new Bytes()
        .i32(-1)
        .i8(1)
        .compactArray(1)
        .compactString('orders')
        .compactArray(1)
        .i32(2)
        .i32(-1)
        .i64(v === 11 ? -6n : -5n)
        .noTags()
        .noTags()
        .i32(15000)
        .noTags()
        .done();
      const value = roundTrip(ListOffsetsRequest, v, bytes);
      expect(value.timeoutMs).toBe(15000);
      expect(value.topics[0]?.partitions[0]?.timestamp).toBe(v === 11 ? -6n : -5n);
    }
  });

  it('Metadata v13 response ends with a top-level error code', () => {
    const bytes = new Bytes()
      .i32(0) // throttle
      .compactArray(0) // brokers
      .compactString('cluster-x')
      .i32(1) // controller
      .compactArray(0) // topics
      .i16(129) // REBOOTSTRAP_REQUIRED
      .noTags()
      .done();
    expect(roundTrip(MetadataResponse, 13, bytes)).toMatchObject({ clusterId: 'cluster-x', controllerId: 1, errorCode: 129 });
  });

  it('DescribeCluster v2 asks for fenced brokers and flags them', () => {
    const req = roundTrip(DescribeClusterRequest, 2, new Bytes().bool(false).i8(1).bool(true).noTags().done());
    expect(req).toMatchObject({ includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: true });
    const res = roundTrip(
      DescribeClusterResponse,
      2,
      new Bytes()
        .i32(0)
        .i16(0)
        .compactString(null)
        .i8(1)
        .compactString('cluster-x')
        .i32(1)
        .compactArray(1)
        .i32(1)
        .compactString('b1')
        .i32(9092)
        .compactString(null)
        .bool(true) // is fenced
        .noTags()
        .i32(-2147483648)
        .noTags()
        .done(),
    );
    expect(res.brokers).toEqual([{ brokerId: 1, host: 'b1', port: 9092, rack: null, isFenced: true }]);
  });
});
