// Whether a page of the add-in runs inside Outlook: office.js missing, answering with no host (a
// plain browser tab), another Office host, never answering; and the API's address from the page's.
import { describe, expect, it } from 'vitest';
import { FakeOffice } from './fake-office.ts';
import { apiBaseFrom, officeReady } from './office-ready.ts';

const withReady = (info: { host: unknown } | 'never', extra: object = {}) => ({
  Office: Object.assign(new FakeOffice({ userEmail: 'robin@seller.test' }), {
    HostType: { Outlook: 'Outlook', Word: 'Word' },
    onReady: () => (info === 'never' ? new Promise(() => undefined) : Promise.resolve({ platform: null, ...info })),
    ...extra,
  }),
});

describe('officeReady', () => {
  it('is Outlook when office.js says so', async () => {
    const win = withReady({ host: 'Outlook' });
    expect(await officeReady(win)).toEqual({ kind: 'outlook', office: win.Office });
  });

  it.each([
    ['office.js did not load', {}, { kind: 'outside', reason: 'no-office-js' }],
    ['a plain browser tab (no host)', withReady({ host: null }), { kind: 'outside', reason: 'not-outlook', host: null }],
    ['another Office application', withReady({ host: 'Word' }), { kind: 'outside', reason: 'not-outlook', host: 'Word' }],
  ])('is outside Outlook when %s', async (_case, win, expected) => {
    expect(await officeReady(win)).toEqual(expected);
  });

  it('gives up when office.js never answers', async () => {
    expect(await officeReady(withReady('never'), 30)).toEqual({ kind: 'outside', reason: 'no-answer' });
  });
});

describe('apiBaseFrom', () => {
  it.each([
    ['https://crm.example.com/outlook/taskpane.html', 'https://crm.example.com'],
    ['https://crm.example.com/outlook/launchevent.html?x=1', 'https://crm.example.com'],
    ['https://example.com/crm/outlook/compose.html#a', 'https://example.com/crm'],
  ])('%s → %s', (page, base) => expect(apiBaseFrom(page)).toBe(base));
});
