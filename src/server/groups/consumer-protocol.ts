/**
 * The part of the consumer embedded protocol (ConsumerProtocolSubscription, the JoinGroup metadata of
 * protocol type "consumer") the coordinator reads: the subscribed topic names. Kafka reads them to
 * refuse OffsetDelete on subscribed topics and to expire offsets of topics nobody subscribes to.
 *
 * Layout (every version starts the same): int16 version, int32 topic count, then int16-length strings.
 * Anything malformed yields undefined ("unknown"), never an exception.
 */
export function subscribedTopics(metadata: Buffer): string[] | undefined {
  if (metadata.length < 6) return undefined;
  const version = metadata.readInt16BE(0);
  if (version < 0) return undefined;
  const count = metadata.readInt32BE(2);
  if (count < 0 || count > (metadata.length - 6) / 2) return undefined;
  const topics: string[] = [];
  let pos = 6;
  for (let i = 0; i < count; i++) {
    if (pos + 2 > metadata.length) return undefined;
    const len = metadata.readInt16BE(pos);
    pos += 2;
    if (len < 0 || pos + len > metadata.length) return undefined;
    topics.push(metadata.toString('utf8', pos, pos + len));
    pos += len;
  }
  return topics;
}
