// A fetch that answers like the CRM API, for the background's tests. Every answer is checked against
// the API's own response schemas (ui/api-client/test-contract.ts: status codes, `{ error: { code,
// message } }` bodies, the tracking shapes), so this fake cannot drift from the API. It records
// every request it sees.
import type { TrackedMessageSummary } from '../../ui/api-client/api-types.ts';
import { contractResponse } from '../../ui/api-client/test-contract.ts';

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  credentials?: RequestCredentials;
}


export const demoAccount = {
  user: { id: '00000000-0000-4000-8000-000000000001', name: 'Rita Rep', email: 'rep1@demo.test' },
  organization: { id: '00000000-0000-4000-8000-0000000000aa', name: 'Demo Co' },
  role: 'rep',
};

export interface FakeNotification {
  id: string;
  kind: 'email_opened' | 'deal_high_risk';
  title: string;
  body: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  readAt?: string | null;
}

/** Every rewritten link and the pixel point here, as the API's decorator does. */
export const fakeTrackingBase = 'https://t.crm.test';

export class FakeApi {
  readonly requests: SeenRequest[] = [];
  /** 'down': connection refused; 'hang': never answers (until the caller's signal aborts). */
  mode: 'up' | 'down' | 'hang' = 'up';
  readonly tokens = new Set<string>();
  private issued = 0;
  /** Tracking: the user's default, recipients who opted out, what was registered and reported. */
  trackByDefault = true;
  readonly optedOut = new Set<string>();
  readonly tracked: TrackedMessageSummary[] = [];
  readonly senderViews: string[][] = [];
  /** Answer tracking routes with this status instead (e.g. 500). */
  trackingStatus: number | null = null;
  readonly notifications: FakeNotification[] = [];

  constructor(readonly origin = 'http://localhost:8787') {}

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    this.requests.push({ method: init?.method ?? 'GET', url: url.href, headers, body: typeof init?.body === 'string' ? init.body : null, credentials: init?.credentials });
    if (this.mode === 'down' || url.origin !== this.origin) throw new TypeError('fetch failed');
    if (this.mode === 'hang') {
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    return this.route(init?.method ?? 'GET', url, headers.authorization, typeof init?.body === 'string' ? init.body : null);
  };

