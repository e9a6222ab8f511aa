/**
 * DescribeLogDirs (key 35): v0-4.
 *
 * Behaviour (Kafka's ReplicaManager.describeLogDirs):
 *   - One log dir: the data directory, or ":memory:" for in-memory storage.
 *   - topics null: every partition of every topic; otherwise the named partitions that exist
 *     (topics with none of them are left out).
 *   - Per partition: the log's size in bytes, offset lag 0 (this broker is the only replica) and
 *     is_future_key false.
 *   - v3+ top-level error_code NONE; v4+ total_bytes / usable_bytes of the file system (statfs),
 *     -1 when unknown (memory storage, or no statfs).
 */
import { api, type DescribeLogDirsResponse } from '../../protocol/messages/35-describe-log-dirs.js';
import { diskUsage, UNKNOWN_USAGE } from '../admin/disk-usage.js';
import { defineHandler } from '../handler.js';

type TopicResult = DescribeLogDirsResponse['results'][number]['topics'][number];

export const MEMORY_LOG_DIR = ':memory:';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, request): DescribeLogDirsResponse {
    const { storage } = ctx.broker;
    const wanted: Array<{ topic: string; partitions: number[] | null }> =
      request.topics === null
        ? storage.listTopics().map((t) => ({ topic: t.name, partitions: null }))
        : request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions }));
    const topics: TopicResult[] = [];
    for (const w of wanted) {
      const info = storage.topic(w.topic);
      if (info === undefined) continue;
      const indexes = w.partitions ?? Array.from({ length: info.partitions }, (_, i) => i);
      const partitions: TopicResult['partitions'] = [];
      for (const p of new Set(indexes)) {
        const log = storage.partition(w.topic, p);
        if (log === undefined) continue;
        partitions.push({ partitionIndex: p, partitionSize: BigInt(log.sizeInBytes()), offsetLag: 0n, isFutureKey: false });
      }
      if (partitions.length > 0) topics.push({ name: w.topic, partitions });
    }
    const usage = storage.kind === 'disk' ? diskUsage(storage.dataDir) : UNKNOWN_USAGE;
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: storage.dataDir ?? MEMORY_LOG_DIR,
          topics,
          totalBytes: usage.totalBytes,
          usableBytes: usage.usableBytes,
        },
      ],
    };
  },
});
