// The public tracking paths, on the tracking base URL and outside /api/v1 (no sign-in: whoever
// displays the mail fetches them):
//   GET|HEAD /o/<token>.gif  the open pixel: always the same 1x1 GIF, whatever the token;
//   GET|HEAD /c/<token>      a click: 302 to the URL inside the signed token, nowhere else, and only
//                            for a message reported sent whose organization's links are not suspended;
//   GET /u/<token>           the opt-out page; POST /u/<token> records the opt-out.
//
// The pixel is the hot path: it verifies the token (an HMAC), works out the network and the address
// prefix, checks the network's budget in memory, pushes the hit into the in-memory buffer and
// answers. It never waits for the database. A click also asks the redirect gate (one cached query).
// A forged or altered token records nothing (and a click goes nowhere).
import { Hono, type Context } from 'hono';
import { limitedNetworkOf, networkOfIp, truncateIp, type NetworkOperator } from '../../../core/tracking/networks.ts';
import { tokenFromPixelSegment, verifyToken, type VerifiedToken } from '../../../core/tracking/tokens.ts';
import type { Db } from '../../../db/client.ts';
import type { AppEnv, TrackingDeps } from '../../env.ts';
import { clientAddress } from '../../platform/http/client-address.ts';
import { RedirectGate } from './redirect-gate.ts';
import { recordOptOut } from './tracking.service.ts';

// A transparent 1x1 GIF89a (43 bytes).
const GIF = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
const NO_STORE = { 'Cache-Control': 'no-store, no-cache, must-revalidate, private', Pragma: 'no-cache', Expires: '0' };
const PIXEL_HEADERS = { ...NO_STORE, 'Content-Type': 'image/gif', 'Content-Length': String(GIF.length) };
// Pages: no referrer (the token is in the URL), not indexed, nothing loaded from anywhere.
const PAGE_HEADERS = {
  ...NO_STORE,
  'Content-Type': 'text/html; charset=utf-8',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
};

// Tokens we sign name messages and recipients by UUID; anything else cannot be ours.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const namesOurIds = (t: VerifiedToken) => UUID.test(t.messageId) && (t.recipient === null || UUID.test(t.recipient));

const notFoundPage = (c: Context<AppEnv>) => page(c, 404, 'Link not found', '<h1>Link not found</h1><p>This link is not valid.</p>');
const unavailablePage = (c: Context<AppEnv>) => page(c, 404, 'Link not available', '<h1>Link not available</h1><p>This link is not available.</p>');

interface Origin {
  address: string | null;
  network: NetworkOperator | null;
}

export function trackingPublicRoutes(db: Db, tracking: TrackingDeps) {
  const verified = (token: string | null) => {
    const payload = token ? verifyToken(token, tracking.keyring) : null;
    return payload && namesOurIds(payload) ? payload : null;
  };
  const gate = new RedirectGate(db, tracking.hits.now);
  // Per network, counted in memory and shared through Postgres every second (never awaited here).
  const budget = tracking.limiter?.budget({ name: 'tracking-network', limit: tracking.perNetworkPerMinute ?? 0, windowMs: 60_000 }) ?? null;

  const originOf = (c: Context<AppEnv>): Origin => {
    const address = clientAddress(c, tracking.trustProxy);
    return { address, network: address ? networkOfIp(address) : null };
  };
  // Mail providers' image proxies and security vendors' scanners fetch for everyone behind them:
  // limiting their networks would hide real opens, so only other networks have a budget.
  const withinBudget = (origin: Origin) => !budget || origin.network !== null || budget.allow((origin.address && limitedNetworkOf(origin.address)) ?? 'unknown');
  const tooMany = (c: Context<AppEnv>) =>
    page(c, 429, 'Too many requests', '<h1>Too many requests</h1><p>Please try again in a minute.</p>', { 'Retry-After': String(budget?.retryAfterSeconds() ?? 60) });

  const record = (c: Context<AppEnv>, origin: Origin, token: VerifiedToken, linkIndex: number | null) => {
    tracking.hits.push({
      trackedMessageId: token.messageId,
      recipientId: token.recipient,
      kind: token.kind === 'open' ? 'open' : 'click',
      linkIndex,
      honeypot: token.kind === 'honeypot',
      at: tracking.hits.now(),
      method: c.req.method,
      userAgent: c.req.header('user-agent') ?? null,
      network: origin.network,
      ipPrefix: origin.address ? truncateIp(origin.address) : null,
    });
  };

  // GET also answers HEAD (Hono runs the GET handler and drops the body); c.req.method says which.
  return new Hono<AppEnv>()
    .get('/o/:file', (c) => {
      const token = verified(tokenFromPixelSegment(c.req.param('file')));
      if (token?.kind === 'open') {
        const origin = originOf(c);
        // Over its budget, a network still gets the image (a broken image would tell nothing and
        // hurt a real reader), but its loads are no longer recorded.
        if (withinBudget(origin)) record(c, origin, token, null);
      }
      return c.body(GIF, 200, PIXEL_HEADERS);
    })
    .get('/c/:token', async (c) => {
      const token = verified(c.req.param('token'));
      if (token?.kind !== 'click' && token?.kind !== 'honeypot') return notFoundPage(c);
      const origin = originOf(c);
      if (!withinBudget(origin)) return tooMany(c);
      if (token.kind === 'honeypot') {
        record(c, origin, token, null);
        return c.body(null, 204, NO_STORE);
      }
      if ((await gate.verdict(token.messageId)) !== 'redirect') return unavailablePage(c);
      record(c, origin, token, token.linkIndex);
      return c.body(null, 302, { ...NO_STORE, 'Referrer-Policy': 'no-referrer', Location: token.url });
    })
    // Scanners follow every GET link: the GET only asks; the button POSTs.
    .get('/u/:token', (c) => {
      const token = verified(c.req.param('token'));
      if (token?.kind !== 'optout') return notFoundPage(c);
      const scope = token.recipient === null ? '<p>This message went to several people: this stops tracking for every address it was sent to.</p>' : '';
      return page(
        c,
        200,
        'Stop tracking',
        `<h1>Stop open and click tracking?</h1><p>The sender will no longer see when you open their emails or click their links.</p>${scope}` +
          `<form method="post" action="${c.req.path}"><button type="submit">Stop tracking me</button></form>`,
      );
    })
    .post('/u/:token', async (c) => {
      const token = verified(c.req.param('token'));
      if (token?.kind !== 'optout') return notFoundPage(c);
      if (!withinBudget(originOf(c))) return tooMany(c);
      const recorded = await recordOptOut(db, token.messageId, token.recipient, new Date(tracking.hits.now()));
      if (recorded === 0) return notFoundPage(c);
      return page(c, 200, 'Tracking stopped', '<h1>Tracking stopped</h1><p>The sender will no longer see when you open their emails or click their links.</p>');
    });
}

function page(c: Context<AppEnv>, status: 200 | 404 | 429, title: string, body: string, headers: Record<string, string> = {}) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`;
  return c.body(html, status, { ...PAGE_HEADERS, ...headers });
}
