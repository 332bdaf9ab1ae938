import { describe, expect, it } from 'vitest';
import { decodeAttributeValue, decorateHtml } from './decorate-html.ts';
import { clickUrl, pixelUrl, signToken, verifyToken } from './tokens.ts';

const keyring = { currentKeyId: 'k1', keys: { k1: 'k1-secret-0123456789abcdef0123456789abcdef' } };
const BASE = 'https://t.example.com';
const MESSAGE = '0b4e7c2a-7d1f-4f3e-9a51-2c8d6e4f1a90';
const RECIPIENT = '5f0c8a3e-1b2d-4c6e-8f9a-0d1e2f3a4b5c';

const decorate = (html: string, extra: { honeypot?: boolean; recipient?: string | null } = {}) =>
  decorateHtml({ html, baseUrl: BASE, keyring, messageId: MESSAGE, recipient: extra.recipient ?? null, honeypot: extra.honeypot });

/** The click URL the decoration must produce for link `index` to `url` (tokens are deterministic). */
const expectedClick = (index: number, url: string, recipient: string | null = null) =>
  clickUrl(BASE, signToken({ kind: 'click', messageId: MESSAGE, recipient, linkIndex: index, url }, keyring));
const expectedPixel = (recipient: string | null = null) => pixelUrl(BASE, signToken({ kind: 'open', messageId: MESSAGE, recipient }, keyring));
const pixelTag = (recipient: string | null = null) =>
  `<img src="${expectedPixel(recipient)}" width="1" height="1" alt="" style="width:1px;height:1px;border:0">`;

/** Every href in the output, entity-decoded. */
const hrefsOf = (html: string) => [...html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => decodeAttributeValue(m[1] ?? m[2] ?? m[3] ?? ''));

