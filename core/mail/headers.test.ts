import { describe, expect, it } from 'vitest';
import { bulkHeadersOf, decodeEncodedWords, headerValue, parseAddressList, parseHeaderBlock, readMessageHeaders } from './headers.ts';
import { isRfcMessageId, normalizeMessageId } from './message-id.ts';

describe('normalizeMessageId', () => {
  it.each([
    ['<CAF=abc+1@mail.gmail.com>', '<CAF=abc+1@mail.gmail.com>'],
    ['  <abc@x.example>  ', '<abc@x.example>'],
    ['abc@x.example', '<abc@x.example>'],
    ['&lt;abc.def@x.example&gt;', '<abc.def@x.example>'],
    ['<abc@x.example> (added by a relay)', '<abc@x.example>'],
    ['<abc@\n x.example>', '<abc@x.example>'],
    ['<AbC@X.Example>', '<AbC@X.Example>'],
    ['', null],
    ['gmail:18c1f0e5a3b2c4d5', null],
    ['<no-at-sign>', null],
    ['<a@b@c>', null],
    [null, null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeMessageId(raw)).toBe(expected);
  });

  it.each([
    ['<abc@x.example>', true],
    ['gmail:18c1f0e5a3b2c4d5', false],
    ['outlook-sent:1b4e28ba-2fa1-11d2-883f-0016d3cca427', false],
    ['abc@x.example', false],
  ])('isRfcMessageId(%j) is %j', (id, expected) => {
    expect(isRfcMessageId(id)).toBe(expected);
  });
});

describe('parseHeaderBlock', () => {
  it('unfolds continuation lines, stops at the body and skips lines that are not fields', () => {
    const raw = 'From nobody Mon Jan  1 00:00:00 2026\r\nSubject: A long\r\n  subject line\r\nTo: a@x.example,\r\n\tb@x.example\r\nX-Empty:\r\n\r\nBody: not a header\r\n';
    expect(parseHeaderBlock(raw)).toEqual([
      { name: 'Subject', value: 'A long subject line' },
      { name: 'To', value: 'a@x.example, b@x.example' },
      { name: 'X-Empty', value: '' },
    ]);
  });

  it('finds a header without regard to case, the first one when repeated', () => {
    const fields = parseHeaderBlock('received: one\nReceived: two\nmessage-id: <m@x>\n');
    expect(headerValue(fields, 'Received')).toBe('one');
    expect(headerValue(fields, 'Message-ID')).toBe('<m@x>');
    expect(headerValue(fields, 'List-Id')).toBeUndefined();
  });
});

describe('decodeEncodedWords', () => {
  it.each([
    ['=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?=', 'Jürgen Müller'],
    ['=?iso-8859-1?Q?Fran=E7ois_Dupont?=', 'François Dupont'],
    ['=?utf-8?q?Caf=C3=A9?= =?utf-8?q?_cr=C3=A8me?=', 'Café crème'],
    ['Re: =?UTF-8?B?8J+Ygg==?= news', 'Re: 😂 news'],
    ['=?x-unknown?Q?plain?=', 'plain'],
    ['no encoding here', 'no encoding here'],
  ])('%j → %j', (input, expected) => {
    expect(decodeEncodedWords(input)).toBe(expected);
  });
});

describe('parseAddressList', () => {
  it.each([
    ['Ana Lima <Ana.Lima@Acme.example>', [{ name: 'Ana Lima', email: 'ana.lima@acme.example' }]],
    ['"Lima, Ana" <ana@acme.example>, bob@acme.example', [{ name: 'Lima, Ana', email: 'ana@acme.example' }, { name: '', email: 'bob@acme.example' }]],
    ['bob@acme.example (Bob Stone)', [{ name: 'Bob Stone', email: 'bob@acme.example' }]],
    ['=?UTF-8?B?SsO8cmdlbg==?= <j@x.example>', [{ name: 'Jürgen', email: 'j@x.example' }]],
    ['Team: a@x.example, b@x.example;, c@x.example', [{ name: '', email: 'a@x.example' }, { name: '', email: 'b@x.example' }, { name: '', email: 'c@x.example' }]],
    ['undisclosed-recipients:;', []],
    ['"a@x.example" <a@x.example>', [{ name: '', email: 'a@x.example' }]],
    ['"Quote \\" inside" <q@x.example>', [{ name: 'Quote " inside', email: 'q@x.example' }]],
    ['not an address, <also@bad>', []],
  ])('%j', (input, expected) => {
    expect(parseAddressList(input)).toEqual(expected);
  });
});

describe('bulkHeadersOf', () => {
  it('picks the four bulk-mail headers under their usual names, and nothing else', () => {
    const fields = parseHeaderBlock('list-unsubscribe: <mailto:u@x.example>\nLIST-ID: News <news.x.example>\nPrecedence: bulk\nAuto-Submitted: auto-generated\nX-Mailer: y\n');
    expect(bulkHeadersOf(fields)).toEqual({
      'List-Unsubscribe': '<mailto:u@x.example>',
      'List-Id': 'News <news.x.example>',
      Precedence: 'bulk',
      'Auto-Submitted': 'auto-generated',
    });
    expect(bulkHeadersOf(parseHeaderBlock('Subject: hi\n'))).toEqual({});
  });
});

describe('readMessageHeaders', () => {
  it('reads what the email log needs from a raw message, To apart from Cc', () => {
    const raw = [
      'Delivered-To: rep@northwind.example',
      'Message-ID: <CAHx9+abc@mail.gmail.com>',
      'From: =?UTF-8?Q?Olivia_P=C3=A9rez?= <olivia@acme-robotics.example>',
      'To: Rep One <rep@northwind.example>',
      'Cc: "Chen, Lee" <lee@acme-robotics.example>,',
      ' finance@acme-robotics.example',
      'Subject: =?UTF-8?Q?Pricing_=E2=80=94_next_year?=',
      'Date: Thu, 20 Nov 2026 09:30:00 +0100 (CET)',
      'Content-Type: text/plain',
      '',
      'Message-ID: <in-the-body@x>',
    ].join('\r\n');
    expect(readMessageHeaders(raw)).toEqual({
      messageId: '<CAHx9+abc@mail.gmail.com>',
      from: { name: 'Olivia Pérez', email: 'olivia@acme-robotics.example' },
      to: [{ name: 'Rep One', email: 'rep@northwind.example' }],
      cc: [
        { name: 'Chen, Lee', email: 'lee@acme-robotics.example' },
        { name: '', email: 'finance@acme-robotics.example' },
      ],
      subject: 'Pricing — next year',
      date: '2026-11-20T08:30:00.000Z',
      bulk: {},
    });
  });

  it('says null for what is missing or malformed instead of guessing', () => {
    expect(readMessageHeaders('Subject: hi\nMessage-ID: not-an-id\nDate: someday\n')).toMatchObject({ messageId: null, from: null, to: [], cc: [], date: null, subject: 'hi' });
    expect(readMessageHeaders('')).toMatchObject({ messageId: null, subject: null, bulk: {} });
  });
});
