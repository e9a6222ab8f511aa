/**
 * Producer id allocation. Ids are handed out from blocks of BLOCK_SIZE; the end of the current block is
 * persisted (`<data dir>/producer-id-block`, written atomically) before any id of the block is used, so
 * after a restart — graceful or not — allocation resumes past every id ever handed out and ids never
 * repeat (Kafka persists its blocks in the metadata log for the same reason). In-memory brokers start
 * at 0 each run.
 *
 * File format: one line, the decimal first id of the next block.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../storage/atomic-file.js';

const BLOCK_SIZE = 1000;
export const PRODUCER_ID_FILE = 'producer-id-block';

export class ProducerIdManager {
  private next: number;
  private blockEnd: number;

  constructor(private readonly dataDir: string | undefined) {
    let start = 0;
    if (dataDir !== undefined) {
      try {
        const n = Number(fs.readFileSync(path.join(dataDir, PRODUCER_ID_FILE), 'utf8').trim());
        if (Number.isSafeInteger(n) && n >= 0) start = n;
      } catch {
        /* first run */
      }
    }
    this.next = start;
    this.blockEnd = start;
  }

  /** A producer id never handed out before by this data directory. */
  generate(): number {
    if (this.next >= this.blockEnd) {
      const end = this.next + BLOCK_SIZE;
      if (this.dataDir !== undefined) writeFileAtomic(path.join(this.dataDir, PRODUCER_ID_FILE), `${end}\n`);
      this.blockEnd = end;
    }
    return this.next++;
  }
}
