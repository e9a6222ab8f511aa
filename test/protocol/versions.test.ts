import { describe, expect, it } from 'vitest';
import { inVersions, listVersions, parseVersions } from '../../src/protocol/schema/versions.js';

describe('version ranges', () => {
  it('parses the four forms Kafka uses', () => {
    expect(parseVersions('0+')).toEqual({ min: 0, max: Infinity, empty: false });
    expect(parseVersions('3-7')).toEqual({ min: 3, max: 7, empty: false });
    expect(parseVersions('5')).toEqual({ min: 5, max: 5, empty: false });
    expect(parseVersions('none').empty).toBe(true);
  });
  it('answers membership', () => {
    expect(inVersions('3+', 2)).toBe(false);
    expect(inVersions('3+', 300)).toBe(true);
    expect(inVersions('3-7', 7)).toBe(true);
    expect(inVersions('3-7', 8)).toBe(false);
    expect(inVersions('5', 5)).toBe(true);
    expect(inVersions('none', 0)).toBe(false);
    expect(inVersions(undefined, 0)).toBe(false);
  });
  it('lists closed ranges and rejects nonsense', () => {
    expect(listVersions('0-4')).toEqual([0, 1, 2, 3, 4]);
    expect(listVersions('none')).toEqual([]);
    expect(() => listVersions('1+')).toThrow();
    for (const bad of ['', '1-', '+1', '7-3', 'all', '1.5']) expect(() => parseVersions(bad)).toThrow(/invalid version range/);
  });
});
