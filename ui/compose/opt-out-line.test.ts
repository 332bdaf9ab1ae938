// @vitest-environment happy-dom
// The opt-out line is the one change a tracked body may add to what the rep reads: the rep's text,
// then a short line. Anything else changed still sends the mail untracked.
import { describe, expect, it } from 'vitest';
import { sameTextPlusOptOutLine } from './compose-state.ts';

const text = (html: string) => new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
const line = '<p style="font-size:12px">Don’t want the sender to see when you open this email? <a href="https://t.test/u/x">Stop tracking my opens</a></p>';

describe('sameTextPlusOptOutLine', () => {
  it.each([
    ['the rep’s text and the opt-out line', '<p>Hi <a href="https://a.test">pricing</a></p>', `<p>Hi <a href="https://t.test/c/1">pricing</a></p>${line}<img src="https://t.test/o/p.gif">`, true],
    ['the rep’s text alone (opt-out refused by consent)', '<p>Hi</p>', '<p>Hi</p><img src="https://t.test/o/p.gif">', true],
    ['a changed word', '<p>Hi Ann</p>', `<p>Hi Bob</p>${line}`, false],
    ['text put before the rep’s', '<p>Hi</p>', `<p>Note:</p><p>Hi</p>`, false],
    ['a long addition', '<p>Hi</p>', `<p>Hi</p><p>${'x'.repeat(300)}</p>`, false],
  ])('%s → %s', (_case, original, tracked, expected) => {
    expect(sameTextPlusOptOutLine(original, tracked, text)).toBe(expected);
  });
});
