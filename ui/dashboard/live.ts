// Live updates: the browser follows GET /api/v1/events (Server-Sent Events; EventSource reconnects
// by itself and resumes with Last-Event-ID) and applies each change to what is on screen. A deal
// change carries the deal's card as it is now, which is put straight into every board it belongs on
// (by the same filter rules as the API, core/deals/filters.ts) or taken off; other changes refresh
// the queries they concern, a few at a time.
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { putCardsInBoards } from './board/board-cache.ts';
import { keys } from './queries.ts';
import type { LiveChange } from './types.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'off';

/** Applies one change to the query cache. Exported for tests. */
export function applyChange(queryClient: QueryClient, change: LiveChange, invalidate: (key: readonly unknown[]) => void) {
  if (change.recordType === 'deal') {
    if (change.deal !== undefined) {
      // The one card, in place: no board is asked for again (its totals only, when the card's old
      // place was not loaded).
      putCardsInBoards(queryClient, [{ id: change.recordId, card: change.deal }], { pin: false });
      // A board being fetched right now may answer with the state before this change.
      for (const query of queryClient.getQueryCache().findAll({ queryKey: keys.boardAll })) {
        if (query.state.fetchStatus === 'fetching') invalidate(query.queryKey);
      }
    } else {
      invalidate(keys.boardAll);
    }
    invalidate(keys.deal(change.recordId));
    invalidate(keys.atRisk);
    invalidate(keys.reports);
    if (change.type === 'deal.risk_changed') invalidate(keys.notifications);
    return;
  }
  for (const dealId of change.dealIds ?? []) invalidate(keys.deal(dealId));
  switch (change.recordType) {
    case 'activity':
    case 'task':
    case 'email':
      invalidate(keys.tasks);
      invalidate(keys.activities);
      invalidate(keys.notifications);
      invalidate(keys.reports);
      return;
    case 'contact':
      invalidate(keys.contacts);
      return;
    case 'company':
      invalidate(keys.companies);
      return;
    case 'pipeline':
      invalidate(keys.pipelines);
      invalidate(keys.boardAll);
      return;
    case 'member':
    case 'team':
      invalidate(keys.members);
      invalidate(keys.teams);
      invalidate(keys.me);
      return;
    case 'risk_settings':
      invalidate(keys.boardAll);
      invalidate(keys.atRisk);
      invalidate(keys.settings);
      return;
    default:
      invalidate(keys.settings);
  }
}

/** Follows the live stream while mounted; answers the connection's state for the status badge. */
export function useLiveUpdates(orgId: string): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const pending = useRef(new Map<string, readonly unknown[]>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStatus('off');
      return;
    }
    const invalidate = (key: readonly unknown[]) => {
      pending.current.set(JSON.stringify(key), key);
      timer.current ??= setTimeout(() => {
        timer.current = null;
        const batch = [...pending.current.values()];
        pending.current.clear();
        for (const queryKey of batch) void queryClient.invalidateQueries({ queryKey });
      }, 250);
    };
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    // The last event applied: a new connection (after the browser gave up on the old) resumes there.
    let lastId: string | null = null;
    const connect = () => {
      const after = lastId ? `&after=${encodeURIComponent(lastId)}` : '';
      const es = new EventSource(`/api/v1/events?orgId=${encodeURIComponent(orgId)}${after}`);
      source = es;
      es.addEventListener('ready', (e) => {
        failures = 0;
        lastId = (e as MessageEvent<string>).lastEventId || lastId;
        setStatus('live');
      });
      es.addEventListener('change', (e) => {
        const message = e as MessageEvent<string>;
        lastId = message.lastEventId || lastId;
        applyChange(queryClient, JSON.parse(message.data) as LiveChange, invalidate);
      });
      // More was missed than can be replayed: everything shown may be stale.
      es.addEventListener('reset', () => void queryClient.invalidateQueries());
      es.onerror = () => {
        if (es.readyState !== EventSource.CLOSED) {
          setStatus('reconnecting');
          return;
        }
        // The server refused the stream (signed out, no longer a member, too many requests, a
        // restart): ask who we are again, and try anew later, waiting longer each time.
        es.close();
        failures++;
        setStatus(failures > 5 ? 'off' : 'reconnecting');
        void queryClient.invalidateQueries({ queryKey: keys.me });
        retry = setTimeout(connect, Math.min(60_000, 2000 * 2 ** (failures - 1)));
      };
    };
    connect();
    return () => {
      source?.close();
      if (retry) clearTimeout(retry);
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [orgId, queryClient]);
  return status;
}
