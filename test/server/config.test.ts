import { describe, expect, it } from 'vitest';
import { BrokerConfig, ConfigError, parseOverride, parseProperties, parseTopicConfig } from '../../src/server/config.js';
import { CONFIG_DEFS } from '../../src/server/config-defs.js';
import { advertisedListeners, parseListener, parseListeners } from '../../src/server/listeners.js';

describe('parseProperties', () => {
  it('reads Java .properties syntax', () => {
    const props = parseProperties(
      [
        '# a comment',
        '! another',
        '',
        'node.id=3',
        '  log.dirs : /tmp/a',
        'num.partitions 4',
        'listeners=PLAINTEXT://:9092,\\',
        '    OTHER://:9093',
        'key\\=with\\:seps=v\\u0041l',
        'empty=',
      ].join('\n'),
    );
    expect(Object.fromEntries(props)).toEqual({
      'node.id': '3',
      'log.dirs': '/tmp/a',
      'num.partitions': '4',
      listeners: 'PLAINTEXT://:9092,OTHER://:9093',
      'key=with:seps': 'vAl',
      empty: '',
    });
  });

  it('parses --override key=value', () => {
    expect(parseOverride('log.retention.ms=1000')).toEqual(['log.retention.ms', '1000']);
    expect(parseOverride('a=b=c')).toEqual(['a', 'b=c']);
    expect(() => parseOverride('novalue')).toThrow(ConfigError);
  });
});

describe('BrokerConfig', () => {
  it('has Kafka defaults and Brook defaults', () => {
    const c = new BrokerConfig();
    expect(c.nodeId).toBe(0);
    expect(c.get('socket.request.max.bytes')).toBe(104857600);
    expect(c.get('connections.max.idle.ms')).toBe(600000);
    expect(c.get('listeners')).toEqual(['PLAINTEXT://localhost:9092']);
    expect(c.get('advertised.listeners')).toBeNull();
    expect(c.dataDir).toBe('./data');
    expect(c.inMemory).toBe(false);
    expect(c.retentionMs).toBe(168 * 3_600_000);
  });

  it('applies layers in order and remembers the source', () => {
    const c = new BrokerConfig([
      { source: 'file', values: new Map([['num.partitions', '3'], ['log.retention.hours', '1']]) },
      { source: 'override', values: { 'num.partitions': 5 } },
    ]);
    expect(c.get('num.partitions')).toBe(5);
    expect(c.entry('num.partitions')?.source).toBe('override');
    expect(c.entry('log.retention.hours')?.source).toBe('file');
    expect(c.entry('message.max.bytes')?.source).toBe('default');
    expect(c.retentionMs).toBe(3_600_000);
  });

  it('derives node.id from broker.id and retention from minutes/ms as Kafka does', () => {
    expect(new BrokerConfig([{ source: 'file', values: { 'broker.id': 7 } }]).nodeId).toBe(7);
    expect(new BrokerConfig([{ source: 'file', values: { 'broker.id': 7, 'node.id': 2 } }]).nodeId).toBe(2);
    const c = new BrokerConfig([{ source: 'file', values: { 'log.retention.minutes': 2, 'log.retention.hours': 5 } }]);
    expect(c.retentionMs).toBe(120_000);
    expect(new BrokerConfig([{ source: 'file', values: { 'log.retention.ms': -1 } }]).retentionMs).toBe(-1);
  });

  it('rejects bad values with the property name in the message', () => {
    expect(() => new BrokerConfig([{ source: 'file', values: { 'num.partitions': 'many' } }])).toThrow(
      /num\.partitions: expected an integer/,
    );
    expect(() => new BrokerConfig([{ source: 'file', values: { 'num.partitions': 0 } }])).toThrow(/at least 1/);
    expect(() => new BrokerConfig([{ source: 'file', values: { 'auto.create.topics.enable': 'yes' } }])).toThrow(
      ConfigError,
    );
    expect(() => new BrokerConfig([{ source: 'file', values: { 'socket.request.max.bytes': 2 ** 31 } }])).toThrow(
      /out of range/,
    );
    expect(
      () => new BrokerConfig([{ source: 'file', values: { 'listener.security.protocol.map': 'PLAINTEXT:SSL' } }]),
    ).toThrow(/only PLAINTEXT/);
  });

  it('keeps unknown properties aside instead of failing (as Kafka warns and carries on)', () => {
    const c = new BrokerConfig([{ source: 'file', values: { 'zookeeper.connect': 'x:2181' } }]);
    expect(c.unknown.get('zookeeper.connect')).toBe('x:2181');
  });

  it('gives topic defaults from their broker synonyms', () => {
    const c = new BrokerConfig([
      {
        source: 'file',
        values: { 'log.segment.bytes': 1024, 'log.retention.hours': 2, 'log.cleanup.policy': 'compact,delete' },
      },
    ]);
    expect(c.topicDefault('segment.bytes')).toBe(1024);
    expect(c.topicDefault('retention.ms')).toBe(7_200_000);
    expect(c.topicDefault('cleanup.policy')).toEqual(['compact', 'delete']);
    expect(c.topicDefault('max.message.bytes')).toBe(1048588);
    expect(c.topicDefault('segment.ms')).toBe(604_800_000);
    expect(c.topicDefault('flush.messages')).toBe(9223372036854775807);
    expect(c.topicDefaults().size).toBeGreaterThan(20);
  });

  it('validates topic configs by name', () => {
    expect(parseTopicConfig('retention.ms', '1000')).toBe(1000);
    expect(() => parseTopicConfig('retention.ms', 'soon')).toThrow(ConfigError);
    expect(() => parseTopicConfig('message.timestamp.type', 'Whenever')).toThrow(/CreateTime, LogAppendTime/);
    expect(() => parseTopicConfig('no.such', '1')).toThrow(/Unknown topic config/);
  });

  it('documents every property', () => {
    for (const def of CONFIG_DEFS) expect(def.doc.length, def.name).toBeGreaterThan(5);
  });
});

describe('listeners', () => {
  it('parses Kafka listener forms', () => {
    expect(parseListener('PLAINTEXT://localhost:9092')).toEqual({ name: 'PLAINTEXT', host: 'localhost', port: 9092 });
    expect(parseListener('PLAINTEXT://:9092')).toEqual({ name: 'PLAINTEXT', host: '', port: 9092 });
    expect(parseListener('EXTERNAL://[::1]:0')).toEqual({ name: 'EXTERNAL', host: '::1', port: 0 });
    expect(parseListener('plaintext://0.0.0.0:19092').name).toBe('PLAINTEXT');
    expect(() => parseListener('localhost:9092')).toThrow(ConfigError);
    expect(() => parseListener('PLAINTEXT://h:70000')).toThrow(/out of range/);
    expect(() => parseListeners(['A://:1', 'A://:2'])).toThrow(/twice/);
  });

  it('advertises the bound port and explicit advertised hosts', () => {
    const listeners = parseListeners(['PLAINTEXT://localhost:0', 'DOCKER://0.0.0.0:29092']);
    const advertised = parseListeners(['DOCKER://brook:29092'], 'advertised.listeners');
    expect(advertisedListeners(listeners, advertised, new Map([['PLAINTEXT', 41234]]))).toEqual([
      { name: 'PLAINTEXT', host: 'localhost', port: 41234 },
      { name: 'DOCKER', host: 'brook', port: 29092 },
    ]);
  });
});
