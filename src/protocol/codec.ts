/**
 * The public codec: encode and decode message bodies and whole frames with the compiled, cached
 * functions of ./schema/compile.ts. Sans-IO: bytes in, values out, Buffer[] out for the socket.
 *
 * Encoding computes the size first, allocates one buffer, and writes; large record batches are passed
 * through by reference, so the result is a list of buffers (write them in order, e.g. under cork()).
 *
 * Decoding throws ProtocolError on malformed input. Trailing bytes after a complete message are
 * ignored, as Apache Kafka does (it parses the body from a ByteBuffer and never checks what remains);
 * `decodeMessagePrefix` reports where the message ended for callers that want to check.
 */
import type { ApiSpec, MessageSpec } from './schema/dsl.js';
import { compiled, isFlexible, isValidVersion, type SizeContext } from './schema/compile.js';
import { listVersions, parseVersions } from './schema/versions.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';
import { ProtocolError } from './primitives/protocol-error.js';
import {
  readResponseHeader,
  requestHeaderSize,
  requestHeaderVersion,
  responseHeaderSize,
  responseHeaderVersion,
  writeRequestHeader,
  writeResponseHeader,
  type RequestHeader,
} from './headers.js';

/**
 * Encodes `value` after `prefixSize` bytes that `writePrefix` fills (a frame's size and header);
 * `writePrefix` receives the total encoded length.
 */
function encodeWith<V>(
  spec: MessageSpec<V>,
  version: number,
  value: V,
  prefixSize: number,
  writePrefix: ((w: Writer, total: number) => void) | undefined,
): Buffer[] {
  const size = compiled(spec, version, 'S');
  const encode = compiled(spec, version, 'E');
  const ctx: SizeContext = { lens: [], ext: 0 };
  const bodySize = size(value, ctx);
  const w = new Writer(Buffer.allocUnsafe(prefixSize + bodySize - ctx.ext), 0, ctx.lens);
  if (writePrefix !== undefined) writePrefix(w, prefixSize + bodySize);
  encode(w, value);
  return w.finish();
}

/** Encodes a message body. Throws Error when `value` holds something `version` cannot carry. */
export function encodeMessage<V>(spec: MessageSpec<V>, version: number, value: V): Buffer[] {
  return encodeWith(spec, version, value, 0, undefined);
}

/** Wire size of a message body in bytes. */
export function messageSize<V>(spec: MessageSpec<V>, version: number, value: V): number {
  return compiled(spec, version, 'S')(value, { lens: [], ext: 0 });
}

/** Decodes one message body from `buf[offset, end)` and says where it ended. */
export function decodeMessagePrefix<V>(
  spec: MessageSpec<V>,
  version: number,
  buf: Buffer,
  offset = 0,
  end = buf.length,
): { value: V; end: number } {
  if (!isValidVersion(spec, version)) {
    throw new ProtocolError(`${spec.name} has no version ${version} (valid: ${spec.validVersions})`, offset);
  }
  const r = new Reader(buf, offset, end);
  const value = compiled(spec, version, 'D')(r);
  if (r.error !== null) {
    r.error.message = `${spec.name} v${version}: ${r.error.message}`;
    throw r.error;
  }
  return { value, end: r.pos };
}

/** Decodes one message body; throws ProtocolError on malformed input; ignores trailing bytes. */
export function decodeMessage<V>(spec: MessageSpec<V>, version: number, buf: Buffer, offset = 0, end = buf.length): V {
  return decodeMessagePrefix(spec, version, buf, offset, end).value;
}

/**
 * A fresh value with every field at its default (numbers 0, int64 0n, strings '' or the declared
 * default, arrays [], bytes empty, nullable records null, structs all-defaults). Defaults do not depend
 * on the version; `version` only has to be valid when given.
 */
export function defaultValue<V>(spec: MessageSpec<V>, version?: number): V {
  const v = version ?? parseVersions(spec.validVersions).min;
  if (!isValidVersion(spec, v)) throw new Error(`${spec.name} has no version ${v} (valid: ${spec.validVersions})`);
  return compiled(spec, v, 'Z')();
}

/**
 * A whole response frame: 4-byte size, the response header that (api, version) uses, the body.
 */
export function encodeResponseFrame<Req, Res>(api: ApiSpec<Req, Res>, version: number, correlationId: number, body: Res): Buffer[] {
  const hv = responseHeaderVersion(api.key, isFlexible(api.response, version));
  const header = { correlationId };
  const prefix = 4 + responseHeaderSize(hv, header);
  return encodeWith(api.response, version, body, prefix, (w, total) => {
    w.int32(total - 4);
    writeResponseHeader(w, hv, header);
  });
}

/** A whole request frame (used by tests, benches and fixture tools): size, request header, body. */
export function encodeRequestFrame<Req, Res>(
  api: ApiSpec<Req, Res>,
  version: number,
  ids: { correlationId: number; clientId: string | null },
  body: Req,
): Buffer[] {
  const hv = requestHeaderVersion(isFlexible(api.request, version));
  const header: RequestHeader = { apiKey: api.key, apiVersion: version, correlationId: ids.correlationId, clientId: ids.clientId };
  const prefix = 4 + requestHeaderSize(hv, header);
  return encodeWith(api.request, version, body, prefix, (w, total) => {
    w.int32(total - 4);
    writeRequestHeader(w, hv, header);
  });
}

/** Decodes a response frame (without its 4-byte size prefix) of (api, version). */
export function decodeResponseFrame<Req, Res>(
  api: ApiSpec<Req, Res>,
  version: number,
  frame: Buffer,
): { correlationId: number; body: Res } {
  const hv = responseHeaderVersion(api.key, isFlexible(api.response, version));
  const r = new Reader(frame);
  const header = readResponseHeader(r, hv);
  return { correlationId: header.correlationId, body: decodeMessage(api.response, version, frame, r.pos) };
}

/**
 * Compiles the request decoder and response encoder of `api` for `versions` (default: all) ahead of the
 * first request. Optional: codecs compile lazily anyway (every API and version together takes ~150 ms
 * on this machine, so a server may warm the versions clients actually use after it starts listening).
 */
export function precompile<Req, Res>(api: ApiSpec<Req, Res>, versions?: readonly number[]): void {
  const list = versions ?? listVersions(api.request.validVersions);
  for (const v of list) {
    compiled(api.request, v, 'D');
    compiled(api.response, v, 'S');
    compiled(api.response, v, 'E');
  }
}

/** Whether (spec, version) is flexible: compact types, tagged fields, request header v2. */
export { isFlexible, isValidVersion };
