/**
 * Request framing: every Kafka request is a 4-byte big-endian size followed by that many bytes.
 * TCP delivers the stream cut anywhere, so the framer keeps the bytes it has not used yet and hands out
 * whole frames, pull-style (`next()`), so the connection can stop taking frames while it is
 * back-pressured. The size is checked against the bound before anything is buffered for it.
 * A frame that lies inside one received chunk is returned as a view (no copy).
 */

export class FrameError extends Error {
  /** The size prefix that was rejected. */
  readonly size: number;

  constructor(message: string, size: number) {
    super(message);
    this.name = 'FrameError';
    this.size = size;
  }
}

/**
 * Names the protocol a rejected size prefix most likely came from, when it is not Kafka's: a TLS
 * handshake (0x16 0x03) or an HTTP request ("GET ", "POST", ...) on a plaintext Kafka port.
 */
export function guessForeignProtocol(size: number): string | undefined {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size);
  if (b[0] === 0x16 && b[1] === 0x03) return 'TLS (Brook speaks PLAINTEXT only)';
  if (/^(GET |POST|PUT |HEAD|PRI |DELE|OPTI|PATC)$/.test(b.toString('latin1'))) return 'HTTP';
  return undefined;
}

export class Framer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being assembled, or -1 while the size prefix is not complete. */
  private pendingSize = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete frame (without its size prefix), or undefined. Throws FrameError on a bad size. */
  next(): Buffer | undefined {
    if (this.pendingSize < 0) {
      if (this.buffered < 4) return undefined;
      const size = this.readSize();
      if (size < 0) throw new FrameError(`negative frame size ${size}`, size);
      if (size > this.maxFrameBytes) {
        throw new FrameError(`frame of ${size} bytes exceeds socket.request.max.bytes (${this.maxFrameBytes})`, size);
      }
      this.pendingSize = size;
    }
    if (this.buffered < this.pendingSize) return undefined;
    const frame = this.take(this.pendingSize);
    this.pendingSize = -1;
    return frame;
  }

  private readSize(): number {
    const head = this.chunks[0]!;
    if (head.length >= 4) {
      const size = head.readInt32BE(0);
      this.consume(4);
      return size;
    }
    const prefix = this.take(4);
    return prefix.readInt32BE(0);
  }

  /** Removes n bytes from the front; a view when they lie in one chunk, else one copy. */
  private take(n: number): Buffer {
    const head = this.chunks[0];
    if (n === 0) return Buffer.alloc(0);
    if (head !== undefined && head.length >= n) {
      const out = head.subarray(0, n);
      this.consume(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      this.consume(used);
    }
    return out;
  }

  /** Drops n bytes from the front (n never crosses the first chunk). */
  private consume(n: number): void {
    const head = this.chunks[0]!;
    if (n === head.length) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    this.buffered -= n;
  }
}
