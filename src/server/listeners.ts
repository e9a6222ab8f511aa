/**
 * Kafka-form listeners: `NAME://host:port[,NAME://host:port]`. A listener's host decides what is bound:
 *   localhost        → 127.0.0.1 and ::1 (Node binds only the first address a name resolves to, and
 *                      clients resolve localhost to either, so both are bound on the same port)
 *   empty, ::        → every interface, IPv4 and IPv6 (dual-stack)
 *   0.0.0.0          → every IPv4 interface
 *   an IP literal    → that address
 *   another name     → every address it resolves to
 * advertised.listeners gives the address clients are told to use, per listener name.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { ConfigError } from './config.js';

export interface ListenerSpec {
  /** Listener name, e.g. PLAINTEXT. */
  readonly name: string;
  /** Host as written ('' for "every interface"); IPv6 without brackets. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface AdvertisedListener extends Endpoint {
  readonly name: string;
}

const LISTENER = /^([A-Za-z0-9_-]+):\/\/(\[[^\]]*\]|[^:/[\]]*):(\d+)$/;

export function parseListener(text: string, property = 'listeners'): ListenerSpec {
  const m = LISTENER.exec(text.trim());
  if (!m) throw new ConfigError(`${property}: "${text}" is not of the form NAME://host:port`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(`${property}: port ${port} is out of range`);
  const rawHost = m[2]!;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { name: m[1]!.toUpperCase(), host, port };
}

export function parseListeners(list: readonly string[], property = 'listeners'): ListenerSpec[] {
  const specs = list.map((l) => parseListener(l, property));
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new ConfigError(`${property}: listener name ${s.name} appears twice`);
    names.add(s.name);
  }
  if (property === 'listeners' && specs.length === 0) throw new ConfigError('listeners: at least one listener is needed');
  return specs;
}

/** Checks every listener name is mapped to a (PLAINTEXT) security protocol. */
export function checkSecurityMap(specs: readonly ListenerSpec[], map: readonly string[]): void {
  const known = new Set(map.map((pair) => pair.split(':')[0]!.toUpperCase()));
  for (const s of specs) {
    if (!known.has(s.name)) {
      throw new ConfigError(
        `listener ${s.name} has no entry in listener.security.protocol.map (add ${s.name}:PLAINTEXT)`,
      );
    }
  }
}

export function isWildcardHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** Addresses to bind for a listener host; undefined means "every interface" (Node's dual-stack default). */
export async function bindAddresses(host: string): Promise<Array<string | undefined>> {
  if (host === '' || host === '::') return [undefined];
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  if (isIP(host) !== 0) return [host];
  const found = await lookup(host, { all: true });
  return [...new Set(found.map((a) => a.address))];
}

/** Advertised endpoints, one per listener; `bound` gives the port actually bound per listener name. */
export function advertisedListeners(
  listeners: readonly ListenerSpec[],
  advertised: readonly ListenerSpec[] | null,
  bound: ReadonlyMap<string, number>,
): AdvertisedListener[] {
  return listeners.map((l) => {
    const explicit = advertised?.find((a) => a.name === l.name);
    const port = explicit && explicit.port !== 0 ? explicit.port : (bound.get(l.name) ?? l.port);
    let host = explicit ? explicit.host : l.host;
    if (isWildcardHost(host)) host = hostname();
    return { name: l.name, host, port };
  });
}

/** The address told to a client connected on listener `name` (the first listener's if none matches). */
export function listenerFor(listeners: readonly AdvertisedListener[], name: string): AdvertisedListener | undefined {
  return listeners.find((l) => l.name === name) ?? listeners[0];
}

/** `host:port`, with brackets around IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
