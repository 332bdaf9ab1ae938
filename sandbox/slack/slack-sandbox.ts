// A stand-in for Slack's incoming webhooks (development and tests; never mounted in production).
// It answers as Slack does (api.slack.com/messaging/webhooks, "Handling errors"): 200 with the
// plain-text body `ok`; errors as plain text with their status: 400 invalid_payload / no_text,
// 403 invalid_token / action_prohibited, 404 no_service, 410 channel_is_archived, 429 rate_limited
// with Retry-After, 500 rollup_error. Every request is recorded for tests to compare.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSlackRequest {
  path: string;
  /** The parsed JSON body (null if it was not JSON). */
  body: { text?: string; blocks?: unknown[] } | null;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: Date;
}

/** What a webhook URL answers from now on: Slack's error codes, or a number of 429s first. */
export type SlackHookState =
  | { kind: 'ok' }
  | { kind: 'error'; status: number; error: string }
  | { kind: 'rate_limited'; times: number; retryAfterSeconds: number };

export interface SlackSandbox {
  url: string;
  /** A new incoming-webhook URL, as Slack hands one to a workspace admin. */
  newWebhookUrl(): string;
  /** Make a URL fail like Slack does: `revoke` (404 no_service), `invalidate` (403 invalid_token), `archive` (410 channel_is_archived)… */
  setState(webhookUrl: string, state: SlackHookState): void;
  revoke(webhookUrl: string): void;
  archive(webhookUrl: string): void;
  requests: RecordedSlackRequest[];
  /** The requests one URL received. */
  requestsTo(webhookUrl: string): RecordedSlackRequest[];
  close(): Promise<void>;
}

let counter = 0;
const randomPart = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 36)]).join('');

export async function startSlackSandbox(options: { port?: number; host?: string } = {}): Promise<SlackSandbox> {
  const states = new Map<string, SlackHookState>();
  const known = new Set<string>();
  const requests: RecordedSlackRequest[] = [];

  const answer = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST' || !/^\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/.test(path)) return answer(res, 404, 'no_service');
    let body: RecordedSlackRequest['body'] = null;
    try {
      body = JSON.parse(raw) as RecordedSlackRequest['body'];
    } catch {
      /* recorded as null, answered below */
    }
    requests.push({ path, body, headers: req.headers, receivedAt: new Date() });
    if (!known.has(path)) return answer(res, 404, 'no_service');
    const state = states.get(path) ?? { kind: 'ok' };
    if (state.kind === 'error') return answer(res, state.status, state.error);
    if (state.kind === 'rate_limited' && state.times > 0) {
      state.times--;
      return answer(res, 429, 'rate_limited', { 'retry-after': String(state.retryAfterSeconds) });
    }
    if (!body || typeof body !== 'object') return answer(res, 400, 'invalid_payload');
    if (!body.text && !(Array.isArray(body.blocks) && body.blocks.length)) return answer(res, 400, 'no_text');
    answer(res, 200, 'ok');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pathOf = (webhookUrl: string) => new URL(webhookUrl).pathname;

  return {
    url,
    newWebhookUrl() {
      const path = `/services/T${randomPart(8)}/B${String(++counter).padStart(8, '0')}/${randomPart(24)}`;
      known.add(path);
      return url + path;
    },
    setState: (webhookUrl, state) => states.set(pathOf(webhookUrl), state),
    revoke: (webhookUrl) => states.set(pathOf(webhookUrl), { kind: 'error', status: 404, error: 'no_service' }),
    archive: (webhookUrl) => states.set(pathOf(webhookUrl), { kind: 'error', status: 410, error: 'channel_is_archived' }),
    requests,
    requestsTo: (webhookUrl) => requests.filter((r) => r.path === pathOf(webhookUrl)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
