// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { titleFromSignature } from '../../core/signature-title.ts';
import { plainTextOf } from './message-text.ts';

const body = (html: string) => {
  const el = document.createElement('div');
  el.innerHTML = html;
  return el;
};

describe('a Gmail message body as plain text', () => {
  it('keeps the lines of <br> and <div>, so the signature title can be read', () => {
    const text = plainTextOf(body(
      '<div dir="ltr">Hi Robin,<br><br>Could we see a demo next week?<br><br>Best,<div>Dana Whitfield</div><div>Head of Sales Operations, Brightpath</div></div>',
    ));
    expect(text).toBe('Hi Robin,\n\nCould we see a demo next week?\n\nBest,\nDana Whitfield\nHead of Sales Operations, Brightpath');
    expect(titleFromSignature(text, 'Dana Whitfield')).toBe('Head of Sales Operations');
  });

  it('leaves out quoted earlier mail, whose signature is someone else’s', () => {
    const text = plainTextOf(body(
      '<div>Sounds good.<br>Dana</div><div class="gmail_quote"><div>On Mon, Robin wrote:</div><blockquote>Thanks<br>Robin Rep<br>Account Executive, Seller</blockquote></div>',
    ));
    expect(text).toBe('Sounds good.\nDana');
  });

  it('takes text as is from an element without child nodes', () => {
    expect(plainTextOf({ nodeType: 1, nodeName: 'DIV', textContent: 'a\nb' })).toBe('a\nb');
  });
});
