/**
 * Child process of the crash test: appends batches forever and reports each acknowledged one on
 * stdout (`ack <seed> <baseOffset>`), with a synchronous write so an ack is never reported before the
 * append returned. Run as `node --import tsx crash-child.ts <data-dir> <first-seed>`; the parent kills it.
 */
import fs from 'node:fs';
import { openStorage } from '../../src/storage/index.js';
import { CRASH_TOPIC, CRASH_TOPIC_CONFIGS, crashBatch } from './crash-harness.js';

/** writeSync that waits out EAGAIN (stdout is a non-blocking pipe when the parent is slow to read). */
function writeLine(fd: number, line: string): void {
  const buf = Buffer.from(line);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

const [dir, firstSeed] = process.argv.slice(2);
const store = openStorage({ dataDir: dir! });
if (store.topic(CRASH_TOPIC) === undefined) store.createTopic(CRASH_TOPIC, { partitions: 1, configs: CRASH_TOPIC_CONFIGS });
const log = store.partition(CRASH_TOPIC, 0)!;
for (let seed = Number(firstSeed); ; seed++) {
  const r = log.append(crashBatch(seed));
  if (!r.ok) {
    writeLine(2, `append failed: ${JSON.stringify(r)}\n`);
    process.exit(3);
  }
  writeLine(1, `ack ${seed} ${r.baseOffset}\n`);
}
