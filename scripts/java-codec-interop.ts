/**
 * Proves codec interop with the Java libraries Kafka's clients and brokers use: Java reads our
 * snappy/lz4/zstd output and we read Java's. Needs a JDK (11+) and Debian's Java codec packages:
 *   apt-get install -y libsnappy-java liblz4-java libzstd-jni-java
 * Run: node --import tsx scripts/java-codec-interop.ts   (exit 0 = all good, 1 = mismatch, 2 = missing tools)
 * The Java side is scripts/java-codec-interop.java, run in source-file mode (no build step).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codecFor, CompressionType } from '../src/protocol/records/compression/index.js';
import { snappyCompressRaw } from '../src/protocol/records/compression/snappy.js';
import { CorruptRecordError } from '../src/protocol/records/errors.js';

const JARS = ['/usr/share/java/snappy-java.jar', '/usr/share/java/lz4-java.jar', '/usr/share/java/zstd-jni.jar'];
const APT = 'apt-get install -y libsnappy-java liblz4-java libzstd-jni-java';
const here = dirname(fileURLToPath(import.meta.url));
const javaSource = join(here, 'java-codec-interop.java');

export function javaInteropAvailable(): boolean {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return java.status === 0 && JARS.every((j) => existsSync(j));
}

function text(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = 11;
  let pos = 0;
  while (pos < size) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    pos += out.write(`{"id":${x},"user":"u${x % 997}","kind":"${['a', 'bb', 'ccc'][x % 3]}"}\n`, pos);
  }
  return out;
}

const CODECS = { snappy: CompressionType.Snappy, lz4: CompressionType.Lz4, zstd: CompressionType.Zstd } as const;
type CodecName = keyof typeof CODECS;

/** Runs every check; returns the list of failures (empty when all pass) and a printable log. */
export function runJavaInterop(): { failures: string[]; log: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'brook-java-interop-'));
  const log: string[] = [];
  const failures: string[] = [];
  try {
    const inputs: Record<string, Buffer> = {
      empty: Buffer.alloc(0),
      one: Buffer.from('x'),
      '16k': text(16 * 1024),
      '1m': text(1024 * 1024),
      '5m': text(5 * 1024 * 1024 + 7),
      random: randomBytes(300 * 1024),
    };
    const jobs: string[] = [];
    for (const [name, data] of Object.entries(inputs)) {
      writeFileSync(join(dir, `${name}.in`), data);
      for (const codec of Object.keys(CODECS) as CodecName[]) {
        writeFileSync(join(dir, `${name}.ours.${codec}`), codecFor(CODECS[codec]).compress(data));
        jobs.push(`decompress ${codec} ${join(dir, `${name}.ours.${codec}`)} ${join(dir, `${name}.ours.${codec}.java`)}`);
        jobs.push(`compress ${codec} ${join(dir, `${name}.in`)} ${join(dir, `${name}.java.${codec}`)}`);
      }
      // Raw (unframed) snappy, as kafkajs-snappy and librdkafka write it: Java's stream reads it too.
      writeFileSync(join(dir, `${name}.raw.snappy`), snappyCompressRaw(data));
      jobs.push(`decompress snappy ${join(dir, `${name}.raw.snappy`)} ${join(dir, `${name}.raw.snappy.java`)}`);
    }
    // A dependent-block LZ4 frame (lz4 CLI -BD): Java refuses it, and so must we.
    let haveLz4Cli = false;
    try {
      writeFileSync(join(dir, 'linked.lz4'), execFileSync('lz4', ['-BD', '-B4', '-c'], { input: inputs['1m'], maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'ignore'] }));
      jobs.push(`decompress lz4 ${join(dir, 'linked.lz4')} ${join(dir, 'linked.lz4.java')}`);
      haveLz4Cli = true;
    } catch {
      log.push('lz4 CLI missing: dependent-block check skipped');
    }
    writeFileSync(join(dir, 'jobs'), jobs.join('\n'));
    const java = spawnSync('java', ['-cp', JARS.join(':'), javaSource, join(dir, 'jobs')], { encoding: 'utf8' });
    const javaLines = java.stdout.split('\n').filter(Boolean);
    const javaFailed = new Set(javaLines.filter((l) => l.startsWith('FAIL')).map((l) => l.split(' : ')[0]!.slice(5)));

    for (const [name, data] of Object.entries(inputs)) {
      for (const codec of Object.keys(CODECS) as CodecName[]) {
        const javaRead = join(dir, `${name}.ours.${codec}.java`);
        const ok1 = existsSync(javaRead) && readFileSync(javaRead).equals(data);
        (ok1 ? log : failures).push(`${codec} ${name}: Java reads ours ${ok1 ? 'ok' : 'FAILED'}`);
        const javaFrame = readFileSync(join(dir, `${name}.java.${codec}`));
        let ok2 = false;
        try {
          ok2 = codecFor(CODECS[codec]).decompress(javaFrame).equals(data);
        } catch (err) {
          log.push(`  ${String(err)}`);
        }
        (ok2 ? log : failures).push(`${codec} ${name}: we read Java's ${ok2 ? 'ok' : 'FAILED'} (${javaFrame.length} B)`);
        if (name === '1m') log.push(`  Java ${codec} frame starts ${javaFrame.subarray(0, 8).toString('hex')}`);
      }
      const raw = join(dir, `${name}.raw.snappy.java`);
      const ok3 = existsSync(raw) && readFileSync(raw).equals(data);
      (ok3 ? log : failures).push(`snappy ${name}: Java reads our raw block ${ok3 ? 'ok' : 'FAILED'}`);
    }
    if (haveLz4Cli) {
      const linked = readFileSync(join(dir, 'linked.lz4'));
      const javaRejected = [...javaFailed].some((j) => j.includes('linked.lz4'));
      let weRejected = false;
      try {
        codecFor(CompressionType.Lz4).decompress(linked);
      } catch (err) {
        weRejected = err instanceof CorruptRecordError;
      }
      const ok = javaRejected && weRejected;
      (ok ? log : failures).push(`lz4 dependent blocks: Java rejects ${javaRejected}, we reject ${weRejected}`);
    }
    const unexpected = [...javaFailed].filter((j) => !j.includes('linked.lz4'));
    for (const j of unexpected) failures.push(`Java job failed: ${j}`);
    if (java.status === null || java.stderr.trim()) log.push(`java stderr: ${java.stderr.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { failures, log };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!javaInteropAvailable()) {
    console.error(`Java or the codec jars are missing. Install: ${APT}`);
    process.exit(2);
  }
  const { failures, log } = runJavaInterop();
  for (const line of log) console.log(line);
  for (const line of failures) console.log(`FAIL ${line}`);
  console.log(failures.length === 0 ? 'java codec interop: all checks passed' : `java codec interop: ${failures.length} failures`);
  process.exit(failures.length === 0 ? 0 : 1);
}
