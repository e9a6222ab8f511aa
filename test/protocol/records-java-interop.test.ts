/**
 * Java codec interop (snappy-java, lz4-java, zstd-jni, as Kafka uses them), run only where a JDK and
 * Debian's jars are installed (apt-get install -y libsnappy-java liblz4-java libzstd-jni-java).
 * The same checks run from the command line: node --import tsx scripts/java-codec-interop.ts
 */
import { describe, expect, it } from 'vitest';
import { javaInteropAvailable, runJavaInterop } from '../../scripts/java-codec-interop.js';

describe('Java codec interop', () => {
  it.skipIf(!javaInteropAvailable())('Java reads our snappy/lz4/zstd and we read Java’s', () => {
    const { failures, log } = runJavaInterop();
    expect(failures).toEqual([]);
    expect(log.some((l) => l.includes('lz4 dependent blocks: Java rejects true, we reject true'))).toBe(true);
  });
});
