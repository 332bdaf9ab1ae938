// The one-click unsubscribe link in non-essential mail: who (member, organization) stops receiving
// which kind of mail by email. Signed so nobody can unsubscribe someone else; no expiry, because a
// link in an old mail must keep working (RFC 8058 asks for that).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { notificationKinds, type NotificationKind } from './preferences.ts';

export interface UnsubscribeTarget {
  orgId: string;
  userId: string;
  kind: NotificationKind;
}

const mac = (body: string, secret: string) => createHmac('sha256', secret).update(`unsubscribe:${body}`).digest('base64url').slice(0, 32);

export function signUnsubscribe(target: UnsubscribeTarget, secret: string): string {
  const body = Buffer.from(`${target.orgId}.${target.userId}.${target.kind}`).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

export function verifyUnsubscribe(token: string, secret: string): UnsubscribeTarget | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [orgId, userId, kind] = Buffer.from(body, 'base64url').toString().split('.');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (!orgId || !userId || !uuid.test(orgId) || !uuid.test(userId) || !(notificationKinds as readonly string[]).includes(kind ?? '')) return null;
  return { orgId, userId, kind: kind as NotificationKind };
}
