// Paging plans for incremental pulls, as pure steps: what to ask next, and what to store as the
// checkpoint after each page so a crash resumes where it stopped.
//
// HubSpot's search API returns at most 10,000 results per query (asking past that is a 400), so a
// pull sorted by lastmodifieddate is split into windows: when the next page would cross the limit,
// a new query starts at the last modification time read (GTE: records sharing that millisecond are
// read again and upserted again, which is harmless). Ten thousand records with one and the same
// timestamp cannot be split by time: then the plan says to fall back to the plain list endpoint.
//
// Salesforce answers a query with a cursor (nextRecordsUrl) that lives about 15 minutes; a
// checkpoint keeps both the cursor and the last SystemModstamp read, and resumes from the stamp
// when the cursor is too old.

export const HUBSPOT_SEARCH_WINDOW = 10_000;
export const HUBSPOT_SEARCH_PAGE = 200;

export interface HubSpotSearchCursor {
  /** lastmodifieddate lower bound (inclusive) of the current window, ms since epoch; null: from the start. */
  since: number | null;
  /** Offset within the window (HubSpot's `after`). */
  after: number;
}

/** `modifiedProperty`: contacts have lastmodifieddate, companies and deals hs_lastmodifieddate. */
export function hubSpotSearchBody(cursor: HubSpotSearchCursor, properties: readonly string[], limit = HUBSPOT_SEARCH_PAGE, modifiedProperty = 'lastmodifieddate') {
  return {
    filterGroups: cursor.since === null ? [] : [{ filters: [{ propertyName: modifiedProperty, operator: 'GTE', value: String(cursor.since) }] }],
    sorts: [{ propertyName: modifiedProperty, direction: 'ASCENDING' }],
    properties: [...properties],
    limit,
    after: String(cursor.after),
  };
}

export type HubSpotSearchStep =
  | { kind: 'next'; cursor: HubSpotSearchCursor }
  /** Everything read; `modifiedUpTo` is the checkpoint for the next incremental pull. */
  | { kind: 'done'; modifiedUpTo: number | null }
  /** More than a whole window shares one timestamp: read with the list endpoint instead. */
  | { kind: 'use_list'; since: number | null };

/**
 * After a page: `read` results, the last one modified at `lastModified` (ms), and HubSpot's next
 * `after` when there are more.
 */
export function nextHubSpotSearch(cursor: HubSpotSearchCursor, page: { read: number; lastModified: number | null; nextAfter: number | null }, limit = HUBSPOT_SEARCH_PAGE): HubSpotSearchStep {
  const upTo = page.lastModified ?? cursor.since;
  if (page.nextAfter === null) return { kind: 'done', modifiedUpTo: upTo };
  if (page.nextAfter + limit <= HUBSPOT_SEARCH_WINDOW) return { kind: 'next', cursor: { since: cursor.since, after: page.nextAfter } };
  // The next page would leave the window: restart the query at the last timestamp read.
  if (upTo === null || upTo === cursor.since) return { kind: 'use_list', since: cursor.since };
  return { kind: 'next', cursor: { since: upTo, after: 0 } };
}

export interface SalesforceCheckpoint {
  /** The last SystemModstamp read (ISO); null: nothing read yet. */
  lastStamp: string | null;
  /** The query's cursor and when it was handed out. */
  cursor: { nextRecordsUrl: string; at: string } | null;
}

/** Salesforce keeps a query cursor for 15 minutes of inactivity; resume from the stamp well before that. */
export const SALESFORCE_CURSOR_TTL_MS = 10 * 60_000;

/** SOQL datetime literal: ISO 8601 in UTC, unquoted. */
export const soqlDateTime = (at: string | Date) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An incremental query, in SystemModstamp order (ties by Id) so the stamp is a valid resume point. */
export function salesforceQuery(object: string, fields: readonly string[], since: string | null): string {
  const select = [...new Set(['Id', 'SystemModstamp', ...fields])].join(', ');
  const where = since ? ` WHERE SystemModstamp >= ${soqlDateTime(since)}` : '';
  return `SELECT ${select} FROM ${object}${where} ORDER BY SystemModstamp ASC, Id ASC`;
}

export type SalesforceStep = { kind: 'query_more'; nextRecordsUrl: string } | { kind: 'query'; since: string | null };

/** Where to go on from a checkpoint: the cursor while it is fresh, else a new query from the last stamp. */
export function resumeSalesforce(checkpoint: SalesforceCheckpoint, since: string | null, now: Date): SalesforceStep {
  if (checkpoint.cursor && now.getTime() - new Date(checkpoint.cursor.at).getTime() < SALESFORCE_CURSOR_TTL_MS) {
    return { kind: 'query_more', nextRecordsUrl: checkpoint.cursor.nextRecordsUrl };
  }
  return { kind: 'query', since: checkpoint.lastStamp ?? since };
}

/** The checkpoint after a page of a query (`done` and `nextRecordsUrl` as Salesforce answered). */
export function salesforceCheckpointAfter(previous: SalesforceCheckpoint, page: { done: boolean; nextRecordsUrl?: string | null; lastStamp: string | null }, now: Date): SalesforceCheckpoint {
  return {
    lastStamp: page.lastStamp ?? previous.lastStamp,
    cursor: !page.done && page.nextRecordsUrl ? { nextRecordsUrl: page.nextRecordsUrl, at: now.toISOString() } : null,
  };
}
