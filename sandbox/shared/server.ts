// Runs a stand-in's Hono app on a real port, with what only the socket can do: faults that drop or
// cut connections, the call log, added latency and a concurrency count.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Fault, FaultBook } from './faults.ts';
import type { Clock } from './options.ts';

export interface CallRecord { at: number; method: string; path: string; status: number; ms: number }

export interface HttpHooks {
  faults: FaultBook;
  clock: Clock;
  calls: CallRecord[];
  /** Answers a 'status' fault in the provider's own error format. */
  faultResponse(status: number): Response;
  /** Extra latency per request, read on every request so tests can change it. */
  latencyMs(): number;
  /** Counts requests in flight (the stand-in refuses past its concurrency limit). */
  inFlight: { count: number };
}

export interface RunningServer { url: string; close(): Promise<void> }

export async function serveSandbox(fetch: (request: Request) => Response | Promise<Response>, port: number, hooks: HttpHooks): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const handle = getRequestListener(async (request) => {
    const fault = hooks.faults.take(request.method, pathOf(request.url), (f) => !socketKinds.has(f.kind));
    if (fault?.kind === 'hook') fault.run();
    if (fault?.kind === 'status') return hooks.faultResponse(fault.status);
    hooks.inFlight.count++;
    try {
      const latency = hooks.latencyMs();
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      return await fetch(request);
    } finally {
      hooks.inFlight.count--;
    }
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const path = req.url ?? '/';
    const fault = hooks.faults.take(req.method ?? 'GET', path, (f) => socketKinds.has(f.kind));
    const record = (status: number) => hooks.calls.push({ at: hooks.clock(), method: req.method ?? 'GET', path, status, ms: Date.now() - started });
    if (fault?.kind === 'reset') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        record(0);
        req.socket.destroy();
      }, fault.ms ?? 30_000);
      timers.add(timer);
      return;
    }
    if (fault?.kind === 'resetMidBody') cutBodyInHalf(res, req.socket);
    res.on('finish', () => record(res.statusCode));
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** Faults the socket handler takes before Hono sees the request; the others are taken inside it. */
const socketKinds = new Set<Fault['kind']>(['reset', 'timeout', 'resetMidBody']);

/** Buffers the answer, then writes its head and half its bytes and destroys the socket. */
function cutBodyInHalf(res: ServerResponse, socket: Socket) {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res);
  res.write = ((chunk: unknown) => {
    if (chunk) chunks.push(Buffer.from(chunk as Buffer));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
    const body = Buffer.concat(chunks);
    if (!res.headersSent) res.setHeader('content-length', String(body.length));
    write(body.subarray(0, Math.floor(body.length / 2)));
    setTimeout(() => socket.destroy(), 5);
    return res;
  }) as typeof res.end;
}
