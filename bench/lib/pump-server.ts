/**
 * The physical-limit side of the raw pumps, run as its own process (like the broker):
 *   sink:   socket → file. Reads what a client sends and appends it to one file in writes of exactly
 *           --buf bytes (the batch size), then answers one byte once the client's announced total is on disk
 *           (page cache; no fsync, like the broker's default flush policy).
 *   source: file → socket. Streams a pre-written file (page cache) to each client in --buf reads
 *           (the fetch size), as many bytes as the client asks for, wrapping around at the end.
 * A client first sends its total as an 8-byte big-endian integer.
 *
 *   node --import tsx bench/lib/pump-server.ts --mode sink|source --buf 16384 --dir /tmp [--file-mb 256]
 * Prints "pump ready bootstrap=127.0.0.1:PORT".
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Args } from './args.js';

const args = new Args(process.argv.slice(2));
const mode = args.string('mode', 'sink');
const bufSize = args.number('buf', 16384);
const dir = fs.mkdtempSync(path.join(args.string('dir', '/tmp'), 'brook-pump-'));
const file = path.join(dir, 'data.bin');
const fileBytes = args.number('file-mb', 256) * (1 << 20);

function cleanup(): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

function sink(): net.Server {
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  return net.createServer((socket) => {
    socket.setNoDelay(true);
    let header: Buffer | null = Buffer.alloc(0);
    let expected = 0;
    let received = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // One write per --buf bytes, as a broker writes each batch it appends (the last piece may be
    // shorter); pieces that straddle socket chunks go out as one writev, never copied.
    const flush = (all: boolean): void => {
      while (pendingBytes >= bufSize || (all && pendingBytes > 0)) {
        const want = Math.min(bufSize, pendingBytes);
        const pieces: Buffer[] = [];
        let got = 0;
        while (got < want) {
          const head = pending[0]!;
          const take = Math.min(head.length, want - got);
          pieces.push(take === head.length ? head : head.subarray(0, take));
          if (take === head.length) pending.shift();
          else pending[0] = head.subarray(take);
          got += take;
        }
        if (pieces.length === 1) fs.writeSync(fd, pieces[0]!, 0, want, pos);
        else fs.writevSync(fd, pieces, pos);
        pos += want;
        pendingBytes -= want;
        received += want;
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (header !== null) {
        header = Buffer.concat([header, chunk]);
        if (header.length < 8) return;
        expected = Number(header.readBigInt64BE(0));
        chunk = header.subarray(8);
        header = null;
      }
      if (chunk.length > 0) {
        pending.push(chunk);
        pendingBytes += chunk.length;
      }
      if (received + pendingBytes >= expected) flush(true);
      else if (pendingBytes >= bufSize) flush(false);
      if (received >= expected) socket.write(Buffer.from([1]));
    });
    socket.on('error', () => {});
  });
}

function source(): net.Server {
  // Write the file once; later reads come from the page cache, as a broker's recent segments do.
  const fd = fs.openSync(file, 'w+');
  const chunk = randomBytes(1 << 20);
  for (let off = 0; off < fileBytes; off += chunk.length) fs.writeSync(fd, chunk, 0, chunk.length, off);
  return net.createServer((socket) => {
    socket.setNoDelay(true);
    let header = Buffer.alloc(0);
    const free: Buffer[] = [];
    const onHeader = (c: Buffer): void => {
      header = Buffer.concat([header, c]);
      if (header.length < 8) return;
      socket.off('data', onHeader);
      void stream(Number(header.readBigInt64BE(0)));
    };
    const stream = async (total: number): Promise<void> => {
      let sent = 0;
      let pos = 0;
      while (sent < total && !socket.destroyed) {
        const n = Math.min(bufSize, total - sent, fileBytes - pos);
        const buf = free.pop() ?? Buffer.allocUnsafe(bufSize);
        const got = fs.readSync(fd, buf, 0, n, pos);
        pos = pos + got >= fileBytes ? 0 : pos + got;
        sent += got;
        const ok = socket.write(got === buf.length ? buf : buf.subarray(0, got), () => free.push(buf));
        if (!ok) await new Promise((r) => socket.once('drain', r));
      }
    };
    socket.on('data', onHeader);
    socket.on('error', () => {});
  });
}

const server = mode === 'source' ? source() : sink();
server.listen(0, '127.0.0.1', () => {
  const addr = server.address() as net.AddressInfo;
  console.log(`pump ready bootstrap=127.0.0.1:${addr.port}`);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    server.close();
    cleanup();
    process.exit(0);
  });
}
