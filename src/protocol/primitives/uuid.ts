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


const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** char code → 6-bit value, or -1. */
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? SEXTET[c]! : -1;
}

const CHAR = new Uint8Array(64);
for (let i = 0; i < 64; i++) CHAR[i] = ALPHABET.charCodeAt(i);

/**
 * The printable form of the 16 bytes at `offset`: the same string as toString('base64url'), built by
 * hand because Buffer#toString's generic path costs more than the conversion on the Metadata/Fetch paths.
 */
export function uuidFromBytes(buf: Uint8Array, offset: number): string {
  const c = CHAR;
  let s = '';
  let p = offset;
  for (let i = 0; i < 5; i++, p += 3) {
    const a = buf[p]!;
    const b = buf[p + 1]!;
    const d = buf[p + 2]!;
    s += String.fromCharCode(c[a >> 2]!, c[((a & 3) << 4) | (b >> 4)]!, c[((b & 15) << 2) | (d >> 6)]!, c[d & 63]!);
  }
  const last = buf[p]!;
  return s + String.fromCharCode(c[last >> 2]!, c[(last & 3) << 4]!);
}

/**
 * Writes the 16 bytes of `uuid` at `offset`; throws on a malformed string. Decodes by hand: faster than
 * a regex check plus Buffer#write, and it validates as it goes.
 */
export function writeUuid(buf: Buffer, offset: number, uuid: string): void {
  if (typeof uuid !== 'string' || uuid.length !== 22) throw badUuid(uuid);
  let p = offset;
  for (let i = 0; i < 21; i += 4) {
    const a = sextet(uuid, i);
    const b = sextet(uuid, i + 1);
    if (i === 20) {
      // the last two chars carry 8 bits: the low 4 bits of the second must be zero
      if ((a | b) < 0 || (b & 0x0f) !== 0) throw badUuid(uuid);
      buf[p] = (a << 2) | (b >> 4);
      return;
    }
    const c = sextet(uuid, i + 2);
    const d = sextet(uuid, i + 3);
    if ((a | b | c | d) < 0) throw badUuid(uuid);
    buf[p] = (a << 2) | (b >> 4);
    buf[p + 1] = ((b & 0x0f) << 4) | (c >> 2);
    buf[p + 2] = ((c & 0x03) << 6) | d;
    p += 3;
  }
}

function badUuid(uuid: unknown): Error {
  return new Error(`invalid UUID string ${JSON.stringify(uuid)} (want 22 chars of URL-safe base64)`);
}
