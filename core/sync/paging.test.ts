import { describe, expect, it } from 'vitest';
import { hubSpotSearchBody, nextHubSpotSearch, resumeSalesforce, salesforceCheckpointAfter, salesforceQuery, type HubSpotSearchCursor } from './paging.ts';

describe('HubSpot search windows', () => {
  it.each<[string, HubSpotSearchCursor, { read: number; lastModified: number | null; nextAfter: number | null }, unknown]>([
    ['a middle page goes on in the window', { since: null, after: 0 }, { read: 200, lastModified: 1000, nextAfter: 200 }, { kind: 'next', cursor: { since: null, after: 200 } }],
    ['the last page that fits the window', { since: 5, after: 9600 }, { read: 200, lastModified: 1000, nextAfter: 9800 }, { kind: 'next', cursor: { since: 5, after: 9800 } }],
    ['past the window: a new query from the last timestamp', { since: 5, after: 9800 }, { read: 200, lastModified: 7000, nextAfter: 10_000 }, { kind: 'next', cursor: { since: 7000, after: 0 } }],
    ['a whole window with one timestamp: use the list endpoint', { since: 7000, after: 9800 }, { read: 200, lastModified: 7000, nextAfter: 10_000 }, { kind: 'use_list', since: 7000 }],
    ['the last page: done, checkpoint at its last timestamp', { since: 5, after: 400 }, { read: 17, lastModified: 9000, nextAfter: null }, { kind: 'done', modifiedUpTo: 9000 }],
    ['an empty pull keeps the checkpoint', { since: 5, after: 0 }, { read: 0, lastModified: null, nextAfter: null }, { kind: 'done', modifiedUpTo: 5 }],
  ])('%s', (_label, cursor, page, step) => {
    expect(nextHubSpotSearch(cursor, page)).toEqual(step);
  });

  it('asks in lastmodifieddate order from the window start, inclusive', () => {
    expect(hubSpotSearchBody({ since: 1764547200000, after: 400 }, ['email'])).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '1764547200000' }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email'],
      limit: 200,
      after: '400',
    });
    expect(hubSpotSearchBody({ since: null, after: 0 }, []).filterGroups).toEqual([]);
  });
});

describe('Salesforce cursors and checkpoints', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it.each([
    ['a fresh cursor is used', { lastStamp: '2026-12-01T09:00:00Z', cursor: { nextRecordsUrl: '/q/01g-2000', at: '2026-12-01T09:55:00Z' } }, { kind: 'query_more', nextRecordsUrl: '/q/01g-2000' }],
    ['an old cursor: query again from the last stamp', { lastStamp: '2026-12-01T09:00:00Z', cursor: { nextRecordsUrl: '/q/01g-2000', at: '2026-12-01T09:30:00Z' } }, { kind: 'query', since: '2026-12-01T09:00:00Z' }],
    ['nothing read yet: from the previous sync', { lastStamp: null, cursor: null }, { kind: 'query', since: '2026-11-30T00:00:00Z' }],
  ])('%s', (_label, checkpoint, step) => {
    expect(resumeSalesforce(checkpoint, '2026-11-30T00:00:00Z', now)).toEqual(step);
  });

  it('keeps the cursor while there are more pages, and drops it at the end', () => {
    const mid = salesforceCheckpointAfter({ lastStamp: null, cursor: null }, { done: false, nextRecordsUrl: '/q/01g-4000', lastStamp: '2026-12-01T08:00:00.000Z' }, now);
    expect(mid).toEqual({ lastStamp: '2026-12-01T08:00:00.000Z', cursor: { nextRecordsUrl: '/q/01g-4000', at: now.toISOString() } });
    expect(salesforceCheckpointAfter(mid, { done: true, lastStamp: null }, now)).toEqual({ lastStamp: '2026-12-01T08:00:00.000Z', cursor: null });
  });

  it('queries in SystemModstamp order from the stamp, inclusive', () => {
    expect(salesforceQuery('Contact', ['Email', 'Id'], '2026-12-01T08:00:00.123Z')).toBe(
      'SELECT Id, SystemModstamp, Email FROM Contact WHERE SystemModstamp >= 2026-12-01T08:00:00Z ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(salesforceQuery('Account', ['Name'], null)).toBe('SELECT Id, SystemModstamp, Name FROM Account ORDER BY SystemModstamp ASC, Id ASC');
  });
});
