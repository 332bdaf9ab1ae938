// Outlook's sent mail: reported sent under a placeholder at send time (no Message-ID in compose mode),
// then tied to its RFC 822 Message-ID when the sender's pane shows the Sent copy and finds the signed
// pixel in it. From then on opens, the sender's own views and the email log go by the Message-ID.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outlookSentPlaceholderId } from '../../../core/mail/message-id.ts';
import { signToken, pixelUrl } from '../../../core/tracking/tokens.ts';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, testTrackingKeyring, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { hit, IP, MIN, registerTracked, S, UA } from '../../../test-support/tracking.ts';

const SENT = Date.parse('2026-11-20T09:00:00Z');
let now = SENT;
let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  a = await createOrgFixture(t, 'Copyalpha');
  b = await createOrgFixture(t, 'Copybravo');
});
afterAll(() => t.close());

let counter = 0;
/** A tracked message sent from Outlook: registered, decorated, reported sent under the placeholder. */
async function sentFromOutlook(as = a.rep) {
  const reg = await registerTracked(t, as, { to: [a.contactEmail], subject: 'Proposal', threadId: 'AAQkADconv=' });
  const sent = await t.request('POST', `/api/v1/tracking/messages/${reg.trackedMessageId}/sent`, { as, body: { messageId: outlookSentPlaceholderId(reg.trackedMessageId), threadId: 'AAQkADconv=', sentAt: new Date(now).toISOString() } });
  expect(sent.status).toBe(200);
  const rfc = `<SN${++counter}PR11MB.${process.pid}@namprd11.prod.outlook.com>`;
  // As Outlook serialises the Sent copy's body: the pixel URL HTML-escaped inside an <img>.
  const sentCopyHtml = reg.html;
  return { reg, rfc, sentCopyHtml };
}

const pixelsIn = (html: string) => [...html.matchAll(/<img[^>]+src="([^"]+\/o\/[^"]+\.gif)"/g)].map((m) => m[1]!);
const report = (as: typeof a.rep, body: unknown) => t.request('POST', '/api/v1/tracking/sent-copies', { as, body });
const summaryByRfc = async (rfc: string, as = a.rep) => (await t.request('GET', `/api/v1/tracking/messages?messageIds=${encodeURIComponent(rfc)}`, { as })).body.data;

describe('POST /tracking/sent-copies', () => {
  it('ties a message sent from Outlook to its Sent copy\'s Message-ID, found by the pixel in the copy', async () => {
    const { reg, rfc, sentCopyHtml } = await sentFromOutlook();
    expect(await summaryByRfc(rfc)).toEqual([]);
    const res = await report(a.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc, threadId: 'AAQkADconv=', sentAt: new Date(now + 3 * S).toISOString() });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([expect.objectContaining({ id: reg.trackedMessageId, messageId: rfc, threadId: 'AAQkADconv=' })]);
    expect((await summaryByRfc(rfc)).map((m: { id: string }) => m.id)).toEqual([reg.trackedMessageId]);
    // Logged later by its Message-ID (the rep's pane logs the Sent copy): opens attach to that activity.
    const logged = await t.request('POST', '/api/v1/emails', { as: a.rep, body: { messageId: rfc, from: a.rep.email, to: [a.contactEmail], subject: 'Proposal', sentAt: new Date(now).toISOString(), direction: 'outbound' } });
    const [row] = rowsOf<{ activity_id: string }>(await t.database.db.execute(sql`select activity_id from tracked_messages where id = ${reg.trackedMessageId}`));
    expect(row!.activity_id).toBe(logged.body.activityId);
  });

  it('counts the pixel fetch of the sender\'s own display of the copy as theirs, not an open', async () => {
    const { reg, rfc, sentCopyHtml } = await sentFromOutlook();
    now += 30 * MIN;
    await report(a.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc });
    now += 1 * S;
    await hit(t, reg.pixelUrl, { ua: UA.outlookDesktop, ip: IP.person });
    now += 10 * S;
    await t.tracking.hits.flush();
    const [summary] = await summaryByRfc(rfc);
    expect(summary.opens.count).toBe(0);
    expect(summary.machineHits.sender_self).toBe(1);
  });

  it('never moves a message already tied to a copy: a forward of it carries the same pixel', async () => {
    const { reg, rfc, sentCopyHtml } = await sentFromOutlook();
    await report(a.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc });
    const forward = await report(a.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: '<forward-of-it@namprd11.prod.outlook.com>' });
    expect(forward.body.data).toEqual([]);
    expect((await summaryByRfc(rfc)).map((m: { id: string }) => m.id)).toEqual([reg.trackedMessageId]);
    // Seeing the same copy again is a view, not a new tie.
    expect((await report(a.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc })).body.data.map((m: { id: string }) => m.id)).toEqual([reg.trackedMessageId]);
  });

  it('ignores other people\'s messages, other tenants and pixels it did not sign', async () => {
    const { rfc, sentCopyHtml } = await sentFromOutlook();
    expect((await report(a.otherRep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc })).body.data).toEqual([]);
    expect((await report(b.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc })).body.data).toEqual([]);
    const forged = pixelUrl(t.tracking.baseUrl, signToken({ kind: 'open', messageId: '00000000-0000-4000-8000-000000000000', recipient: null }, { currentKeyId: 'x', keys: { x: 'another-secret-that-is-long-enough-1234' } }));
    const elsewhere = `https://tracker.example.net/o/${signToken({ kind: 'open', messageId: '00000000-0000-4000-8000-000000000000', recipient: null }, testTrackingKeyring)}.gif`;
    expect((await report(a.rep, { pixelUrls: [forged, elsewhere, 'not a url'], messageId: rfc })).body.data).toEqual([]);
    expect(await summaryByRfc(rfc)).toEqual([]);
  });

  it('does not tie a copy from long after the send (a message re-sent from Sent Items)', async () => {
    const { rfc, sentCopyHtml } = await sentFromOutlook();
    const res = await report(a.rep, { pixelUrls: pixelsIn(sentCopyHtml), messageId: rfc, sentAt: new Date(now + 3 * 24 * 60 * MIN).toISOString() });
    expect(res.body.data).toEqual([]);
  });

  it.each([
    [{ pixelUrls: [], messageId: '<a@b>' }],
    [{ pixelUrls: ['https://x/o/t.gif'], messageId: 'outlook-sent:not-an-rfc-id' }],
    [{ pixelUrls: ['https://x/o/t.gif'] }],
  ])('answers 400 to %j and ties nothing', async (body) => {
    const res = await report(a.rep, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
