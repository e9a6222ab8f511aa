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
 * The printable form of the 16 bytes at `p`: the same string as toString('base64url'), built by
 * hand because Buffer#toString's generic path costs more than the conversion on the Metadata/Fetch paths.
 */
export function uuidFromBytes(buf: Uint8Array, p: number): string {
  const c = CHAR;
  const b0 = buf[p]!, b1 = buf[p + 1]!, b2 = buf[p + 2]!, b3 = buf[p + 3]!, b4 = buf[p + 4]!, b5 = buf[p + 5]!;
  const b6 = buf[p + 6]!, b7 = buf[p + 7]!, b8 = buf[p + 8]!, b9 = buf[p + 9]!, b10 = buf[p + 10]!, b11 = buf[p + 11]!;
  const b12 = buf[p + 12]!, b13 = buf[p + 13]!, b14 = buf[p + 14]!, b15 = buf[p + 15]!;
  // One call builds one flat string (concatenation would leave a rope behind).
  return String.fromCharCode(
    c[b0 >> 2]!, c[((b0 & 3) << 4) | (b1 >> 4)]!, c[((b1 & 15) << 2) | (b2 >> 6)]!, c[b2 & 63]!,
    c[b3 >> 2]!, c[((b3 & 3) << 4) | (b4 >> 4)]!, c[((b4 & 15) << 2) | (b5 >> 6)]!, c[b5 & 63]!,
    c[b6 >> 2]!, c[((b6 & 3) << 4) | (b7 >> 4)]!, c[((b7 & 15) << 2) | (b8 >> 6)]!, c[b8 & 63]!,
    c[b9 >> 2]!, c[((b9 & 3) << 4) | (b10 >> 4)]!, c[((b10 & 15) << 2) | (b11 >> 6)]!, c[b11 & 63]!,
    c[b12 >> 2]!, c[((b12 & 3) << 4) | (b13 >> 4)]!, c[((b13 & 15) << 2) | (b14 >> 6)]!, c[b14 & 63]!,
    c[b15 >> 2]!, c[(b15 & 3) << 4]!,
  );
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
