/**
 * SEAM: the broker's view of storage, until src/storage (the log manager) lands. The broker opens storage
 * at start (disk under the data dir, or memory) and closes it on graceful shutdown; closing flushes and
 * writes the clean-shutdown marker, which is the storage layer's job, not the server's.
 * When src/storage exists, `BrokerStorage` becomes its log-manager type and `openStorage` calls its opener.
 */
import type { Logger } from './logger.js';

export interface BrokerStorage {
  readonly kind: 'disk' | 'memory';
  /** Data directory for disk storage; null in memory. */
  readonly dataDir: string | null;
  /** Flushes every log and writes the clean-shutdown marker. */
  close(): Promise<void>;
}

export interface StorageOpenOptions {
  readonly memory: boolean;
  readonly dataDir: string;
  readonly logger: Logger;
}

export async function openStorage(options: StorageOpenOptions): Promise<BrokerStorage> {
  // Placeholder until src/storage lands: holds no data.
  return {
    kind: options.memory ? 'memory' : 'disk',
    dataDir: options.memory ? null : options.dataDir,
    close: async () => {},
  };
}
