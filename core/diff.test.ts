import { describe, expect, it } from 'vitest';
import { fieldChanges } from './diff.ts';

describe('fieldChanges', () => {
  it.each([
    [{ a: 1 }, { a: 2 }, { a: { old: 1, new: 2 } }],
    [{ a: 1 }, { a: 1 }, {}],
    [{ a: 1 }, { a: undefined }, {}],
    [{}, { a: 'x' }, { a: { old: null, new: 'x' } }],
    [{ tags: ['a'] }, { tags: ['a'] }, {}],
    [{ tags: ['a'] }, { tags: ['a', 'b'] }, { tags: { old: ['a'], new: ['a', 'b'] } }],
    [{ at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-01T00:00:00Z') }, {}],
    [{ v: null }, { v: null }, {}],
  ])('%j → %j gives %j', (prev, next, expected) => {
    expect(fieldChanges(prev, next)).toEqual(expected);
  });
});
