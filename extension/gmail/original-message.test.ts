// Reading a Gmail message's own headers from the "Show original" page: the URL for the mailbox on
// screen, the header block out of the page (HTML-escaped, folded lines), one request per message,
// spaced out, and null (so the caller falls back to Gmail's id) for a login page or an error.
import { describe, expect, it } from 'vitest';
import { accountPathOf, createOriginalReader, originalMessageUrl, parseOriginalMessagePage } from './original-message.ts';

/** As Gmail's page shows a raw message: escaped inside <pre id="raw_message_text">. */
const page = (raw: string) =>
  `<html><head><title>Original Message</title></head><body><table><tr><td>Message ID</td><td>&lt;CAx1@mail.gmail.com&gt;</td></tr></table>` +
  `<pre class="raw_message_text" id="raw_message_text">${raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre></body></html>`;

const raw = [
  'Delivered-To: robin@seller.test',
  'Received: by 2002:a05:6a10 with SMTP id x;',
  '        Thu, 20 Nov 2026 01:30:00 -0800 (PST)',
  'From: Bea Buyer <bea@buyer.test>',
  'To: "Robin Rep" <robin@seller.test>',
  'Cc: Carl Finance <carl@buyer.test>,',
  ' Dana <dana@buyer.test>',
  'Subject: Pricing for 2027',
  'Message-ID: <CAx1+pricing@mail.gmail.com>',
  'List-Unsubscribe: <mailto:unsub@buyer.test>',
  '',
  'Hi Robin, Message-ID: <not-this@x.test> in the body',
].join('\r\n');

describe('parseOriginalMessagePage', () => {
  it('reads the Message-ID, To and Cc (folded) and the bulk headers from the header block only', () => {
    expect(parseOriginalMessagePage(page(raw))).toEqual({
      messageId: '<CAx1+pricing@mail.gmail.com>',
      to: [{ name: 'Robin Rep', email: 'robin@seller.test' }],
      cc: [
        { name: 'Carl Finance', email: 'carl@buyer.test' },
        { name: 'Dana', email: 'dana@buyer.test' },
      ],
      bulk: { 'List-Unsubscribe': '<mailto:unsub@buyer.test>' },
    });
  });

  it('gives null for a login page or a message without a Message-ID', () => {
    expect(parseOriginalMessagePage('<html><body><form action="https://accounts.google.com/signin">Sign in</form></body></html>')).toBeNull();
    expect(parseOriginalMessagePage(page('From: a@b.test\r\nSubject: x\r\n\r\nbody'))).toBeNull();
  });
});

describe('originalMessageUrl', () => {
  it.each([
    ['/mail/u/0/', '/mail/u/0'],
    ['/mail/u/2/#inbox/FMfcg', '/mail/u/2'],
    ['/mail/b/delegate@x.test/u/1/#inbox', '/mail/b/delegate@x.test/u/1'],
    ['/', '/mail/u/0'],
  ])('keeps the account of %s', (pathname, expected) => expect(accountPathOf(pathname)).toBe(expected));

  it('asks by permmsgid, turning a legacy hex id into its decimal msg-f form', () => {
    expect(originalMessageUrl('https://mail.google.com', '/mail/u/1/', '18c1f0e5a3b2c4d1', 'abc123')).toBe(
      `https://mail.google.com/mail/u/1/?ik=abc123&view=om&permmsgid=msg-f%3A${BigInt('0x18c1f0e5a3b2c4d1').toString(10)}`,
    );
    expect(originalMessageUrl('https://mail.google.com', '/mail/u/0/', 'msg-a:r-123456789012', null)).toBe('https://mail.google.com/mail/u/0/?view=om&permmsgid=msg-a%3Ar-123456789012');
    expect(originalMessageUrl('https://mail.google.com', '/mail/u/0/', 'not an id', null)).toBeNull();
  });
});

describe('createOriginalReader', () => {
  it('asks Gmail once per message, one request at a time, and falls back (null) on errors without caching them', async () => {
    const asked: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let fail = true;
    const fetch = (async (url: string) => {
      asked.push(url);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (url.includes('1234567890123') && fail) return new Response('err', { status: 500 });
      return new Response(page(raw), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const read = createOriginalReader({ fetch, location: { origin: 'https://mail.google.com', pathname: '/mail/u/0/' }, spacingMs: 1 });
    const [a, b, again] = await Promise.all([read('18c1f0e5a3b2c4d1'), read('msg-f:1234567890123'), read('18c1f0e5a3b2c4d1')]);
    expect(a?.messageId).toBe('<CAx1+pricing@mail.gmail.com>');
    expect(again).toBe(a);
    expect(b).toBeNull();
    expect(asked).toHaveLength(2);
    expect(maxInFlight).toBe(1);
    fail = false;
    expect((await read('msg-f:1234567890123'))?.messageId).toBe('<CAx1+pricing@mail.gmail.com>');
    expect(asked).toHaveLength(3);
  });
});
