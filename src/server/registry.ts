/**
 * The handler registry: maps API keys to handlers and produces the ApiVersions list, so what the broker
 * dispatches and what it advertises can never disagree. Checked at construction: one handler per key, and
 * each handler's range lies inside the versions its schema declares.
 */
import { parseVersions } from '../protocol/schema/versions.js';
import type { AnyHandler, ApiVersionRange } from './handler.js';

export class HandlerRegistry {
  private readonly byKey: Array<AnyHandler | undefined> = [];
  readonly versions: readonly ApiVersionRange[];

  constructor(handlers: readonly AnyHandler[]) {
    for (const h of handlers) {
      if (h.apiKey !== h.api.key) throw new Error(`handler for ${h.api.name}: apiKey ${h.apiKey} != schema key ${h.api.key}`);
      if (this.byKey[h.apiKey]) throw new Error(`two handlers for API key ${h.apiKey}`);
      const valid = parseVersions(h.api.request.validVersions);
      if (h.minVersion < valid.min || h.maxVersion > valid.max || h.minVersion > h.maxVersion) {
        throw new Error(
          `handler for ${h.api.name}: versions ${h.minVersion}-${h.maxVersion} outside the schema's ${h.api.request.validVersions}`,
        );
      }
      this.byKey[h.apiKey] = h;
    }
    this.versions = handlers
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  get(apiKey: number): AnyHandler | undefined {
    return apiKey >= 0 ? this.byKey[apiKey] : undefined;
  }

  /** The handler's API spec for a key, if it is served (for header-version lookups). */
  all(): AnyHandler[] {
    return this.byKey.filter((h): h is AnyHandler => h !== undefined);
  }
}
