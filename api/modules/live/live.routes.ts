// GET /api/v1/events: the live stream of changes (Server-Sent Events) the web app's board, deal
// pages and home follow. Authenticated like every route (the browser's cookie session; EventSource
// cannot send X-Org-Id, hence ?orgId), scoped to what the listener may read (core/live/
// visibility.ts). Each change's SSE id is its event's seq: a reconnecting browser sends it back as
// Last-Event-ID and gets what it missed (up to RESUME_LIMIT, else a `reset`: reload everything).
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { LiveChange, LiveQuery, LiveReady } from '../../../core/schemas/live.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { changeFor } from './live-hub.ts';
import { latestSeq, loadEventsAfter } from './live-events.service.ts';

/** Missed events replayed on a reconnect; past this the browser is told to reload. */
export const RESUME_LIMIT = 1000;
/** A comment this often keeps proxies from closing a quiet stream and finds dead connections. */
export const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting. */
const RETRY_MS = 1500;

const description = [
  'A `text/event-stream`. Events: `change` (data: a LiveChange, see the schema; id: its seq) for every committed change you may see; ',
  '`ready` (data: LiveReady) once missed changes have been replayed; `reset` when more was missed than can be replayed: reload what you show. ',
  'Send `Last-Event-ID` (EventSource does on reconnect) or `?after=` to resume. 503 when this server runs without live updates.',
].join('');

export const liveRoutes = new OpenAPIHono<AppEnv>();
// The events' data are not a response body, so nothing else would put their schemas in the document.
liveRoutes.openAPIRegistry.register('LiveChange', LiveChange);
liveRoutes.openAPIRegistry.register('LiveReady', LiveReady);

liveRoutes.openapi(
  createRoute({
    method: 'get', path: '/events', tags: ['Live'], summary: 'Live changes as Server-Sent Events, for the web app', description,
    request: { query: LiveQuery },
    responses: {
      200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'The stream' },
      ...errorResponses,
      503: { content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } }, description: 'UNAVAILABLE: no live updates in this process' },
    },
  }),
  async (c) => {
    const hub = c.var.deps.live;
    if (!hub) throw new AppError('UNAVAILABLE', 'Live updates are not available from this server');
    const query = c.req.valid('query');
    const header = c.req.header('last-event-id');
    // A garbled Last-Event-ID is a fresh start, not an error: EventSource would retry it forever.
    const after = header && /^\d{1,15}$/.test(header) ? Number(header) : query.after;
    const actor = c.var.actor;
    c.header('X-Accel-Buffering', 'no'); // proxies (nginx) must pass events on at once

    return streamSSE(c, async (stream) => {
      let lastSent = -1;
      const queue: LiveChange[] = [];
      let wake: (() => void) | null = null;
      let open = true;
      const finish = () => {
        open = false;
        wake?.();
      };
      // Listen first, then read what was missed: nothing committed in between is lost.
      const stop = hub.listen({
        actor,
        send: (change) => {
          queue.push(change);
          wake?.();
        },
        close: finish,
      });
      stream.onAbort(finish);
      // Changes replayed from the backlog may also arrive live; each is sent once.
      const replayed = new Set<number>();
      const send = async (change: LiveChange) => {
        await stream.writeSSE({ event: 'change', id: String(change.seq), data: JSON.stringify(change) });
        lastSent = Math.max(lastSent, change.seq);
      };
      try {
        await stream.writeSSE({ event: 'hello', data: '{}', retry: RETRY_MS });
        let resumed = 0;
        if (after !== undefined) {
          const missed = await inRequestTenant(c, (s) => loadEventsAfter(s, after, RESUME_LIMIT));
          if (missed.more || missed.gap) {
            await stream.writeSSE({ event: 'reset', data: JSON.stringify({ reason: missed.gap ? 'events expired' : 'too many changes missed' }) });
          } else {
            for (const e of missed.events) {
              const change = changeFor(actor, e);
              if (change) {
                await send(change);
                replayed.add(change.seq);
                resumed++;
              }
            }
          }
        }
        const seq = await inRequestTenant(c, (s) => latestSeq(s));
        // The id sets the browser's Last-Event-ID, so even a listener that heard nothing resumes from here.
        await stream.writeSSE({ event: 'ready', id: seq === null ? undefined : String(Math.max(seq, lastSent)), data: JSON.stringify({ seq, resumed }) });
        let lastBeat = Date.now();
        while (open && !stream.aborted) {
          const change = queue.shift();
          if (change) {
            if (!replayed.has(change.seq)) await send(change);
            continue;
          }
          if (Date.now() - lastBeat >= HEARTBEAT_MS) {
            await stream.write(': keep-alive\n\n');
            lastBeat = Date.now();
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, HEARTBEAT_MS);
          });
          clearTimeout(timer);
          wake = null;
        }
      } finally {
        stop();
      }
    }, async (err: Error, stream: SSEStreamingApi) => {
      c.var.deps.log.warn('live stream ended with an error', { error: err.message });
      await stream.close();
    }) as never;
  },
);
