// Signed tracking tokens for the open pixel and click redirects.
//
// A token is a compact binary payload, MACed with HMAC-SHA256 (truncated to 128 bits) and encoded
// base64url, so it fits in a URL path. The payload is readable by anyone who sees the URL (it is
// signed, not encrypted): put opaque ids in it, never an email address. The click target URL is
// inside the signed payload, so the redirect endpoint can only ever send a browser to a URL the
// sender wrote. Key rotation: tokens name the key they were signed with; every key still in the
// keyring verifies, removing a key invalidates its tokens.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const KEY_ID = /^[A-Za-z0-9_.-]{1,16}$/;
const MIN_SECRET_LENGTH = 32;

/** Keyring as read from configuration, e.g. TRACKING_KEYS='{"currentKeyId":"k2","keys":{"k1":"…","k2":"…"}}'. */
export const TrackingKeyring = z
  .object({
    currentKeyId: z.string().regex(KEY_ID),
    keys: z.record(z.string().regex(KEY_ID), z.string().min(MIN_SECRET_LENGTH)),
  })
  .refine((ring) => Object.hasOwn(ring.keys, ring.currentKeyId), {
    message: 'currentKeyId must name one of keys',
    path: ['currentKeyId'],
  });
export type TrackingKeyring = z.infer<typeof TrackingKeyring>;

/** What a token says. `recipient: null` means "all recipients of the message" (one shared pixel). */
export type TrackingTokenPayload =
  | { kind: 'open'; messageId: string; recipient: string | null }
  | { kind: 'click'; messageId: string; recipient: string | null; linkIndex: number; url: string }
  // A hidden link no person can see or click: whoever follows it is a machine. It has no target.
  | { kind: 'honeypot'; messageId: string; recipient: string | null }
  // The recipient's "stop tracking me" link. `recipient: null`: every recipient of the message.
  | { kind: 'optout'; messageId: string; recipient: string | null };

export type TrackingTokenKind = TrackingTokenPayload['kind'];

/** A verified payload plus the key that signed it (useful to see when an old key can be retired). */
export type VerifiedToken = TrackingTokenPayload & { keyId: string };

export const MAX_ID_BYTES = 255;
export const MAX_URL_BYTES = 2048;
export const MAX_LINK_INDEX = 65_535;
/** Longest token verifyToken will look at; anything longer is rejected before decoding. */
export const MAX_TOKEN_LENGTH = 4096;

const VERSION = 1;
const MAC_BYTES = 16;
// Domain separation: the same secret used elsewhere can never produce a valid tracking MAC.
const MAC_CONTEXT = Buffer.from('inbox-crm/tracking-token/v1\0', 'utf8');

const KIND_CODES: Record<TrackingTokenKind, number> = { open: 0, click: 1, honeypot: 2, optout: 3 };
const KIND_OF_CODE: readonly TrackingTokenKind[] = ['open', 'click', 'honeypot', 'optout'];
const KIND_MASK = 0x0f;
const FLAG_MESSAGE_UUID = 0x10;
const FLAG_RECIPIENT_UUID = 0x20;
const FLAG_ALL_RECIPIENTS = 0x40;
const KNOWN_FLAGS = KIND_MASK | FLAG_MESSAGE_UUID | FLAG_RECIPIENT_UUID | FLAG_ALL_RECIPIENTS;

// Only lower-case canonical UUIDs are packed into 16 bytes, so verification returns the exact string.
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Signs a payload with the keyring's current key. Throws (a programming error, not bad input from a
 * recipient) when the keyring has no current key or the payload is out of bounds.
 */
