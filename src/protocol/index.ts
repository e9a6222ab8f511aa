/** Brook's protocol layer (sans-IO): schemas, compiled codecs, headers, frames, error codes. */
export * from './schema/dsl.js';
export { parseVersions, inVersions, listVersions, type VersionRange } from './schema/versions.js';
export { generatedSource } from './schema/compile.js';
export * from './codec.js';
export * from './headers.js';
export * from './errors.js';
export { ProtocolError } from './primitives/protocol-error.js';
export { Reader } from './primitives/reader.js';
export { Writer, RECORDS_INLINE_LIMIT } from './primitives/writer.js';
export { ZERO_UUID, isUuidString } from './primitives/uuid.js';
