// `npm run bench:webhooks`: outgoing webhooks under load, on Postgres (DATABASE_URL, default the
// local test server; a scratch database `crm_bench_webhooks` next to it, dropped afterwards).
//
// 1. One organization, ten endpoints on local receivers (one process, ten ports), all subscribed to
//    contact.created; the tenth answers 500 to half of its requests. The real dispatcher (pg-boss,
//    the registry's consumers) and the delivery sender run in this process, as in the server.
// 2. Baseline: BENCH_BASELINE (default 1,000) contact creations through the API with every endpoint
//    paused (webhooks off), then BENCH_EVENTS (default 10,000) with all ten on, at BENCH_RATE writes
//    a second (default 40), timing each write.
// 3. Waits until the healthy endpoints have every event (or BENCH_DRAIN_SECONDS, default 120), then
//    prints: delivery latency to healthy endpoints (event time → receiver got it) p50/p99, events
//    lost, duplicates at healthy endpoints, the failing endpoint's progress, and write latency
//    p50/p99 with and without webhooks.
// Prints figures; asserts nothing (the machine is shared and noisy).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DELIVERIES_CHANNEL, startDeliverySender } from '../api/modules/webhooks/delivery-sender.ts';
import { EndpointSecrets } from '../api/modules/webhooks/endpoint-secrets.ts';
import { TokenVault } from '../api/integrations/token-vault.ts';
import { silentLogger } from '../api/log.ts';
import { consumers } from '../api/registry.ts';
import { startScheduler } from '../api/platform/jobs/scheduler.ts';
import { listenChannel, openEventStream } from '../api/platform/events/stream.ts';
import { systemClock } from '../api/platform/tenancy/scope.ts';
import postgres from 'postgres';
import { createApp } from '../api/app.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import { openDatabase } from '../db/client.ts';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'crm_bench_webhooks';
const EVENTS = Number(process.env.BENCH_EVENTS ?? '10000');
const BASELINE = Number(process.env.BENCH_BASELINE ?? '1000');
const RATE = Number(process.env.BENCH_RATE ?? '40');
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? '120');
const ENDPOINTS = 10;

const pct = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

interface Receiver {
  url: string;
  secret: string;
  /** webhook-id → arrivals (ms since epoch) of accepted deliveries. */
  accepted: Map<string, number[]>;
  latencies: number[];
  refused: number;
  unverified: number;
  close(): Promise<void>;
}