export function signToken(payload: TrackingTokenPayload, keyring: TrackingKeyring): string {
  const keyId = keyring.currentKeyId;
  const secret = Object.hasOwn(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
  if (!KEY_ID.test(keyId) || secret === undefined) throw new RangeError('tracking keyring: currentKeyId is not in keys');
  if (secret.length < MIN_SECRET_LENGTH) throw new RangeError(`tracking keyring: secret "${keyId}" is shorter than ${MIN_SECRET_LENGTH} characters`);

  const out = new ByteWriter();
  const messageIsUuid = CANONICAL_UUID.test(payload.messageId);
  const recipient = payload.recipient;
  const recipientIsUuid = recipient !== null && CANONICAL_UUID.test(recipient);
  let head = KIND_CODES[payload.kind];
  if (messageIsUuid) head |= FLAG_MESSAGE_UUID;
  if (recipient === null) head |= FLAG_ALL_RECIPIENTS;
  else if (recipientIsUuid) head |= FLAG_RECIPIENT_UUID;
  out.u8(VERSION);
  out.u8(head);
  out.shortString(keyId);

  if (payload.messageId.length === 0) throw new RangeError('tracking token: empty messageId');
  if (messageIsUuid) out.uuid(payload.messageId);
  else out.shortString(payload.messageId);

  if (recipient !== null) {
    if (recipient.length === 0) throw new RangeError('tracking token: empty recipient (use null for all recipients)');
    // Tokens travel in clear in URLs that proxies and scanners log: an address must not be in them.
    if (recipient.includes('@')) throw new RangeError('tracking token: recipient must be an opaque id, not an email address');
    if (recipientIsUuid) out.uuid(recipient);
    else out.shortString(recipient);
  }

  if (payload.kind === 'click') {
    if (!Number.isInteger(payload.linkIndex) || payload.linkIndex < 0 || payload.linkIndex > MAX_LINK_INDEX) {
      throw new RangeError(`tracking token: linkIndex must be an integer in 0..${MAX_LINK_INDEX}`);
    }
    if (!isHttpUrl(payload.url)) throw new RangeError('tracking token: url must be an absolute http(s) URL');
    out.u16(payload.linkIndex);
    out.longString(payload.url, MAX_URL_BYTES);
  }

  const body = out.bytes();
  return Buffer.concat([body, mac(secret, body)]).toString('base64url');
}

/**
 * The payload of a genuine token, or null for anything else: forged, altered, truncated, extended,
 * signed with a key no longer in the keyring, not base64url, or structurally malformed. Never throws.
 */
export function verifyToken(token: string, keyring: TrackingKeyring): VerifiedToken | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  // Node's decoder is lenient (ignores stray bits); insist on the one canonical spelling.
  if (raw.toString('base64url') !== token) return null;
  if (raw.length <= MAC_BYTES + 3) return null;

  const body = raw.subarray(0, raw.length - MAC_BYTES);
  const tag = raw.subarray(raw.length - MAC_BYTES);
  try {
    const reader = new ByteReader(body);
    if (reader.u8() !== VERSION) return null;
    const head = reader.u8();
    if ((head & ~KNOWN_FLAGS) !== 0) return null;
    const kind = KIND_OF_CODE[head & KIND_MASK];
    if (kind === undefined) return null;
    const keyId = reader.shortString();
    const secret = keyring?.keys && Object.hasOwn(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
    if (typeof secret !== 'string' || secret.length === 0) return null;
    // Check the MAC before trusting anything else in the body.
    if (!timingSafeEqual(mac(secret, body), tag)) return null;

    const messageId = head & FLAG_MESSAGE_UUID ? reader.uuid() : reader.shortString();
    let recipient: string | null = null;
    if (head & FLAG_ALL_RECIPIENTS) {
      if (head & FLAG_RECIPIENT_UUID) return null;
    } else {
      recipient = head & FLAG_RECIPIENT_UUID ? reader.uuid() : reader.shortString();
    }
    let payload: TrackingTokenPayload;
    if (kind === 'click') {
      const linkIndex = reader.u16();
      const url = reader.longString();
      if (!isHttpUrl(url)) return null;
      payload = { kind, messageId, recipient, linkIndex, url };
    } else {
      payload = { kind, messageId, recipient };
    }
    if (!reader.done()) return null;
    if (messageId.length === 0 || recipient === '') return null;
    return { ...payload, keyId };
  } catch {
    return null;
  }
}

/** Short path of the open pixel: `/o/<token>.gif`. */
export const pixelPath = (token: string) => `/o/${token}.gif`;
/** Short path of a click redirect (and of the honeypot link): `/c/<token>`. */
export const clickPath = (token: string) => `/c/${token}`;
/** Short path of the opt-out page: `/u/<token>`. */
export const optOutPath = (token: string) => `/u/${token}`;

/** The token inside a pixel path segment (`<token>.gif`), or null when it is not one. */
export function tokenFromPixelSegment(segment: string): string | null {
  const match = /^([A-Za-z0-9_-]+)\.gif$/.exec(segment);
  return match ? match[1]! : null;
}

/** Absolute URLs for a tracking base such as `https://t.example.com` or `https://api.example.com/t`. */
export const pixelUrl = (baseUrl: string, token: string) => normalizeBaseUrl(baseUrl) + pixelPath(token);
export const clickUrl = (baseUrl: string, token: string) => normalizeBaseUrl(baseUrl) + clickPath(token);
export const optOutUrl = (baseUrl: string, token: string) => normalizeBaseUrl(baseUrl) + optOutPath(token);

/** `https://host[/path]` without a trailing slash; throws for anything that is not a plain http(s) base. */
export function normalizeBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new RangeError(`tracking base URL is not a URL: ${baseUrl}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new RangeError('tracking base URL must be http(s)');
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new RangeError('tracking base URL must not carry a query, fragment or credentials');
  }
  return (parsed.origin + parsed.pathname).replace(/\/+$/, '');
}

export function isHttpUrl(value: string): boolean {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.href === value;
  } catch {
    return false;
  }
}

function mac(secret: string, body: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(MAC_CONTEXT).update(body).digest().subarray(0, MAC_BYTES);
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class ByteWriter {
  private readonly parts: number[] = [];
  u8(value: number) {
    this.parts.push(value & 0xff);
  }
  u16(value: number) {
    this.parts.push((value >>> 8) & 0xff, value & 0xff);
  }
  shortString(value: string) {
    const bytes = utf8.encode(value);
    if (bytes.length > MAX_ID_BYTES) throw new RangeError(`tracking token: "${value.slice(0, 20)}…" is longer than ${MAX_ID_BYTES} bytes`);
    this.u8(bytes.length);
    for (const b of bytes) this.parts.push(b);
  }
  longString(value: string, max: number) {
    const bytes = utf8.encode(value);
    if (bytes.length > max) throw new RangeError(`tracking token: value is longer than ${max} bytes`);
    this.u16(bytes.length);
    for (const b of bytes) this.parts.push(b);
  }
  uuid(value: string) {
    for (const b of Buffer.from(value.replaceAll('-', ''), 'hex')) this.parts.push(b);
  }
  bytes(): Buffer {
    return Buffer.from(this.parts);
  }
}

class ByteReader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}
  private take(length: number): Buffer {
    if (this.offset + length > this.data.length) throw new RangeError('truncated');
    const slice = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    const b = this.take(2);
    return (b[0]! << 8) | b[1]!;
  }
  shortString(): string {
    return strictUtf8.decode(this.take(this.u8()));
  }
  longString(): string {
    const length = this.u16();
    if (length > MAX_URL_BYTES) throw new RangeError('too long');
    return strictUtf8.decode(this.take(length));
  }
  uuid(): string {
    const hex = this.take(16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  done(): boolean {
    return this.offset === this.data.length;
  }
}
