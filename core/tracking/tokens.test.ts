import { describe, expect, it } from 'vitest';
import {
  clickPath,
  clickUrl,
  MAX_TOKEN_LENGTH,
  optOutPath,
  optOutUrl,
  pixelPath,
  pixelUrl,
  signToken,
  tokenFromPixelSegment,
  TrackingKeyring,
  type TrackingTokenPayload,
  verifyToken,
} from './tokens.ts';

const SECRET_1 = 'k1-secret-0123456789abcdef0123456789abcdef';
const SECRET_2 = 'k2-secret-fedcba9876543210fedcba9876543210';
const ring = { currentKeyId: 'k2', keys: { k1: SECRET_1, k2: SECRET_2 } };
const oldRing = { currentKeyId: 'k1', keys: { k1: SECRET_1 } };

const MESSAGE = '0b4e7c2a-7d1f-4f3e-9a51-2c8d6e4f1a90';
const RECIPIENT = '5f0c8a3e-1b2d-4c6e-8f9a-0d1e2f3a4b5c';

const payloads: [string, TrackingTokenPayload][] = [
  ['open pixel for one recipient', { kind: 'open', messageId: MESSAGE, recipient: RECIPIENT }],
  ['open pixel shared by all recipients', { kind: 'open', messageId: MESSAGE, recipient: null }],
  ['non-UUID ids, with non-ASCII', { kind: 'open', messageId: 'msg_42-ü', recipient: 'rcpt/7' }],
  ['upper-case UUID kept exactly', { kind: 'open', messageId: MESSAGE.toUpperCase(), recipient: null }],
  ['click', { kind: 'click', messageId: MESSAGE, recipient: RECIPIENT, linkIndex: 3, url: 'https://example.com/pricing?plan=pro&utm_source=mail#top' }],
  ['click with an internationalised URL', { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 0, url: 'https://xn--bcher-kva.example/caf%C3%A9' }],
  ['click on the last possible link index', { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 65_535, url: 'http://example.com/' }],
  ['honeypot', { kind: 'honeypot', messageId: MESSAGE, recipient: null }],
  ['opt-out link for one recipient', { kind: 'optout', messageId: MESSAGE, recipient: RECIPIENT }],
  ['opt-out link shared by all recipients', { kind: 'optout', messageId: MESSAGE, recipient: null }],
];

/** Re-encodes a token after changing its bytes, keeping everything else (including the MAC). */
function alter(token: string, change: (bytes: Buffer) => void): string {
  const bytes = Buffer.from(token, 'base64url');
  change(bytes);
  return bytes.toString('base64url');
}

