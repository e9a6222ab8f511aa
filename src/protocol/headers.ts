/**
 * Request and response headers. Request header v0: apiKey, apiVersion, correlationId; v1 adds clientId
 * (a classic nullable string, even in v2); v2 adds a tagged-field section. Response header v0:
 * correlationId; v1 adds a tagged-field section.
 *
 * Flexible API versions use request header v2 and response header v1, with one exception: the
 * ApiVersions response always uses header v0, so a client that sent a version the broker does not
 * speak can still read the error code. (Request header v0 is only used by ControlledShutdown v0,
 * which Brook does not implement.)
 */
import { Reader } from './primitives/reader.js';
import { ProtocolError } from './primitives/protocol-error.js';
import type { Writer } from './primitives/writer.js';
import { uvarintSize } from './primitives/varint.js';

export const API_VERSIONS_KEY = 18;

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Tagged fields of a v2 header (none are defined today), carried through unchanged. */
  _unknownTags?: Array<{ tag: number; data: Buffer }>;
}

export interface ResponseHeader {
  correlationId: number;
  _unknownTags?: Array<{ tag: number; data: Buffer }>;
}

export type RequestHeaderVersion = 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

export function requestHeaderVersion(flexible: boolean): RequestHeaderVersion {
  return flexible ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, flexible: boolean): ResponseHeaderVersion {
  return flexible && apiKey !== API_VERSIONS_KEY ? 1 : 0;
}

export interface DecodedRequestHeader {
  header: RequestHeader;
  /** Offset of the request body in the frame. */
  bodyOffset: number;
  /**
   * What the lookup said about (apiKey, apiVersion): true/false = flexible or not; undefined = Brook
   * does not know this API or version (the header was then read as v1, best effort, and `bodyOffset`
   * should not be trusted).
   */
  flexible: boolean | undefined;
}

/**
 * Reads a request header from `frame` (one request, without its 4-byte size prefix). `flexibleOf` says
 * whether an (apiKey, apiVersion) is flexible, or undefined when unknown. apiKey, apiVersion and
 * correlationId are always returned when the frame holds 8 bytes, so the server can answer or close;
 * anything shorter or malformed throws ProtocolError.
 */
export function decodeRequestHeader(
  frame: Buffer,
  flexibleOf: (apiKey: number, apiVersion: number) => boolean | undefined,
  offset = 0,
): DecodedRequestHeader {
  const r = new Reader(frame, offset);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  r.finish();
  const flexible = flexibleOf(apiKey, apiVersion);
  const header: RequestHeader = { apiKey, apiVersion, correlationId, clientId: null };
  if (flexible === undefined) {
    // Unknown API or version: read the v1 client id if it is there, but never fail on it.
    const id = r.nullableString();
    if (r.error === null) header.clientId = id;
    return { header, bodyOffset: r.error === null ? r.pos : offset + 8, flexible };
  }
  header.clientId = r.nullableString();
  if (flexible) {
    const tags = r.skipTaggedFields();
    if (tags !== undefined) header._unknownTags = tags;
  }
  r.finish();
  return { header, bodyOffset: r.pos, flexible };
}

export function requestHeaderSize(version: RequestHeaderVersion, h: RequestHeader): number {
  let n = 8 + 2 + (h.clientId === null ? 0 : Buffer.byteLength(h.clientId, 'utf8'));
  if (version === 2) n += taggedSize(h._unknownTags);
  return n;
}

export function writeRequestHeader(w: Writer, version: RequestHeaderVersion, h: RequestHeader): void {
  w.int16(h.apiKey);
  w.int16(h.apiVersion);
  w.int32(h.correlationId);
  if (h.clientId === null) w.int16(-1);
  else {
    const n = Buffer.byteLength(h.clientId, 'utf8');
    if (n > 0x7fff) throw new Error('clientId longer than 32767 bytes');
    w.int16(n);
    w.utf8(h.clientId, n);
  }
  if (version === 2) writeTags(w, h._unknownTags);
}

export function responseHeaderSize(version: ResponseHeaderVersion, h: ResponseHeader): number {
  return 4 + (version === 1 ? taggedSize(h._unknownTags) : 0);
}

export function writeResponseHeader(w: Writer, version: ResponseHeaderVersion, h: ResponseHeader): void {
  w.int32(h.correlationId);
  if (version === 1) writeTags(w, h._unknownTags);
}

/** Reads a response header; throws ProtocolError when truncated. */
export function readResponseHeader(r: Reader, version: ResponseHeaderVersion): ResponseHeader {
  const h: ResponseHeader = { correlationId: r.int32() };
  if (version === 1) {
    const tags = r.skipTaggedFields();
    if (tags !== undefined) h._unknownTags = tags;
  }
  if (r.error !== null) throw new ProtocolError(`bad response header: ${r.error.message}`, r.error.offset);
  return h;
}

function taggedSize(tags: Array<{ tag: number; data: Buffer }> | undefined): number {
  if (tags === undefined) return 1;
  let n = uvarintSize(tags.length);
  for (const t of tags) n += uvarintSize(t.tag) + uvarintSize(t.data.length) + t.data.length;
  return n;
}

function writeTags(w: Writer, tags: Array<{ tag: number; data: Buffer }> | undefined): void {
  if (tags === undefined) {
    w.uvarint(0);
    return;
  }
  w.uvarint(tags.length);
  for (const t of tags) {
    w.uvarint(t.tag);
    w.uvarint(t.data.length);
    w.copy(t.data);
  }
}
