/**
 * What every coordinator record shares — `__consumer_offsets` (classic and KIP-848 groups) and
 * `__transaction_state` — in Kafka's formats: each key and each value is a 2-byte big-endian version
 * followed by the struct of that version (declared with our schema DSL, encoded by our codec); a null
 * value is a tombstone; the partition that holds a group or transactional id is
 * Utils.abs(id.hashCode) % partitions, as Kafka computes it.
 */
import { decodeMessage, encodeMessage } from '../protocol/codec.js';
import { message, type AnyField, type MessageSpec, type StructValue } from '../protocol/schema/dsl.js';

/** Declares a record key or value struct: schema data, not an API message. */
export function recordSchema<const F extends readonly AnyField[]>(spec: {
  readonly name: string;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: F;
}): MessageSpec<StructValue<F>> {
  return message({ ...spec, kind: 'data', apiKey: -1 });
}

/** The 2-byte version followed by the struct of that version. */
export function encodeRecord<V>(spec: MessageSpec<V>, version: number, value: V): Buffer {
  const head = Buffer.allocUnsafe(2);
  head.writeInt16BE(version, 0);
  return Buffer.concat([head, ...encodeMessage(spec, version, value)]);
}

/** The version a key or value was written with. */
export function recordVersion(buf: Buffer): number {
  if (buf.length < 2) throw new Error('coordinator record shorter than its version');
  return buf.readInt16BE(0);
}

/** Decodes the struct after the version prefix as `version`. Throws on malformed bytes. */
export function decodeRecord<V>(spec: MessageSpec<V>, version: number, buf: Buffer): V {
  return decodeMessage(spec, version, buf, 2);
}

/**
 * Decodes a value as the version it was written with, capped at `newest` (later versions only add
 * tagged or ignorable fields, which the newest known version skips); undefined for a tombstone.
 */
export function decodeValue<V>(spec: MessageSpec<V>, newest: number, value: Buffer | null): V | undefined {
  return value === null ? undefined : decodeRecord(spec, Math.min(recordVersion(value), newest), value);
}

/** Java's String.hashCode over UTF-16 code units, as Kafka hashes a group or transactional id. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The partition of a coordinator topic that holds `id`: Utils.abs(id.hashCode) % partitions. */
export function coordinatorPartition(id: string, partitions: number): number {
  return (javaStringHash(id) & 0x7fffffff) % partitions;
}
