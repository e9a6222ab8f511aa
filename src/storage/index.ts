/** Public surface of Brook's storage layer. */
export * from './types.js';
export { StorageError, StorageErrorCode } from './errors.js';
export { openStorage, LogManager, randomClusterId } from './log-manager.js';
export { parseLogConfig, KAFKA_TOPIC_DEFAULTS } from './config.js';
export { setRecordsDecompressor, type RecordsDecompressor } from './record-scan.js';
export { randomTopicId, validateTopicName } from './topic-store.js';
