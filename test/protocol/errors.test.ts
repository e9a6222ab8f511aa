import { describe, expect, it } from 'vitest';
import { ERRORS, ErrorCode, errorInfo, errorMessage, errorName, isRetriable } from '../../src/protocol/errors.js';

describe('error table', () => {
  it('holds the well-known codes with their Kafka names', () => {
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.OFFSET_OUT_OF_RANGE).toBe(1);
    expect(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).toBe(3);
    expect(ErrorCode.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.INVALID_REQUEST).toBe(42);
    expect(ErrorCode.FENCED_MEMBER_EPOCH).toBe(110);
    expect(ErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
    expect(errorName(27)).toBe('REBALANCE_IN_PROGRESS');
    expect(errorName(12345)).toBe('UNKNOWN_ERROR_CODE_12345');
  });
  it('marks retriable codes as Kafka does', () => {
    expect(isRetriable(ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBe(true);
    expect(isRetriable(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)).toBe(true);
    expect(isRetriable(ErrorCode.TOPIC_AUTHORIZATION_FAILED)).toBe(false);
    expect(isRetriable(ErrorCode.UNKNOWN_SERVER_ERROR)).toBe(false);
    expect(isRetriable(999)).toBe(false);
  });
  it('is contiguous from -1 to the newest code, one name per code, each with a message', () => {
    const codes = ERRORS.map((e) => e.code);
    for (let c = -1; c <= Math.max(...codes); c++) expect(codes).toContain(c);
    expect(new Set(ERRORS.map((e) => e.name)).size).toBe(ERRORS.length);
    for (const e of ERRORS) {
      expect(errorInfo(e.code)).toBe(e);
      expect(errorMessage(e.code).length).toBeGreaterThan(3);
      expect((ErrorCode as Record<string, number>)[e.name]).toBe(e.code);
    }
  });
});
