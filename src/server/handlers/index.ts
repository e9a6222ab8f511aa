/**
 * Every API handler the broker serves, one module per API key. This list drives both dispatch and the
 * ApiVersions answer (see ../registry.ts). Add a handler here when its file lands.
 */
import type { AnyHandler } from '../handler.js';
import produce from './00-produce.js';
import fetch from './01-fetch.js';
import listOffsets from './02-list-offsets.js';
import metadata from './03-metadata.js';
import apiVersions from './18-api-versions.js';
import offsetForLeaderEpoch from './23-offset-for-leader-epoch.js';

export const HANDLERS: readonly AnyHandler[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  apiVersions,
  offsetForLeaderEpoch,
];
