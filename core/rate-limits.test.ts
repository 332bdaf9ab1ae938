import { describe, expect, it } from 'vitest';
import { grantedUnits, leaseSize, secondsUntil, windowOf } from './rate-limits.ts';
import { limitedNetworkOf } from './tracking/networks.ts';

const MIN = 60_000;

describe('windowOf', () => {
  it.each([
    [0, MIN, { start: 0, end: MIN }],
    [MIN - 1, MIN, { start: 0, end: MIN }],
    [MIN, MIN, { start: MIN, end: 2 * MIN }],
    [Date.parse('2026-11-20T09:14:59.999Z'), 15 * MIN, { start: Date.parse('2026-11-20T09:00:00Z'), end: Date.parse('2026-11-20T09:15:00Z') }],
  ])('at %i with a window of %i ms → %j', (now, windowMs, expected) => {
    expect(windowOf(now, windowMs)).toEqual(expected);
  });
});

describe('secondsUntil', () => {
  it.each([
    [0, 60_000, 60],
    [59_001, 60_000, 1],
    [59_999, 60_000, 1],
    [60_000, 60_000, 1], // never 0: "retry now" would only be refused again
    [0, 1_500, 2],
  ])('from %i to %i → %i s', (now, end, seconds) => {
    expect(secondsUntil(now, end)).toBe(seconds);
  });
});

describe('leaseSize', () => {
  it.each([
    [200, true, 10],
    [10, true, 1],
    [1, true, 1],
    [200, false, 1],
  ])('limit %i, lease %s → %i', (limit, lease, size) => {
    expect(leaseSize(limit, lease)).toBe(size);
  });
});

describe('grantedUnits', () => {
  it.each([
    // limit, claimed, total after the claim → granted
    [10, 1, 1, 1],
    [10, 1, 10, 1], // the tenth request is the last one allowed
    [10, 1, 11, 0],
    [200, 10, 10, 10],
    [200, 10, 205, 5], // the lease straddles the limit: half of it is usable
    [200, 10, 210, 0],
    [200, 10, 500, 0],
  ])('limit %i, claimed %i, total %i → %i', (limit, claimed, total, granted) => {
    expect(grantedUnits(limit, claimed, total)).toBe(granted);
  });
});

describe('limitedNetworkOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1234:5678:9abc:def0:1:2', '2001:db8:1234:5678::/64'],
    ['2001:db8:1234:5678::ffff', '2001:db8:1234:5678::/64'],
    ['[2001:db8::1]', '2001:db8:0:0::/64'],
    ['not an address', null],
  ])('%s → %s', (ip, network) => {
    expect(limitedNetworkOf(ip)).toBe(network);
  });
});
