import { describe, expect, it } from 'vitest';
import { parseRecipients, replyRecipients, replySubject, textToHtml } from './compose-fields.ts';

const ann = { name: 'Ann Lee', email: 'ann@acme.test' };
const bob = { name: '', email: 'bob@acme.test' };
const me = { name: 'Robin Rep', email: 'robin@seller.test' };

describe('parseRecipients', () => {
  it.each([
    ['ann@acme.test', [{ name: '', email: 'ann@acme.test' }], []],
    ['Ann Lee <Ann@Acme.test>, bob@acme.test', [{ name: 'Ann Lee', email: 'ann@acme.test' }, bob], []],
    ['"Lee, Ann" <ann@acme.test>; bob@acme.test;', [{ name: 'Lee, Ann', email: 'ann@acme.test' }, bob], []],
    ['ann@acme.test, not an address, ann@acme.test', [{ name: '', email: 'ann@acme.test' }], ['not an address']],
    ['  ', [], []],
  ])('%j', (text, people, invalid) => expect(parseRecipients(text)).toEqual({ people, invalid }));
});

describe('textToHtml', () => {
  it('keeps paragraphs and line breaks, escapes markup and makes URLs links', () => {
    expect(textToHtml('Hi Ann,\n\nThe plan: https://acme.example/pricing?plan=team&seats=20.\nSee <this> & that\n\nBest,\nRobin')).toBe(
      '<p>Hi Ann,</p>\n' +
        '<p>The plan: <a href="https://acme.example/pricing?plan=team&amp;seats=20">https://acme.example/pricing?plan=team&amp;seats=20</a>.<br>See &lt;this&gt; &amp; that</p>\n' +
        '<p>Best,<br>Robin</p>',
    );
  });

  it('leaves closing punctuation and quotes out of the link', () => {
    expect(textToHtml('(see https://a.example/x), or "https://b.example/y"!')).toBe(
      '<p>(see <a href="https://a.example/x">https://a.example/x</a>), or &quot;<a href="https://b.example/y">https://b.example/y</a>&quot;!</p>',
    );
  });
});

describe('replies', () => {
  it('answer the sender of the last message, keeping the others in cc, never the rep', () => {
    expect(replyRecipients({ from: ann, to: [me, bob], cc: [{ name: 'Cy', email: 'cy@acme.test' }] }, me.email)).toEqual({ to: [ann], cc: [bob, { name: 'Cy', email: 'cy@acme.test' }] });
  });

  it('after the rep’s own last message, go to the same people again', () => {
    expect(replyRecipients({ from: me, to: [ann], cc: [bob] }, 'ROBIN@seller.test')).toEqual({ to: [ann], cc: [bob] });
  });

  it.each([
    ['Proposal', 'Re: Proposal'],
    ['Re: Proposal', 'Re: Proposal'],
    ['RE: Proposal ', 'RE: Proposal'],
  ])('subject %j → %j', (subject, expected) => expect(replySubject(subject)).toBe(expected));
});