async function startReceiver(failHalf: boolean): Promise<Receiver> {
  const r: Receiver = { url: '', secret: '', accepted: new Map(), latencies: [], refused: 0, unverified: 0, close: async () => {} };
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      try {
        new Webhook(r.secret).verify(raw, headers);
      } catch {
        r.unverified++;
        res.writeHead(401).end();
        return;
      }
      if (failHalf && n++ % 2 === 0) {
        r.refused++;
        res.writeHead(500).end('try later');
        return;
      }
      const at = Date.now();
      const id = headers['webhook-id']!;
      const body = JSON.parse(raw) as { timestamp: string; data: { contact: { lastName: string } } };
      // Contacts of the baseline (written with the endpoints paused) are not counted.
      if (Number(body.data.contact.lastName) <= BASELINE) {
        res.writeHead(204).end();
        return;
      }
      if (!r.accepted.has(id)) r.latencies.push(at - Date.parse(body.timestamp));
      r.accepted.set(id, [...(r.accepted.get(id) ?? []), at]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return r;
}

async function main() {
  const outbound = { policy: { httpsOnly: false, allowLoopback: true }, timeoutMs: 5000, secrets: new EndpointSecrets(new TokenVault({ currentKeyId: 'bench', keys: { bench: 'bench-webhook-secrets-key-0123456789' } })) };
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${DB_NAME}`;
  const database = await openDatabase({ databaseUrl: benchUrl.toString(), maxConnections: 10 });
  await database.migrate();
  const auth = createAuth({ db: database.db, secret: 'bench-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
  const app = createApp({ db: database.db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost:8787', webhooks: outbound }, { dashboard: false, demoInbox: false });
  const t = {
    async request(method: string, path: string, o: { as?: { token: string }; body?: unknown } = {}) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...(o.as ? { authorization: `Bearer ${o.as.token}` } : {}) }, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
  const signup = await t.request('POST', '/api/v1/signup', { body: { name: 'Bench Admin', email: 'admin@bench.test', password: 'correct-horse-1', organizationName: 'Bench' } });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  const org = { admin: { token: signup.body.token as string } };
  const receivers = await Promise.all(Array.from({ length: ENDPOINTS }, (_, i) => startReceiver(i === ENDPOINTS - 1)));
  const endpointIds: string[] = [];
  for (const [i, r] of receivers.entries()) {
    const res = await t.request('POST', '/api/v1/webhooks', { as: org.admin, body: { name: `Receiver ${i + 1}`, url: r.url, eventTypes: ['contact.created'] } });
    if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${JSON.stringify(res.body)}`);
    r.secret = res.body.secret;
    endpointIds.push(res.body.id);
  }
  const setEnabled = async (enabled: boolean) => {
    for (const id of endpointIds) await t.request('PATCH', `/api/v1/webhooks/${id}`, { as: org.admin, body: { enabled } });
  };

  // As in the server: the event stream wakes the dispatcher the moment a change commits.
  const stream = await openEventStream(database, silentLogger);
  const scheduler = await startScheduler({ database, databaseUrl: benchUrl.toString(), jobs: [], consumers, log: silentLogger, stream, pollingIntervalSeconds: 0.5 });
  // As in the server: new deliveries are announced at commit and the sender's poll (its default) is the safety net.
  const sender = startDeliverySender({
    ...outbound, db: database.db, clock: systemClock, log: silentLogger, publicUrl: 'http://localhost:8787', concurrency: 32,
    announcements: (onNew) => listenChannel(database, DELIVERIES_CHANNEL, onNew),
  });

  let seq = 0;
  const writes = async (count: number) => {
    const latencies: number[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t0 = performance.now();
      const res = await t.request('POST', '/api/v1/contacts', { as: org.admin, body: { email: `bench${++seq}@bench.test`, firstName: 'Bench', lastName: String(seq) } });
      latencies.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`write: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return latencies;
  };

  console.log(`bench:webhooks on Postgres (${benchUrl.host}/${DB_NAME}): ${BASELINE} writes with webhooks off, then ${EVENTS} with ${ENDPOINTS} endpoints on (one failing half the time), at ${RATE} writes/s`);
  await setEnabled(false);
  const off = await writes(BASELINE);
  await setEnabled(true);
  const runStart = Date.now();
  const on = await writes(EVENTS);
  console.log(`writes done in ${((Date.now() - runStart) / 1000).toFixed(1)} s; waiting for the healthy endpoints (up to ${DRAIN_SECONDS} s)`);

  const healthy = receivers.slice(0, ENDPOINTS - 1);
  const drainDeadline = Date.now() + DRAIN_SECONDS * 1000;
  while (Date.now() < drainDeadline && healthy.some((r) => r.accepted.size < EVENTS)) await new Promise((r) => setTimeout(r, 250));
  const drainedAfter = (Date.now() - runStart) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  await sender.stop();
  await scheduler.stop();
  await stream.close();

  const latencies = healthy.flatMap((r) => r.latencies);
  const lost = healthy.reduce((n, r) => n + (EVENTS - r.accepted.size), 0);
  const duplicates = healthy.reduce((n, r) => n + [...r.accepted.values()].reduce((d, arrivals) => d + arrivals.length - 1, 0), 0);
  const failing = receivers[ENDPOINTS - 1]!;
  const pending = (await t.request('GET', `/api/v1/webhooks/${endpointIds[ENDPOINTS - 1]}/deliveries?status=pending&limit=100`, { as: org.admin })).body.data.length;

  console.log('');
  console.log(`healthy deliveries: ${latencies.length} (${healthy.length} endpoints × ${EVENTS} events); all in by ${drainedAfter.toFixed(1)} s after the first write`);
  console.log(`  delivery latency, event → receiver: p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(pct(latencies, 100))} (target p99 ≤ 2000 ms)`);
  console.log(`  events lost at healthy endpoints: ${lost} (target 0)`);
  console.log(`  duplicates at healthy endpoints: ${duplicates}`);
  console.log(`  signatures that failed to verify: ${receivers.reduce((n, r) => n + r.unverified, 0)}`);
  console.log(`failing endpoint: ${failing.accepted.size} of ${EVENTS} accepted so far, ${failing.refused} answered 500, ${pending >= 100 ? '100+' : pending} still pending (retried with back-off, nothing dropped)`);
  console.log(`API write latency (POST /contacts, in process): without webhooks p50 ${ms(pct(off, 50))} p99 ${ms(pct(off, 99))}; with webhooks p50 ${ms(pct(on, 50))} p99 ${ms(pct(on, 99))}`);
  console.log(`  with / without: p50 ${((pct(on, 50) / pct(off, 50) - 1) * 100).toFixed(1)} %, p99 ${((pct(on, 99) / pct(off, 99) - 1) * 100).toFixed(1)} % (target ≤ +10 %)`);
  await Promise.all(receivers.map((r) => r.close()));
  await database.close();
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.end();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
