/**
 * UUIDs travel as 16 raw bytes; in memory Brook uses Kafka's printable form: URL-safe base64 without
 * padding, always 22 characters (the zero UUID is 'AAAAAAAAAAAAAAAAAAAAAA').
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const UUID_RE = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** True when `s` is a 22-character URL-safe base64 string that decodes to exactly 16 bytes. */
export function isUuidString(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}

export function uuidFromBytes(buf: Buffer, offset: number): string {
  return buf.toString('base64url', offset, offset + 16);
}

/** Writes the 16 bytes of `uuid` at `offset`; throws on a malformed string. */
export function writeUuid(buf: Buffer, offset: number, uuid: string): void {
  if (!isUuidString(uuid)) throw new Error(`invalid UUID string ${JSON.stringify(uuid)} (want 22 chars of URL-safe base64)`);
  buf.write(uuid, offset, 16, 'base64url');
}
