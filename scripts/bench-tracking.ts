// `npm run bench:tracking`: how fast the open pixel answers, against a bare Hono hello-world in the
// same run, and whether a graceful shutdown loses any hit.
//
// 1. Starts the real server (`api/server.ts`, as `npm start` does) on a scratch Postgres database
//    `crm_bench_tracking` next to DATABASE_URL (default: the local test server), with demo data, and
//    a bare Hono hello-world in another Node process.
// 2. Registers one tracked message as the demo rep through the API and takes its pixel URL.
// 3. Drives each for BENCH_SECONDS (default 20) with autocannon on loopback, pixel first, with a
//    person's browser user-agent, BENCH_CONNECTIONS (default 16) connections.
// 4. Sends SIGTERM to the server, waits for it to exit (it drains its hit buffer), and counts the hits
//    stored for the message against the pixel responses autocannon received.
// Prints figures; asserts nothing (the machines are shared and noisy).
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { freePort } from '../test-support/free-port.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? '20');
const connections = Number(process.env.BENCH_CONNECTIONS ?? '16');
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BROWSER_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';


/** Starts a child and resolves once a line of its output matches `ready`. */
function startChild(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code} before it was ready:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function api<T>(base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

// autocannon's result has `requests.sent` (every request written, answered or not); its types omit it.
const pixelSent = (r: autocannon.Result) => (r.requests as autocannon.Histogram & { sent?: number }).sent ?? r.requests.total;

function drive(url: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers: { 'user-agent': BROWSER_UA } }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe('drop database if exists crm_bench_tracking with (force)');
await admin.unsafe('create database crm_bench_tracking');
const benchUrl = new URL(serverUrl);
benchUrl.pathname = '/crm_bench_tracking';

const children: ChildProcess[] = [];
try {
  const [apiPort, helloPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${apiPort}`;
  console.log(`Starting the server on Postgres (${benchUrl.host}/crm_bench_tracking) and a bare Hono hello-world…`);
  const server = await startChild(
    // Node itself (not npx/tsx wrappers), so SIGTERM reaches the server process directly.
    process.execPath,
    ['--import', 'tsx', 'api/server.ts'],
    // Every load comes from 127.0.0.1: the per-network budget (600 a minute) would stop recording
    // after the first second, so it is off here to time the path that records every hit.
    { DATABASE_URL: benchUrl.toString(), PORT: String(apiPort), HOST: '127.0.0.1', PUBLIC_URL: base, LOG_LEVEL: 'warn', DEMO_DATA: 'true', DEMO_INBOX: 'false', JOBS: 'false', RATE_LIMIT_TRACKING_PER_NETWORK: '0' },
    /Inbox CRM on/,
  );
  children.push(server);
  const hello = await startChild(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
       const app = new Hono(); app.get('/', (c) => c.text('Hello World!'));
       serve({ fetch: app.fetch, port: ${helloPort}, hostname: '127.0.0.1' }, () => console.log('hello ready'));`,
    ],
    {},
    /hello ready/,
  );
  children.push(hello);

  const session = await api<{ token: string }>(base, '/api/v1/session', { method: 'POST', body: { email: 'rep1@demo.test', password: 'demo-password' } });
  const contacts = await api<{ data: { email: string | null }[] }>(base, '/api/v1/contacts?limit=5', { token: session.token });
  const to = contacts.data.find((c) => c.email)?.email;
  if (!to) throw new Error('the demo data has no contact with an email address');
  const registered = await api<{ trackedMessageId: string | null; pixelUrl: string | null; decision: { explanation: string } }>(base, '/api/v1/tracking/messages', {
    method: 'POST',
    token: session.token,
    body: { to: [to], subject: 'Benchmark', html: '<p>Hello, see <a href="https://example.com/pricing">pricing</a>.</p>' },
  });
  if (!registered.trackedMessageId || !registered.pixelUrl) throw new Error(`the message was not tracked: ${registered.decision.explanation}`);
  // Sent a minute ago, so no hit falls in the "just sent" window that the classifier treats apart.
  await api(base, `/api/v1/tracking/messages/${registered.trackedMessageId}/sent`, {
    method: 'POST',
    token: session.token,
    body: { messageId: `<bench-${Date.now()}@bench.test>`, sentAt: new Date(Date.now() - 60_000).toISOString() },
  });
  const pixel = registered.pixelUrl.replace(/^https?:\/\/[^/]+/, base);

  // Warm both up (JIT, connection pools) before measuring.
  await fetch(pixel, { headers: { 'user-agent': BROWSER_UA } });
  await fetch(`http://127.0.0.1:${helloPort}/`);

  console.log(`Driving the pixel for ${seconds} s (${connections} connections)…`);
  const pixelRun = await drive(pixel);
  console.log(`Driving hello-world for ${seconds} s (${connections} connections)…`);
  const helloRun = await drive(`http://127.0.0.1:${helloPort}/`);

  console.log('SIGTERM to the server; waiting for it to drain and exit…');
  const stopAt = performance.now();
  server.kill('SIGTERM');
  const code = await exited(server);
  const drainMs = performance.now() - stopAt;

  const db = postgres(benchUrl.toString(), { max: 1, onnotice: () => {} });
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from tracking_hits where tracked_message_id = ${registered.trackedMessageId}`;
  await db.end();
  const recorded = row?.n ?? 0;
  // Every request autocannon sent reached the server (those in flight when the 20 s ended too, even
  // though autocannon does not count their answers); +1 for the warm-up fetch above.
  const sent = pixelSent(pixelRun) + 1;

  const rate = (r: autocannon.Result) => r.requests.average;
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`
Pixel (GET /o/<token>.gif, real server, Postgres)
  requests/s  mean ${fmt(rate(pixelRun))}   median ${fmt(pixelRun.requests.p50)}
  latency     p50 ${fmt(pixelRun.latency.p50, 2)} ms   p99 ${fmt(pixelRun.latency.p99, 2)} ms   max ${fmt(pixelRun.latency.max, 2)} ms
  responses   ${fmt(pixelRun['2xx'])} 2xx, ${fmt(pixelRun.non2xx)} non-2xx, ${fmt(pixelRun.errors)} errors, ${fmt(pixelRun.timeouts)} timeouts
Hello-world (bare Hono, @hono/node-server)
  requests/s  mean ${fmt(rate(helloRun))}   median ${fmt(helloRun.requests.p50)}
  latency     p50 ${fmt(helloRun.latency.p50, 2)} ms   p99 ${fmt(helloRun.latency.p99, 2)} ms
Ratio pixel / hello-world: ${fmt((rate(pixelRun) / rate(helloRun)) * 100, 1)} %   (target >= 50 %)
Pixel p99: ${fmt(pixelRun.latency.p99, 2)} ms   (target <= 20 ms)
Graceful shutdown: exit code ${code}, ${fmt(drainMs)} ms; hits recorded ${fmt(recorded)} of ${fmt(sent)} pixel requests sent (${recorded === sent ? 'nothing lost' : recorded < sent ? `${fmt(sent - recorded)} missing` : `${fmt(recorded - sent)} more than sent?`})
`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await admin.unsafe('drop database if exists crm_bench_tracking with (force)').catch(() => undefined);
  await admin.end();
}
