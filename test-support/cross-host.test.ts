// One email, one activity, whichever inbox saw it: the same RFC 822 message as the Gmail adapter
// reads it (first without its headers, by Gmail's id; later with them, from "Show original"), as
// the Outlook pane's Office.js adapter reads it for another rep, and as the demo inbox shows it,
// each turned into the log the sidebar sends (ui/sidebar/logging.ts emailLogOf) and sent to the
// real API. The result: one activity, under the Message-ID, linked to every rep's deal.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/client.ts';
import { FakeInboxSdk } from '../extension/gmail/fake-inboxsdk.ts';
import { createGmailHost } from '../extension/gmail/gmail-host.ts';
import type { OriginalHeaders } from '../extension/gmail/original-message.ts';
import { FakeOffice } from '../outlook-addin/office/fake-office.ts';
import { createOfficeInboxHost } from '../outlook-addin/office/office-inbox-host.ts';
import { createSidebarApi } from '../ui/api-client/sidebar-api.ts';
import type { DemoThread } from '../ui/demo-inbox/demo-thread.ts';
import { toInboxThread } from '../ui/demo-inbox/demo-thread.ts';
import type { InboxHost, InboxThread } from '../ui/sidebar/host.ts';
import { emailLogOf } from '../ui/sidebar/logging.ts';
import { createTestApp, type Caller, type TestApp } from './app.ts';
import { createOrgFixture, type OrgFixture } from './fixtures.ts';

let t: TestApp;
let f: OrgFixture;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Crosshost');
});
afterAll(() => t.close());

const apiFor = (as: Caller) =>
  createSidebarApi({ baseUrl: 'http://localhost:8787', getToken: () => as.token, fetch: (input, init) => Promise.resolve(t.app.fetch(new Request(input, init))) });

/** The first thread the host hands over that has its message read. */
function threadWithMessage(host: InboxHost): Promise<InboxThread> {
  return new Promise((resolve) => {
    const stop = host.onThreadChange((thread) => {
      if (thread?.messages.length) {
        resolve(thread);
        queueMicrotask(() => stop());
      }
    });
  });
}

async function log(as: Caller, thread: InboxThread) {
  const message = thread.messages[0]!;
  return apiFor(as).logEmail(emailLogOf(message, thread.threadId));
}

describe('the same email from Gmail, Outlook and the demo inbox', () => {
  it('is one activity under its Message-ID, linked to both reps\' deals, with no duplicate left', async () => {
    const rfc = `<CAF7x${process.pid}+renewal@mail.crosshost-industries.com>`;
    const sentAt = '2026-11-20T09:30:00.000Z';
    const gmailId = ((BigInt(Date.parse(sentAt)) << 20n) | 7n).toString(16);
    const pat = { name: 'Pat Quinn', emailAddress: f.contactEmail };

    // 1. Gmail, rep: "Show original" unreadable this time, so Gmail's own id.
    let original: OriginalHeaders | null = null;
    const sdk = new FakeInboxSdk(f.rep.email);
    const gmail = createGmailHost(sdk, { settleMs: 5, readOriginal: async () => original });
    const opened = threadWithMessage(gmail);
    sdk.openThread('18c-thread', 'Renewal terms', [{ id: gmailId, from: pat, recipients: [{ name: 'Rep', emailAddress: f.rep.email }, { name: 'Other', emailAddress: f.otherRep.email }], body: 'Could you send the revised quote?' }]);
    const gmailThread = await opened;
    expect(gmailThread.messages[0]!.messageId).toBe(`gmail:${gmailId}`);
    const first = await log(f.rep, gmailThread);
    expect(first.logged).toBe(true);

    // 2. Outlook, the other rep (on Cc): the Message-ID from Office.js.
    const office = new FakeOffice({ userEmail: f.otherRep.email });
    office.select({
      itemId: 'AAMkAD-x',
      internetMessageId: rfc,
      conversationId: 'AAQkAD-renewal',
      subject: 'Renewal terms',
      from: { name: 'Pat Quinn', email: f.contactEmail },
      to: [{ name: 'Rep', email: f.rep.email }],
      cc: [{ name: 'Other', email: f.otherRep.email }],
      date: sentAt,
      headers: `Message-ID: ${rfc}\r\n`,
      bodyText: 'Could you send the revised quote?',
    });
    const outlook = createOfficeInboxHost(office, { readTimeoutMs: 500 });
    const outlookRead = threadWithMessage(outlook);
    await outlook.refresh();
    const fromOutlook = await log(f.otherRep, await outlookRead);
    outlook.destroy();

    // 3. The demo inbox, the rep: the Message-ID.
    const demo: DemoThread = {
      threadId: 'demo-renewal',
      kind: 'known',
      template: 'question',
      subject: 'Renewal terms',
      contactEmail: f.contactEmail,
      messages: [
        {
          messageId: rfc,
          from: { name: 'Pat Quinn', email: f.contactEmail },
          to: [{ name: 'Rep', email: f.rep.email }],
          cc: [{ name: 'Other', email: f.otherRep.email }],
          subject: 'Renewal terms',
          date: sentAt,
          direction: 'inbound',
          snippet: 'Could you send the revised quote?',
          body: 'Could you send the revised quote?',
        },
      ],
    };
    const fromDemo = await log(f.rep, toInboxThread(demo, f.rep.email));

    // 4. Gmail again, now with the headers: the Message-ID, and Gmail's id as the host id.
    original = { messageId: rfc, to: [{ name: '', email: f.rep.email }], cc: [{ name: '', email: f.otherRep.email }], bulk: {} };
    gmail.destroy();
    const gmail2 = createGmailHost(sdk, { settleMs: 5, readOriginal: async () => original });
    const reopened = threadWithMessage(gmail2);
    sdk.openThread('18c-thread', 'Renewal terms', [{ id: gmailId, from: pat, recipients: [{ name: 'Rep', emailAddress: f.rep.email }, { name: 'Other', emailAddress: f.otherRep.email }] }]);
    const gmailAgain = await reopened;
    expect(gmailAgain.messages[0]).toMatchObject({ messageId: rfc, hostMessageId: `gmail:${gmailId}` });
    const fromGmailAgain = await log(f.rep, gmailAgain);
    gmail2.destroy();

    const ids = new Set([first.activityId, fromOutlook.activityId, fromDemo.activityId, fromGmailAgain.activityId]);
    expect(ids.size).toBe(1);
    const rows = rowsOf<{ id: string; message_id: string; cc_addresses: string[] }>(
      await t.database.db.execute(sql`select id, message_id, cc_addresses from activities where org_id = ${f.rep.orgId} and type = 'email' and deleted_at is null and subject = 'Renewal terms'`),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message_id).toBe(rfc);
    expect(rows[0]!.cc_addresses).toEqual([f.otherRep.email]);
    // Linked to both reps' deals with Pat.
    const activity = (await t.request('GET', `/api/v1/activities/${rows[0]!.id}`, { as: f.manager })).body as { dealIds: string[]; contactIds: string[] };
    expect(new Set(activity.dealIds)).toEqual(new Set([f.dealId, f.otherRepDealId]));
    expect(activity.contactIds).toContain(f.contactId);
  });
});