describe('decorateHtml', () => {
  it('changes nothing but the http(s) hrefs and the appended pixel', () => {
    const html = [
      '<!DOCTYPE html><html><head><title>Hi <a href="https://in-title.example/">x</a></title>',
      '<style>a[href^="https://in-style.example"] { color: red }</style></head>',
      '<body style="margin:0">',
      '  <p>Hello Ana,</p>',
      '  <p>See <A HREF="https://example.com/pricing?plan=pro&amp;utm_source=mail" target=_blank class="btn">pricing</A>',
      "  and <a title='a > b' data-href=\"https://not-this.example\" href='https://example.com/docs#start'>docs</a>.</p>",
      '  <a href=https://example.com/unquoted>unquoted</a>',
      '  <a href="mailto:ana@example.com">mail me</a> <a href="tel:+331234">call</a> <a href="#top">top</a>',
      '  <a href="/relative">relative</a> <a href="javascript:void(0)">js</a> <a name="anchor">no href</a>',
      '  <!-- <a href="https://commented-out.example/">old</a> -->',
      '  <!--[if mso]><a href="https://outlook-only.example/">Outlook</a><![endif]-->',
      '  <abbr title="x">abbr</abbr> <area href="https://area.example/"> <img src="https://cdn.example.com/logo.png" alt="logo">',
      '  <script>var s = \'<a href="https://in-script.example/">\';</script>',
      '</body></html>',
    ].join('\n');

    const result = decorate(html);

    const targets = [
      ['https://example.com/pricing?plan=pro&amp;utm_source=mail', 'https://example.com/pricing?plan=pro&utm_source=mail'],
      ['https://example.com/docs#start', 'https://example.com/docs#start'],
      ['https://example.com/unquoted', 'https://example.com/unquoted'],
      ['https://outlook-only.example/', 'https://outlook-only.example/'],
    ] as const;
    expect(result.links).toEqual(targets.map(([, url], index) => ({ index, url })));

    let expected = html;
    targets.forEach(([raw, url], index) => {
      const tracked = expectedClick(index, url).replace(/&/g, '&amp;');
      expected = expected.replace(raw === 'https://example.com/unquoted' ? `href=${raw}` : raw, raw === 'https://example.com/unquoted' ? `href="${tracked}"` : tracked);
    });
    expected = expected.replace('</body>', `${pixelTag()}</body>`);
    expect(result.html).toBe(expected);
    expect(result.pixelUrl).toBe(expectedPixel());
  });

  it('makes each click URL verify to the exact target and its index', () => {
    const { html } = decorate('<a href="https://a.example/x">A</a><a href="https://b.example/y?q=1&amp;r=2">B</a>');
    const tokens = hrefsOf(html).map((href) => verifyToken(href!.slice(`${BASE}/c/`.length), keyring));
    expect(tokens).toEqual([
      { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 0, url: 'https://a.example/x', keyId: 'k1' },
      { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 1, url: 'https://b.example/y?q=1&r=2', keyId: 'k1' },
    ]);
  });

  it.each([
    ['mailto', '<a href="mailto:ana@example.com?subject=Hi">write</a>'],
    ['tel', '<a href="tel:+33123456789">call</a>'],
    ['an in-page anchor', '<a href="#section-2">jump</a>'],
    ['a relative link', '<a href="../page.html">page</a>'],
    ['javascript:', '<a href="javascript:alert(1)">x</a>'],
    ['an empty href', '<a href="">x</a>'],
    ['an href without value', '<a href>x</a>'],
    ['a named entity we cannot decode for sure', '<a href="https://example.com/?a=1&copy;2">x</a>'],
    ['a legacy entity without semicolon', '<a href="https://example.com/?x=1&copy">x</a>'],
    ['a link already on the tracking host (opt-out)', `<a href="${BASE}/unsubscribe/abc">unsubscribe</a>`],
    ['an unclosed quote', '<a href="https://example.com/ title=x>broken</a>'],
  ])('leaves %s untouched', (_name, body) => {
    const result = decorate(body);
    expect(result.links).toEqual([]);
    expect(result.html).toBe(body + pixelTag());
  });

  it('keeps parameters that only look like entities', () => {
    const result = decorate('<a href="https://example.com/?a=1&copy=2&lang=en&notify">x</a>');
    expect(result.links).toEqual([{ index: 0, url: 'https://example.com/?a=1&copy=2&lang=en&notify' }]);
  });

  it('decodes numeric references and trims whitespace as a browser does', () => {
    const result = decorate('<a href="  https://example.com/&#x61;b&#99;?q=a&#32;b \n">x</a>');
    expect(result.links).toEqual([{ index: 0, url: 'https://example.com/abc?q=a%20b' }]);
  });

  it('appends the pixel at the end when there is no </body>', () => {
    expect(decorate('<p>Hi</p>').html).toBe(`<p>Hi</p>${pixelTag()}`);
  });

  it('names the recipient in every token when given one', () => {
    const result = decorate('<a href="https://example.com/">x</a>', { recipient: RECIPIENT });
    expect(verifyToken(result.pixelUrl.slice(`${BASE}/o/`.length, -'.gif'.length), keyring)).toMatchObject({ kind: 'open', recipient: RECIPIENT });
    expect(verifyToken(hrefsOf(result.html)[0]!.slice(`${BASE}/c/`.length), keyring)).toMatchObject({ kind: 'click', recipient: RECIPIENT });
  });

  it('adds a honeypot only when asked, hidden and without text, that verifies as a honeypot', () => {
    expect(decorate('<body><p>Hi</p></body>').html).not.toContain('aria-hidden');

    const result = decorate('<body><p>Hi</p></body>', { honeypot: true });
    const trap = /<a href="([^"]+)" style="display:none" aria-hidden="true" tabindex="-1"><\/a>/.exec(result.html);
    expect(trap).not.toBeNull();
    expect(result.links).toEqual([]);
    expect(verifyToken(trap![1]!.slice(`${BASE}/c/`.length), keyring)).toEqual({ kind: 'honeypot', messageId: MESSAGE, recipient: null, keyId: 'k1' });
    // Nothing the reader can see was added: strip tags and the text is unchanged.
    expect(result.html.replace(/<[^>]*>/g, '')).toBe('Hi');
  });

  it('refuses a base URL that is not plain http(s)', () => {
    expect(() => decorateHtml({ html: '', baseUrl: 'javascript:alert(1)', keyring, messageId: MESSAGE, recipient: null })).toThrow(RangeError);
  });
});
