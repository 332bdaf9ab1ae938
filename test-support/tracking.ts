// Helpers for tracking tests: real user agents and addresses of the clients that fetch pixels and
// follow links, and requests to the public paths as they would send them.
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '../db/client.ts';
import type { Caller, TestApp } from './app.ts';

export const UA = {
  // Apple Mail on a Mac without Mail Privacy Protection: it loads images itself.
  appleMail: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  outlookDesktop: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)',
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  appleMpp: 'Mozilla/5.0',
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
};

export const IP = {
  person: '203.0.113.7',
  google: '66.249.84.10',
  apple: '17.58.1.2',
  // Exchange Online Protection, where Safe Links detonates links.
  microsoft: '40.94.12.34',
};

export const S = 1000;
export const MIN = 60 * S;

/** A request to a public tracking path, from `ip` with `ua`, as the test app's proxy reports it. */
export async function hit(t: TestApp, url: string, options: { ua?: string | null; ip?: string; method?: string } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? IP.person };
  if (options.ua !== null) headers['user-agent'] = options.ua ?? UA.chrome;
  return t.app.request(new URL(url).pathname, { method: options.method ?? 'GET', headers });
}

/** Registers a message as `as` and checks it is tracked; returns the registration. */
export async function registerTracked(t: TestApp, as: Caller, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/v1/tracking/messages', { as, body: { html: '<p>Hello</p>', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as {
    trackedMessageId: string;
    html: string;
    pixelUrl: string;
    links: { index: number; url: string; trackedUrl: string }[];
    optOutUrl: string | null;
    decision: { reason: string; storeIdentity: boolean; storeExactTime: boolean };
  };
}

/** Rows in tracking_hits, all organizations. */
export async function countHits(t: TestApp): Promise<number> {
  return rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from tracking_hits`))[0]!.n;
}

let sentCounter = 0;
/** Reports a registered message sent, as the sender's client does: only then do its links redirect. */
export async function reportSent(t: TestApp, as: Caller, trackedMessageId: string, messageId = `<sent-${++sentCounter}.${process.pid}@tests.test>`) {
  const res = await t.request('POST', `/api/v1/tracking/messages/${trackedMessageId}/sent`, { as, body: { messageId } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
