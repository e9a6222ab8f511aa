import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/server/config.js';
import { resolveConfig } from '../../src/server/options.js';

function propsFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'brook-options-'));
  const file = join(dir, 'server.properties');
  writeFileSync(file, text);
  return file;
}

describe('resolveConfig', () => {
  it('layers file < config < flags < overrides', () => {
    const configFile = propsFile('num.partitions=2\nlog.dirs=/from/file\nnode.id=4\n');
    const c = resolveConfig({
      configFile,
      config: { 'num.partitions': 3, 'node.id': 5 },
      dataDir: '/from/flag',
      overrides: ['node.id=6'],
    });
    expect(c.get('num.partitions')).toBe(3);
    expect(c.dataDir).toBe('/from/flag');
    expect(c.nodeId).toBe(6);
    expect(c.entry('node.id')?.source).toBe('override');
  });

  it('--host/--port rewrite the first listener and keep the others', () => {
    expect(resolveConfig({ port: 0 }).get('listeners')).toEqual(['PLAINTEXT://localhost:0']);
    expect(resolveConfig({ host: '::' , port: 9 }).get('listeners')).toEqual(['PLAINTEXT://[::]:9']);
    const c = resolveConfig({
      config: { listeners: 'INTERNAL://:9092,EXTERNAL://0.0.0.0:9093' },
      host: '127.0.0.1',
    });
    expect(c.get('listeners')).toEqual(['INTERNAL://127.0.0.1:9092', 'EXTERNAL://0.0.0.0:9093']);
  });

  it('--memory selects memory storage', () => {
    expect(resolveConfig({ memory: true }).inMemory).toBe(true);
    expect(resolveConfig({}).inMemory).toBe(false);
  });

  it('reports a missing file and bad overrides as ConfigError', () => {
    expect(() => resolveConfig({ configFile: '/no/such/server.properties' })).toThrow(ConfigError);
    expect(() => resolveConfig({ overrides: ['nonsense'] })).toThrow(/key=value/);
    expect(() => resolveConfig({ port: 70000 })).toThrow(/out of range/);
  });
});
