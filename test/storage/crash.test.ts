/**
 * Crash safety: a child appending continuously is SIGKILLed at random moments; after every reopen all
 * acknowledged batches are there byte-for-byte, offsets are contiguous, nothing partial is visible and
 * appending continues. The second variant also damages the active segment's tail before reopening.
 * (Longer runs: `node --import tsx scripts/crash-soak.ts [rounds]`.)
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-harness.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('crash recovery', () => {
  it('keeps every acknowledged batch across 20 SIGKILLs', async () => {
    const dir = tempDir('brook-crash-');
    dirs.push(dir);
    const reports = await runCrashRounds(dir, 20, { seed: 0xc0ffee });
    expect(reports.length).toBe(20);
    const acked = reports.reduce((n, r) => n + r.acked, 0);
    expect(acked).toBeGreaterThan(100);
  }, 120_000);

  it('recovers from garbage and torn tails on the active segment', async () => {
    const dir = tempDir('brook-crash-tamper-');
    dirs.push(dir);
    const reports = await runCrashRounds(dir, 8, { tamper: true, seed: 0xbadbeef });
    expect(reports.filter((r) => r.tamper === 'truncate').length).toBe(4);
    expect(reports.filter((r) => r.tamper === 'garbage').length).toBe(4);
  }, 120_000);
});
