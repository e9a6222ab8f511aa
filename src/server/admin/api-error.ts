/**
 * A per-resource admin error: a Kafka error code and the message Kafka would send with it. Storage and
 * config failures (thrown) become ApiErrors, since partial success is response data.
 */
import { ErrorCode, errorMessage } from '../../protocol/errors.js';
import { StorageError } from '../../storage/index.js';
import { ConfigError } from '../config.js';

export interface ApiError {
  readonly code: number;
  readonly message: string | null;
}

export const NO_ERROR: ApiError = { code: ErrorCode.NONE, message: null };

export function apiError(code: number, message?: string | null): ApiError {
  return { code, message: message === undefined ? errorMessage(code) : message };
}

/** Maps a thrown StorageError/ConfigError to an ApiError; anything else is a bug and is rethrown. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof StorageError) return { code: err.errorCode, message: err.message };
  if (err instanceof ConfigError) return { code: ErrorCode.INVALID_CONFIG, message: err.message };
  throw err;
}

/** Runs a storage or config action: NO_ERROR, or the ApiError of what it threw (see toApiError). */
export function attempt(action: () => void): ApiError {
  try {
    action();
    return NO_ERROR;
  } catch (err) {
    return toApiError(err);
  }
}

/** Values that appear twice or more in `values`, in first-seen order. */
export function duplicates<T>(values: Iterable<T>): Set<T> {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) dup.add(v);
    else seen.add(v);
  }
  return dup;
}
