import { describe, expect, it } from 'vitest';
import { prefixUpperBound, searchWords } from './search.ts';

describe('searchWords', () => {
  it.each([
    ['Jane', ['jane']],
    ['  jane   DOE ', ['jane', 'doe']],
    ['jane.doe@acme.com', ['jane', 'doe', 'acme', 'com']],
    ['O\'Brien', ['o', 'brien']],
    ['José Müller', ['josé', 'müller']],
    ['a a a', ['a']],
    ['---', []],
    ['one two three four five six', ['one', 'two', 'three', 'four', 'five']],
  ])('%j → %j', (query, words) => {
    expect(searchWords(query)).toEqual(words);
  });
});

describe('prefixUpperBound', () => {
  it.each([
    ['smi', 'smj'],
    ['az', 'a{'],
    ['jos\u00e9', 'jos\u00ea'],
  ])('%s → %s', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });

  it('bounds exactly the strings that start with the prefix (byte order)', () => {
    const words = ['smith', 'smiley', 'smj', 'smi', 'sm', 'snow', 'smi\u00e9'];
    const inside = words.filter((w) => w >= 'smi' && w < prefixUpperBound('smi'));
    expect(inside.sort()).toEqual(['smi', 'smiley', 'smith', 'smi\u00e9'].sort());
  });
});
