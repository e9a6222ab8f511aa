/**
 * Long crash soak: `node --import tsx scripts/crash-soak.ts [rounds=200] [--tamper] [--keep]`.
 * Same checks as test/storage/crash.test.ts, more rounds. Exits non-zero on the first failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCrashRounds } from '../test/storage/crash-harness.js';

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 200);
const tamper = args.includes('--tamper');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-crash-soak-'));
const started = Date.now();
let acked = 0;
let n = 0;
try {
  await runCrashRounds(dir, rounds, {
    tamper,
    seed: Date.now() >>> 0,
    log: (r) => {
      n++;
      acked += r.acked;
      if (n % 10 === 0 || n === rounds) {
        console.log(`round ${n}/${rounds}: ${acked} acks so far, ${r.batchesAfter} batches in the log${tamper ? `, last tamper ${r.tamper}` : ''}`);
      }
    },
  });
  console.log(`OK: ${rounds} rounds, ${acked} acknowledged batches verified, ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`FAILED after ${n} rounds (data kept in ${dir}):`, err);
  process.exitCode = 1;
} finally {
  if (!args.includes('--keep') && process.exitCode !== 1) fs.rmSync(dir, { recursive: true, force: true });
}
