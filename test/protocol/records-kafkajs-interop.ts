/**
 * Test helper (not a test file): kafkajs's own record batch and message set encoders/decoders, and its
 * codec table with snappy/lz4/zstd registered over our codecs (kafkajs ships gzip only).
 */
import { createRequire } from 'node:module';
import { codecFor, CompressionType } from '../../src/protocol/records/compression/index.js';
import { snappyCompressRaw } from '../../src/protocol/records/compression/snappy.js';

const require = createRequire(import.meta.url);

export interface KjsEncoder {
  buffer: Buffer;
}
export interface KjsLong {
  toString(): string;
}
export interface KjsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
}
export interface KjsBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  records: KjsRecord[];
}
export interface KjsMessage {
  offset: string;
  size: number;
  magicByte: number;
  attributes: number;
  timestamp?: string;
  key: Buffer | null;
  value: Buffer | null;
}

type KjsDecoderCtor = new (buf: Buffer) => unknown;
interface KjsLongStatic {
  fromValue(v: number | string): KjsLong;
}

export const Long = require('kafkajs/src/utils/long') as KjsLongStatic;
export const Decoder = require('kafkajs/src/protocol/decoder') as KjsDecoderCtor;
const recordBatchModule = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (args: Record<string, unknown>) => Promise<KjsEncoder>;
};
export const kjsRecordBatch = recordBatchModule.RecordBatch;
export const kjsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: {
  offsetDelta?: number;
  timestampDelta?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string>;
}) => KjsEncoder;
const batchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<KjsBatch>;
export const kjsDecodeBatch = (buf: Buffer): Promise<KjsBatch> => batchDecoder(new Decoder(buf));

export const kjsMessageSet = require('kafkajs/src/protocol/messageSet') as (args: {
  messageVersion: number;
  compression?: number;
  entries: { key: Buffer | string | null; value: Buffer | string | null; timestamp?: number }[];
}) => KjsEncoder;
const messageSetDecoder = require('kafkajs/src/protocol/messageSet/decoder') as (
  d: unknown,
  size?: number,
) => Promise<KjsMessage[]>;
export const kjsDecodeMessageSet = (buf: Buffer): Promise<KjsMessage[]> =>
  messageSetDecoder(new Decoder(buf), buf.length);
export const kjsCompressMessages = require('kafkajs/src/protocol/message/compression') as {
  Codecs: Record<number, () => { compress(e: KjsEncoder): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
};

/** Registers snappy (raw blocks, as kafkajs-snappy writes), lz4 and zstd in kafkajs, over our codecs. */
export function registerKafkajsCodecs(): void {
  const { CompressionCodecs } = require('kafkajs') as {
    CompressionCodecs: Record<number, () => { compress(e: KjsEncoder): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
  };
  const wrap = (type: CompressionType, compress: (b: Buffer) => Buffer) => () => ({
    compress: async (encoder: KjsEncoder) => compress(encoder.buffer),
    decompress: async (buf: Buffer) => codecFor(type).decompress(buf),
  });
  CompressionCodecs[CompressionType.Snappy] = wrap(CompressionType.Snappy, snappyCompressRaw);
  CompressionCodecs[CompressionType.Lz4] = wrap(CompressionType.Lz4, (b) => codecFor(CompressionType.Lz4).compress(b));
  CompressionCodecs[CompressionType.Zstd] = wrap(CompressionType.Zstd, (b) => codecFor(CompressionType.Zstd).compress(b));
}