describe('signToken / verifyToken', () => {
  it.each(payloads)('round-trips: %s', (_name, payload) => {
    const token = signToken(payload, ring);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(verifyToken(token, ring)).toEqual({ ...payload, keyId: 'k2' });
  });

  it('is short enough for a URL path', () => {
    expect(signToken({ kind: 'open', messageId: MESSAGE, recipient: RECIPIENT }, ring).length).toBeLessThanOrEqual(80);
    const click = signToken({ kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 2, url: 'https://example.com/blog/post' }, ring);
    expect(click.length).toBeLessThanOrEqual(110);
  });

  // Click token for an all-UUID message: version, head, keyId "k2" (len + 2), message (16), recipient
  // (16), link index (2), url (len 2 + bytes), MAC (16).
  const clickToken = signToken({ kind: 'click', messageId: MESSAGE, recipient: RECIPIENT, linkIndex: 1, url: 'https://example.com/a' }, ring);
  it.each([
    ['version', 0],
    ['kind and flags', 1],
    ['key id', 3],
    ['message id', 5],
    ['recipient', 21],
    ['link index', 38],
    ['url', 45],
    ['MAC', -1],
  ])('rejects a token whose %s was altered', (_part, offset) => {
    const altered = alter(clickToken, (bytes) => {
      const at = offset < 0 ? bytes.length + offset : offset;
      bytes[at] = bytes[at]! ^ 0x01;
    });
    expect(altered).not.toBe(clickToken);
    expect(verifyToken(altered, ring)).toBeNull();
  });

  it('rejects a change to any single bit of any byte', () => {
    const length = Buffer.from(clickToken, 'base64url').length;
    for (let at = 0; at < length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        expect(verifyToken(alter(clickToken, (bytes) => void (bytes[at] = bytes[at]! ^ (1 << bit))), ring)).toBeNull();
      }
    }
  });

  it('cannot be pointed at another URL of the same length', () => {
    const original = 'https://example.com/a';
    const evil = 'https://evil.test/abc';
    expect(evil.length).toBe(original.length);
    const redirected = alter(clickToken, (bytes) => {
      const at = bytes.indexOf(original);
      bytes.write(evil, at, 'utf8');
    });
    expect(verifyToken(redirected, ring)).toBeNull();
  });

  it.each([
    ['one character short', (t: string) => t.slice(0, -1)],
    ['missing its MAC', (t: string) => Buffer.from(t, 'base64url').subarray(0, -16).toString('base64url')],
    ['cut in the middle', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['with a byte appended', (t: string) => Buffer.concat([Buffer.from(t, 'base64url'), Buffer.from([0])]).toString('base64url')],
    ['with a character appended', (t: string) => `${t}A`],
  ])('rejects a token %s', (_name, mangle) => {
    expect(verifyToken(mangle(clickToken), ring)).toBeNull();
  });

  it.each([
    ['an opt-out token into a pixel token', 'optout', 0],
    ['an opt-out token into a honeypot token', 'optout', 2],
    ['a pixel token into an opt-out token', 'open', 3],
  ] as const)('cannot turn %s by changing its kind', (_name, kind, code) => {
    const token = signToken({ kind, messageId: MESSAGE, recipient: RECIPIENT }, ring);
    const altered = alter(token, (bytes) => void (bytes[1] = (bytes[1]! & 0xf0) | code));
    expect(verifyToken(altered, ring)).toBeNull();
  });

  it('rejects an opt-out token of a key removed from the keyring', () => {
    const old = signToken({ kind: 'optout', messageId: MESSAGE, recipient: null }, oldRing);
    expect(verifyToken(old, oldRing)).toMatchObject({ kind: 'optout', keyId: 'k1' });
    expect(verifyToken(old, { currentKeyId: 'k2', keys: { k2: SECRET_2 } })).toBeNull();
  });

  it('rejects a token signed with a different secret under the same key id', () => {
    const forged = signToken({ kind: 'open', messageId: MESSAGE, recipient: null }, { currentKeyId: 'k2', keys: { k2: 'not-the-real-secret-0123456789abcdef' } });
    expect(verifyToken(forged, ring)).toBeNull();
  });

  it('still verifies a token signed with an older key that is still in the keyring', () => {
    const old = signToken({ kind: 'open', messageId: MESSAGE, recipient: RECIPIENT }, oldRing);
    expect(verifyToken(old, ring)).toEqual({ kind: 'open', messageId: MESSAGE, recipient: RECIPIENT, keyId: 'k1' });
  });

  it('rejects tokens of a key removed from the keyring', () => {
    const old = signToken({ kind: 'open', messageId: MESSAGE, recipient: RECIPIENT }, oldRing);
    expect(verifyToken(old, { currentKeyId: 'k2', keys: { k2: SECRET_2 } })).toBeNull();
  });

  it('does not confuse a key id with an inherited property', () => {
    const forged = signToken({ kind: 'open', messageId: MESSAGE, recipient: null }, { currentKeyId: 'constructor', keys: { constructor: SECRET_1 } });
    expect(verifyToken(forged, ring)).toBeNull();
  });

  const valid = signToken({ kind: 'open', messageId: MESSAGE, recipient: null }, ring);
  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['standard base64 characters', valid.replace(/.$/, '+')],
    ['padding', `${valid}=`],
    ['a path instead of a token', '../../etc/passwd'],
    ['a single character', 'A'],
    ['garbage of a plausible length', 'A'.repeat(60)],
    ['far too long', 'A'.repeat(MAX_TOKEN_LENGTH + 1)],
  ])('rejects malformed input: %s', (_name, input) => {
    expect(verifyToken(input, ring)).toBeNull();
  });

  it('rejects a non-canonical spelling of a valid token (unused bits set)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    expect(Buffer.from(valid, 'base64url').length % 3).not.toBe(0);
    const last = alphabet.indexOf(valid.at(-1)!);
    const sloppy = valid.slice(0, -1) + alphabet[last | 1];
    expect(sloppy).not.toBe(valid);
    expect(Buffer.from(sloppy, 'base64url').equals(Buffer.from(valid, 'base64url'))).toBe(true);
    expect(verifyToken(sloppy, ring)).toBeNull();
  });

  it('never throws on hostile input', () => {
    for (const input of [null, undefined, 42, {}, '\u0000', 'A'.repeat(MAX_TOKEN_LENGTH)]) {
      expect(verifyToken(input as unknown as string, ring)).toBeNull();
    }
    expect(verifyToken(valid, {} as TrackingKeyring)).toBeNull();
  });

  it.each<[string, TrackingTokenPayload, TrackingKeyring]>([
    ['an email address as recipient', { kind: 'open', messageId: MESSAGE, recipient: 'ana@example.com' }, ring],
    ['an empty message id', { kind: 'open', messageId: '', recipient: null }, ring],
    ['a javascript: URL', { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 0, url: 'javascript:alert(1)' }, ring],
    ['a URL not in its normalised form', { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: 0, url: 'HTTPS://Example.com' }, ring],
    ['a negative link index', { kind: 'click', messageId: MESSAGE, recipient: null, linkIndex: -1, url: 'https://example.com/' }, ring],
    ['a current key that is not in the keyring', { kind: 'open', messageId: MESSAGE, recipient: null }, { currentKeyId: 'k9', keys: { k1: SECRET_1 } }],
    ['a short secret', { kind: 'open', messageId: MESSAGE, recipient: null }, { currentKeyId: 'k1', keys: { k1: 'short' } }],
  ])('refuses to sign %s', (_name, payload, keyring) => {
    expect(() => signToken(payload, keyring)).toThrow(RangeError);
  });
});

