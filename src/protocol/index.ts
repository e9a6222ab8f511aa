/**
 * Brook's protocol layer (sans-IO: bytes in, values out; no net, no fs).
 *
 * Server side, per request frame (the bytes after the 4-byte size prefix):
 *   const { header, bodyOffset } = decodeRequestHeader(frame, (key, v) => flexible-or-undefined);
 *   const req = decodeMessage(api.request, header.apiVersion, frame, bodyOffset);   // ProtocolError if malformed
 *   const res = defaultValue(api.response);  ...fill it in...
 *   socket.cork(); for (const b of encodeResponseFrame(api, version, header.correlationId, res)) socket.write(b); socket.uncork();
 *
 * Values are plain objects typed by the schemas (`MessageValue<typeof ProduceRequest>`); every field is
 * always present (defaults fill what a version lacks). Encoding throws an Error when a value holds
 * something the version cannot carry (non-default, non-ignorable field; null outside nullableVersions).
 * Large record batches are never copied: encoders return Buffer[] that reference them.
 * Set BROOK_DUMP_CODEC=1 (or a message-name substring) to print the generated codec source.
 */
export * from './schema/dsl.js';
export { parseVersions, inVersions, listVersions, type VersionRange } from './schema/versions.js';
export { generatedSource, compiledStructDefault } from './schema/compile.js';
export * from './codec.js';
export * from './headers.js';
export * from './errors.js';
export { ProtocolError } from './primitives/protocol-error.js';
export { Reader } from './primitives/reader.js';
export { Writer, RECORDS_INLINE_LIMIT } from './primitives/writer.js';
export { ZERO_UUID, isUuidString } from './primitives/uuid.js';
