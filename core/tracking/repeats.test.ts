import { describe, expect, it } from 'vitest';
import type { Classification } from './classify.ts';
import { countRepeatsOnce, repeatKey, type RepeatCandidate } from './repeats.ts';

const S = 1000;
const human: Classification = { class: 'human', counts: true, confidence: 'probable', reason: 'client_open', explanation: '' };
const proxy: Classification = { class: 'image_proxy', counts: true, confidence: 'probable', reason: 'image_proxy_open', explanation: '' };
const scanner: Classification = { class: 'scanner', counts: false, confidence: 'certain', reason: 'http_library', explanation: '' };

const open = (at: number, extra: Partial<RepeatCandidate> = {}): RepeatCandidate => ({
  messageId: 'm1',
  recipient: null,
  kind: 'open',
  linkIndex: null,
  at,
  source: '203.0.113.0/24',
  ...extra,
});
const click = (at: number, linkIndex: number, extra: Partial<RepeatCandidate> = {}) => open(at, { kind: 'click', linkIndex, ...extra });

/** Which of the hits still count after repeats are folded. */
const counting = (hits: RepeatCandidate[], classes: Classification[] = hits.map(() => human), before: Record<string, number[]> = {}) =>
  countRepeatsOnce(hits.map((hit, i) => ({ hit, classification: classes[i]! })), (key) => before[key] ?? []).map((s) => s.classification.counts);

describe('countRepeatsOnce', () => {
  it.each<[string, RepeatCandidate[], boolean[]]>([
    ['600 loads in one second count once', Array.from({ length: 600 }, (_, i) => open(i)), [true, ...Array<boolean>(599).fill(false)]],
    ['a reload after the window counts again', [open(0), open(61 * S)], [true, true]],
    ['a reload at 59 s does not', [open(0), open(59 * S)], [true, false]],
    ['the window is anchored on the counted hit, not on each repeat', [open(0), open(40 * S), open(80 * S)], [true, false, true]],
    ['another network counts on its own', [open(0), open(S, { source: '198.51.100.0/24' })], [true, true]],
    ['another recipient counts on its own', [open(0, { recipient: 'r1' }), open(S, { recipient: 'r2' })], [true, true]],
    ['another message counts on its own', [open(0), open(S, { messageId: 'm2' })], [true, true]],
    ['151 clicks on one link count once', Array.from({ length: 151 }, (_, i) => click(i * 10, 0)), [true, ...Array<boolean>(150).fill(false)]],
    ['clicks on different links each count', [click(0, 0), click(S, 1), click(2 * S, 0)], [true, true, false]],
    ['an open and a click are different things', [open(0), click(S, 0)], [true, true]],
    ['out of order, the earliest counts', [open(30 * S), open(0)], [false, true]],
  ])('%s', (_name, hits, expected) => {
    expect(counting(hits)).toEqual(expected);
  });

  it('leaves hits that did not count alone, and does not let them anchor a window', () => {
    expect(counting([open(0), open(S)], [scanner, human])).toEqual([false, true]);
  });

  it('folds any counting class: an image proxy reloading is one open', () => {
    expect(counting([open(0), open(S)], [proxy, proxy])).toEqual([true, false]);
  });

  it('sees what counted in earlier batches, before or after', () => {
    const key = repeatKey(open(0));
    expect(counting([open(100 * S)], undefined, { [key]: [70 * S] })).toEqual([false]);
    expect(counting([open(100 * S)], undefined, { [key]: [130 * S] })).toEqual([false]);
    expect(counting([open(100 * S)], undefined, { [key]: [30 * S] })).toEqual([true]);
  });

  it('marks repeats as such, with a reason and a sentence', () => {
    const [, second] = countRepeatsOnce([open(0), open(S)].map((hit) => ({ hit, classification: human })), () => []);
    expect(second!.classification).toMatchObject({ class: 'repeat', counts: false, confidence: 'certain', reason: 'repeated_load' });
    expect(second!.classification.explanation).toMatch(/counted once/);
  });
});