describe('TrackingKeyring', () => {
  it.each([
    ['a valid keyring', ring, true],
    ['a current key missing from keys', { currentKeyId: 'k3', keys: { k1: SECRET_1 } }, false],
    ['a short secret', { currentKeyId: 'k1', keys: { k1: 'short' } }, false],
    ['a key id with a slash', { currentKeyId: 'a/b', keys: { 'a/b': SECRET_1 } }, false],
  ])('parses %s: %s', (_name, input, ok) => {
    expect(TrackingKeyring.safeParse(input).success).toBe(ok);
  });
});

describe('paths', () => {
  const token = signToken({ kind: 'open', messageId: MESSAGE, recipient: null }, ring);

  it('builds short pixel and click paths', () => {
    expect(pixelPath(token)).toBe(`/o/${token}.gif`);
    expect(clickPath(token)).toBe(`/c/${token}`);
    expect(optOutPath(token)).toBe(`/u/${token}`);
    expect(tokenFromPixelSegment(`${token}.gif`)).toBe(token);
    expect(tokenFromPixelSegment(token)).toBeNull();
    expect(tokenFromPixelSegment('x.png')).toBeNull();
  });

  it.each([
    ['https://t.example.com', 'https://t.example.com'],
    ['https://t.example.com/', 'https://t.example.com'],
    ['https://api.example.com/track/', 'https://api.example.com/track'],
  ])('joins base %s', (base, expected) => {
    expect(pixelUrl(base, token)).toBe(`${expected}/o/${token}.gif`);
    expect(clickUrl(base, token)).toBe(`${expected}/c/${token}`);
    expect(optOutUrl(base, token)).toBe(`${expected}/u/${token}`);
  });

  it.each(['ftp://t.example.com', 'https://t.example.com/?x=1', 'not a url'])('refuses base %s', (base) => {
    expect(() => pixelUrl(base, token)).toThrow(RangeError);
  });
});
