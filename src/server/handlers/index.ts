/**
 * Every API handler the broker serves, one module per API key. This list drives both dispatch and the
 * ApiVersions answer (see ../registry.ts). Add a handler here when its file lands.
 */
import type { AnyHandler } from '../handler.js';
import apiVersions from './18-api-versions.js';

export const HANDLERS: readonly AnyHandler[] = [apiVersions];
