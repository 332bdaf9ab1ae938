// All the score reads from a deal's activities and engagement, as of one moment: the last two-way
// touch, and the touches in the two engagement windows. The score works on this summary, so a
// database can aggregate it in one query for thousands of deals instead of sending every activity
// (api/services/risk-scoring.ts); summarizeActivities is the definition that query must match.
import { isTwoWayTouch, DAY_MS, type EngagementEvent, type RiskActivity } from './types.ts';

export interface TouchCounts {
  inboundEmails: number;
  outboundEmails: number;
  calls: number;
  meetings: number;
  /** Counted opens and clicks of tracked emails. */
  opens: number;
  clicks: number;
}

export interface ActivitySummary {
  /** The moment and window length the summary was taken for: scoring refuses any other. */
  asOf: Date;
  windowDays: number;
  /** The latest buyer reply, call or meeting at or before asOf; null when there was none. */
  lastTwoWayTouchAt: Date | null;
  /** Touches in (asOf − window, asOf]. */
  recent: TouchCounts;
  /** Touches in (asOf − 2·window, asOf − window]. */
  previous: TouchCounts;
}

export const noTouches = (): TouchCounts => ({ inboundEmails: 0, outboundEmails: 0, calls: 0, meetings: 0, opens: 0, clicks: 0 });

/** Summarizes activities and engagement as of `asOf`; anything after it is ignored. */
export function summarizeActivities(
  activities: readonly RiskActivity[],
  engagement: readonly EngagementEvent[],
  windowDays: number,
  asOf: Date,
): ActivitySummary {
  const now = asOf.getTime();
  const window = windowDays * DAY_MS;
  const summary: ActivitySummary = { asOf, windowDays, lastTwoWayTouchAt: null, recent: noTouches(), previous: noTouches() };
  const bucket = (at: number): TouchCounts | null => (at > now || at <= now - 2 * window ? null : at > now - window ? summary.recent : summary.previous);
  let last: number | null = null;
  for (const a of activities) {
    const at = a.occurredAt.getTime();
    if (at <= now && isTwoWayTouch(a) && (last === null || at > last)) last = at;
    const counts = bucket(at);
    if (!counts) continue;
    if (a.type === 'email' && a.direction === 'inbound') counts.inboundEmails++;
    else if (a.type === 'email' && a.direction === 'outbound') counts.outboundEmails++;
    else if (a.type === 'call') counts.calls++;
    else if (a.type === 'meeting') counts.meetings++;
  }
  for (const e of engagement) {
    const counts = bucket(e.at.getTime());
    if (!counts) continue;
    if (e.kind === 'open') counts.opens++;
    else counts.clicks++;
  }
  summary.lastTwoWayTouchAt = last === null ? null : new Date(last);
  return summary;
}

/** Two summaries of the same moment and windows added up (e.g. activities from SQL, engagement from events). */
export function combineSummaries(a: ActivitySummary, b: ActivitySummary): ActivitySummary {
  if (a.asOf.getTime() !== b.asOf.getTime() || a.windowDays !== b.windowDays) throw new Error('combineSummaries: summaries of different moments or windows');
  const add = (x: TouchCounts, y: TouchCounts): TouchCounts => ({
    inboundEmails: x.inboundEmails + y.inboundEmails,
    outboundEmails: x.outboundEmails + y.outboundEmails,
    calls: x.calls + y.calls,
    meetings: x.meetings + y.meetings,
    opens: x.opens + y.opens,
    clicks: x.clicks + y.clicks,
  });
  const lasts = [a.lastTwoWayTouchAt, b.lastTwoWayTouchAt].filter((d): d is Date => d !== null).map((d) => d.getTime());
  return {
    asOf: a.asOf,
    windowDays: a.windowDays,
    lastTwoWayTouchAt: lasts.length ? new Date(Math.max(...lasts)) : null,
    recent: add(a.recent, b.recent),
    previous: add(a.previous, b.previous),
  };
}
