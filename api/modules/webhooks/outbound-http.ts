// One POST to a customer's URL (a webhook endpoint or a Slack incoming webhook), guarded against
// server-side request forgery at the moment of sending: the host name is resolved here and every
// address it resolves to must be public (core/webhooks/address.ts), and the connection goes to the
// address that was checked (no second lookup a DNS rebinding could answer differently). Redirects
// are not followed (a 3xx is a failed attempt); the whole exchange has a deadline.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIpLiteral, refuseAddress, refuseUrl, type DestinationPolicy } from '../../../core/webhooks/address.ts';

export interface OutboundResult {
  /** Null: no answer (refused destination, connection error, timeout). */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The first kilobyte of the answer. */
  responseBody: string;
  /** From a 429's Retry-After, in seconds. */
  retryAfterSeconds: number | null;
}

const MAX_BODY = 1024;

class RefusedDestination extends Error {}

/** dns.lookup's shape with `all: true` (tests pass a resolver that answers private addresses for public-looking names). */
export type Resolver = (hostname: string, options: { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** dns.lookup, then refuse the whole name if any of its addresses is not allowed. */
const guardedLookup = (policy: DestinationPolicy, resolve: Resolver): LookupFunction => (hostname, options, callback) => {
  resolve(hostname, { all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.map((a) => refuseAddress(a.address, policy)).find(Boolean);
    if (refused || addresses.length === 0) return callback(new RefusedDestination(`${hostname} resolves to a refused address: ${refused ?? 'none'}`), '', 0);
    // Node's happy-eyeballs connect asks for all addresses; a plain connect for one.
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export async function postOutbound(url: string, body: string, headers: Record<string, string>, options: { policy: DestinationPolicy; timeoutMs: number; resolve?: Resolver }): Promise<OutboundResult> {
  const started = performance.now();
  const done = (r: Partial<OutboundResult>): OutboundResult => ({
    statusCode: null, error: null, responseBody: '', retryAfterSeconds: null, ...r, durationMs: Math.round(performance.now() - started),
  });
  const refusedUrl = refuseUrl(url, options.policy);
  if (refusedUrl) return done({ error: `Refused destination: ${refusedUrl}` });
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // An IP literal is never looked up: refuseUrl checked it.
  const lookup = isIpLiteral(host) ? undefined : guardedLookup(options.policy, options.resolve ?? (dnsLookup as Resolver));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResult>((resolve) => {
    let settled = false;
    const finish = (r: Partial<OutboundResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const req = send(
      target,
      {
        method: 'POST',
        lookup,
        headers: { 'content-type': 'application/json', 'user-agent': 'InboxCRM-Webhooks/1.0', 'content-length': String(Buffer.byteLength(body)), ...headers },
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const retryAfter = Number(res.headers['retry-after']);
          finish({
            statusCode: res.statusCode ?? null,
            responseBody: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
            retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
          });
        });
        res.on('error', (err) => finish({ statusCode: res.statusCode ?? null, error: err.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ error: `No answer within ${options.timeoutMs / 1000} s` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) => finish({ error: err instanceof RefusedDestination ? `Refused destination: ${err.message}` : err.message }));
    req.end(body);
  });
}