  private route(method: string, url: URL, authorization: string | undefined, body: string | null): Response {
    const path = url.pathname;
    // Checked against the API's schema for this route and status before it goes out.
    const json = (status: number, answer?: unknown) => contractResponse(method, path.replace(/^\/api\/v1/, ''), status, answer);
    const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });
    if (method === 'POST' && path === '/api/v1/session') {
      const input = JSON.parse(body ?? '{}') as { email?: string; password?: string };
      if (!input.password || input.password.length < 8) return json(400, { error: { code: 'VALIDATION_FAILED', message: 'password: Too small', details: [] } });
      if (input.email !== demoAccount.user.email || input.password !== 'demo-password') return error(401, 'UNAUTHENTICATED', 'Wrong email or password');
      const token = `tok-${++this.issued}`;
      this.tokens.add(token);
      return json(200, { token, ...demoAccount });
    }
    const token = authorization?.replace(/^Bearer /, '');
    if (!token || !this.tokens.has(token)) return error(401, 'UNAUTHENTICATED', 'Sign in first');
    if (method === 'DELETE' && path === '/api/v1/session') {
      this.tokens.delete(token);
      return json(204);
    }
    if (method === 'GET' && path === '/api/v1/me') return json(200, { ...demoAccount, organizations: [{ ...demoAccount.organization, role: 'rep' }] });
    if (method === 'GET' && path === '/api/v1/context') {
      const emails = (url.searchParams.get('emails') ?? '').split(',');
      return json(200, { contacts: [], unknownEmails: emails, companies: [], deals: [], activities: [], tasks: [], tracking: [] });
    }
    if (method === 'PATCH' && path.startsWith('/api/v1/deals/')) return error(404, 'NOT_FOUND', 'Deal not found');
    if (path.startsWith('/api/v1/tracking/')) return this.tracking(method, path, url, body ? JSON.parse(body) : null, json, error);
    if (method === 'GET' && path === '/api/v1/notifications') {
      const unread = this.notifications.filter((n) => !n.readAt);
      const data = url.searchParams.get('unread') === 'true' ? unread : this.notifications;
      return json(200, { data: data.map((n) => ({ dealId: null, readAt: null, currentRisk: null, ...n })), unread: unread.length });
    }
    const read = /^\/api\/v1\/notifications\/([^/]+)\/read$/.exec(path);
    if (method === 'POST' && read) {
      const n = this.notifications.find((x) => x.id === read[1]);
      if (!n) return error(404, 'NOT_FOUND', 'Notification not found');
      n.readAt = '2026-11-21T10:00:00.000Z';
      return json(200, { dealId: null, currentRisk: null, ...n });
    }
    return error(404, 'NOT_FOUND', 'No such route');
  }

  private decide(to: string[], cc: string[], bcc: string[]) {
    const all = [...to, ...cc, ...bcc];
    if (!all.length) return { track: false, reason: 'no_recipients', explanation: 'Add a recipient first.', storeIdentity: false, storeExactTime: false } as const;
    if (all.some((e) => this.optedOut.has(e))) return { track: false, reason: 'opted_out', explanation: 'A recipient opted out of tracking: this email will not be tracked.', storeIdentity: false, storeExactTime: false } as const;
    return all.length === 1
      ? ({ track: true, reason: 'tracked', explanation: `Opens and clicks by ${all[0]} will be recorded with their time.`, storeIdentity: true, storeExactTime: true } as const)
      : ({ track: true, reason: 'tracked', explanation: 'Opens and clicks will be recorded with their time, as by "a recipient".', storeIdentity: false, storeExactTime: true } as const);
  }

  private tracking(method: string, path: string, url: URL, input: any, json: (status: number, answer?: unknown) => Response, error: (status: number, code: string, message: string) => Response): Response {
    if (this.trackingStatus) return error(this.trackingStatus, 'INTERNAL', 'Something went wrong');
    if (path === '/api/v1/tracking/settings') {
      if (method === 'PATCH') this.trackByDefault = Boolean(input.trackByDefault);
      return json(200, { policy: { mode: 'full', countryOverrides: {} }, retentionDays: 90, trackByDefault: this.trackByDefault, description: 'Opens and clicks are recorded with their time.' });
    }
    if (method === 'POST' && path === '/api/v1/tracking/decision') return json(200, this.decide(input.to ?? [], input.cc ?? [], input.bcc ?? []));
    if (method === 'POST' && path === '/api/v1/tracking/messages') {
      const decision = this.decide(input.to, input.cc, input.bcc);
      if (!decision.track) return json(201, { decision, trackedMessageId: null, html: input.html, pixelUrl: null, links: [], optOutUrl: null });
      const id = `00000000-0000-4000-8000-${String(this.tracked.length + 1).padStart(12, '0')}`;
      const links: { index: number; url: string; trackedUrl: string }[] = [];
      const html = String(input.html).replace(/href="(https?:[^"]+)"/g, (_m, href: string) => {
        const trackedUrl = `${fakeTrackingBase}/c/${id}-${links.length}`;
        links.push({ index: links.length, url: href, trackedUrl });
        return `href="${trackedUrl}"`;
      });
      const pixelUrl = `${fakeTrackingBase}/o/${id}.gif`;
      this.tracked.push({
        id, messageId: null, threadId: input.threadId ?? null, subject: input.subject ?? null, sentAt: '2026-11-21T10:00:00.000Z',
        recipientCount: input.to.length + input.cc.length + input.bcc.length, attribution: { kind: 'a_recipient' }, precision: 'exact',
        opens: { count: 0, first: null, last: null }, clicks: [], machineHits: { image_proxy: 0, apple_mpp: 0, scanner: 0, sender_self: 0, unknown: 0 }, pendingClicks: 0,
      });
      return json(201, { decision, trackedMessageId: id, html: `${html}<img src="${pixelUrl}" width="1" height="1" alt="">`, pixelUrl, links, optOutUrl: null });
    }
    const sent = /^\/api\/v1\/tracking\/messages\/([^/]+)\/sent$/.exec(path);
    if (method === 'POST' && sent) {
      const m = this.tracked.find((t) => t.id === sent[1]);
      if (!m) return error(404, 'NOT_FOUND', 'Tracked message not found');
      Object.assign(m, { messageId: input.messageId, threadId: input.threadId ?? m.threadId, sentAt: input.sentAt ?? m.sentAt });
      return json(200, m);
    }
    if (method === 'POST' && path === '/api/v1/tracking/sender-views') {
      this.senderViews.push(input.messageIds);
      return json(200, { recorded: this.tracked.filter((t) => t.messageId && input.messageIds.includes(t.messageId)).length });
    }
    if (method === 'GET' && path === '/api/v1/tracking/threads') {
      const threads = (url.searchParams.get('threadIds') ?? '').split(',');
      const states = new Map<string, { threadId: string; state: 'opened' | 'not_opened'; opens: number; lastOpenAt: string | null }>();
      for (const t of this.tracked) {
        if (!t.threadId || !threads.includes(t.threadId)) continue;
        const s = states.get(t.threadId) ?? { threadId: t.threadId, state: 'not_opened', opens: 0, lastOpenAt: null };
        s.opens += t.opens.count;
        if (t.opens.last && (!s.lastOpenAt || t.opens.last > s.lastOpenAt)) s.lastOpenAt = t.opens.last;
        s.state = s.opens > 0 ? 'opened' : 'not_opened';
        states.set(t.threadId, s);
      }
      return json(200, { data: [...states.values()] });
    }
    if (method === 'GET' && path === '/api/v1/tracking/messages') {
      const threads = (url.searchParams.get('threadIds') ?? '').split(',');
      return json(200, { data: this.tracked.filter((t) => t.threadId && threads.includes(t.threadId)) });
    }
    return error(404, 'NOT_FOUND', 'No such route');
  }
}
