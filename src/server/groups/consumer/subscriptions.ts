/**
 * Resolves what consumer-group members subscribe to against the broker's topics: topic names that
 * exist, and server-side regular expressions (KIP-848 subscribedTopicRegex) matched against every
 * non-internal topic name. Kafka evaluates the expression with RE2/J as a full match; Brook uses a
 * JavaScript RegExp anchored at both ends (the two agree on the syntax consumers use in practice).
 *
 * The group's signature — subscribed topic names with their ids and partition counts — is what the
 * target assignment was computed for: when it changes (a topic created that a regex matches, a topic
 * deleted, partitions added), the group epoch is bumped and the assignment recomputed.
 */
import type { MemberMetadata } from './member.js';

export interface TopicMeta {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: number;
}

/** The broker's topics as the consumer-group protocol needs them (a fake in unit tests). */
export interface TopicsView {
  byName(name: string): TopicMeta | undefined;
  byId(topicId: string): TopicMeta | undefined;
  /** Names a regex may match (internal topics left out). */
  names(): Iterable<string>;
}

/** The compiled expression, or the reason it is not a valid one. */
export function compileRegex(source: string): RegExp | string {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (err) {
    return (err as Error).message;
  }
}

/** Resolves subscriptions of many members, evaluating each distinct regex once. */
export class SubscriptionResolver {
  private readonly regexCache = new Map<string, readonly string[]>();
  private allNames: readonly string[] | undefined;

  constructor(private readonly topics: TopicsView) {}

  /** Existing topics a member subscribes to, by name. */
  memberTopics(m: MemberMetadata): TopicMeta[] {
    const out = new Map<string, TopicMeta>();
    for (const name of m.subscribedTopicNames) {
      const t = this.topics.byName(name);
      if (t !== undefined) out.set(name, t);
    }
    if (m.subscribedTopicRegex !== null && m.subscribedTopicRegex !== '') {
      for (const name of this.matches(m.subscribedTopicRegex)) {
        const t = this.topics.byName(name);
        if (t !== undefined) out.set(name, t);
      }
    }
    return [...out.values()];
  }

  /** Existing topics named in `names` or matched by one of `regexes` (a whole group's subscriptions). */
  topicsOf(names: Iterable<string>, regexes: Iterable<string>): TopicMeta[] {
    const out = new Map<string, TopicMeta>();
    for (const name of names) {
      const t = this.topics.byName(name);
      if (t !== undefined) out.set(name, t);
    }
    for (const re of regexes) {
      for (const name of this.matches(re)) {
        const t = this.topics.byName(name);
        if (t !== undefined) out.set(name, t);
      }
    }
    return [...out.values()];
  }

  private matches(source: string): readonly string[] {
    let hit = this.regexCache.get(source);
    if (hit === undefined) {
      const re = compileRegex(source);
      this.allNames ??= [...this.topics.names()];
      hit = typeof re === 'string' ? [] : this.allNames.filter((n) => re.test(n));
      this.regexCache.set(source, hit);
    }
    return hit;
  }
}

/** Names, ids and partition counts of every topic the members subscribe to, as one comparable string. */
export function subscriptionSignature(topics: Iterable<TopicMeta>): { signature: string; names: Set<string> } {
  const byName = new Map<string, TopicMeta>();
  for (const t of topics) byName.set(t.name, t);
  const names = [...byName.keys()].sort();
  return { signature: names.map((n) => `${n}:${byName.get(n)!.topicId}:${byName.get(n)!.partitions}`).join('\n'), names: new Set(names) };
}
