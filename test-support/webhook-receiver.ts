// A customer's webhook receiver on this machine: verifies every request with the standardwebhooks
// library (as a customer would), answers as the test tells it (a status, or no answer at all), and
// records what it accepted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  type: string;
  body: { type: string; timestamp: string; data: Record<string, any> };
  signature: string;
  /** The body as it arrived and the headers, to verify again with other secrets. */
  raw: string;
  headers: Record<string, string>;
  status: number;
}

/** What the next requests get: a status, or `hang` (no answer until the client gives up). */
export type ReceiverReply = number | 'hang';

export interface WebhookReceiver {
  url: string;
  /** Secrets a request must be signed with (any one verifies), set once the endpoint exists. */
  secrets: string[];
  /** Replies for the next requests, in order; then 200. */
  replies: ReceiverReply[];
  /** Every request that arrived, whatever it was answered. */
  requests: ReceivedWebhook[];
  /** Requests answered 2xx. */
  accepted(): ReceivedWebhook[];
  /** Requests whose signature did not verify with any secret. */
  unverified: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    secrets: [],
    replies: [],
    requests: [],
    accepted: () => receiver.requests.filter((r) => r.status >= 200 && r.status < 300),
    unverified: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const verified = receiver.secrets.some((secret) => {
      try {
        new Webhook(secret).verify(raw, headers);
        return true;
      } catch {
        return false;
      }
    });
    if (!verified) receiver.unverified++;
    const reply = receiver.replies.shift() ?? 200;
    const body = JSON.parse(raw) as ReceivedWebhook['body'];
    const status = reply === 'hang' ? 0 : verified ? reply : 401;
    receiver.requests.push({ id: headers['webhook-id']!, type: body.type, body, signature: headers['webhook-signature']!, raw, headers, status });
    if (reply === 'hang') return; // the sender's deadline ends it
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status < 300 ? 'ok' : 'nope');
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm`;
  return receiver;
}
