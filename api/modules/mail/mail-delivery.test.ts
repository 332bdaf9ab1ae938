// Mail as people receive it: through nodemailer's real SMTP transport to a local SMTP server
// (sandbox/smtp). Queued with its cause, delayed (never lost) while the server is down, with a
// one-click unsubscribe on non-essential mail that turns that mail off.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { headerOf, partOf, startSmtpSandbox, type ReceivedMail, type SmtpSandbox } from '../../../sandbox/smtp/smtp-sandbox.ts';
import { createTestApp, testUnsubscribeSecret, type Caller, type TestApp } from '../../../test-support/app.ts';
import { silentLogger } from '../../log.ts';
import { MailSender } from './mail-sender.ts';
import { smtpTransport } from './transport.ts';

let t: TestApp;
let smtp: SmtpSandbox;
let sender: MailSender;
/** The mail worker's clock runs ahead of the app's by this much (to reach retry times). */
let ahead = 0;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  smtp = await startSmtpSandbox();
  sender = new MailSender({
    db: t.database.db,
    transport: smtpTransport(smtp.url, { timeoutMs: 2000 }),
    from: 'Inbox CRM <crm@example.com>',
    publicUrl: 'http://localhost:8787',
    unsubscribeSecret: testUnsubscribeSecret,
    log: silentLogger,
    now: () => new Date(Date.now() + ahead),
  });
});
afterAll(async () => {
  await sender.stop();
  await smtp.close();
  await t.close();
});

const ok = async (method: string, path: string, as: Caller | undefined, body?: unknown, headers?: Record<string, string>) => {
  const res = await t.request(method, path, { as, body, headers });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const mailTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const textOf = (m: ReceivedMail) => partOf(m.raw, 'text/plain')!;
const linkIn = (m: ReceivedMail, pattern: RegExp) => textOf(m).match(pattern)?.[0];
const pending = async (to: string[]) =>
  rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from mail_outbox where sent_at is null and to_address = any(${`{${to.join(',')}}`}::text[])`))[0]!.n;

describe('invitations by mail', () => {
  it('mail the link to the invitee, who accepts through it', async () => {
    const org = await t.newOrg('Mailco');
    await ok('POST', '/api/v1/invitations', org.admin, { email: 'new.rep@mailco.test', role: 'rep' });
    expect(await sender.runOnce()).toBeGreaterThanOrEqual(1);
    const [mail] = mailTo('new.rep@mailco.test');
    expect(headerOf(mail!.raw, 'Subject')).toMatch(/invited you to Mailco on Inbox CRM/);
    expect(partOf(mail!.raw, 'text/html')).toContain('Accept the invitation');
    // Essential mail: no unsubscribe.
    expect(headerOf(mail!.raw, 'List-Unsubscribe')).toBeUndefined();
    const link = linkIn(mail!, /http:\/\/localhost:8787\/invite\?token=\S+/)!;
    const token = new URL(link).searchParams.get('token')!;
    const accepted = await ok('POST', '/api/v1/invitations/accept', undefined, { token, name: 'New Rep', password: 'correct-horse-9' });
    expect(accepted.organization.id).toBe(org.orgId);
  });
});

describe('a stopped SMTP server', () => {
  it('delays mail but loses none', async () => {
    const org = await t.newOrg('Outage');
    await smtp.stop();
    const invitees = ['one', 'two', 'three'].map((n) => `${n}@outage.test`);
    for (const email of invitees) await ok('POST', '/api/v1/invitations', org.admin, { email, role: 'rep' });
    expect(await sender.runOnce()).toBe(0);
    expect(await pending(invitees)).toBe(3);
    const [failed] = rowsOf<{ attempts: number; last_error: string }>(await t.database.db.execute(sql`select attempts, last_error from mail_outbox where to_address = ${invitees[0]!}`));
    expect(failed!.attempts).toBe(1);
    expect(failed!.last_error).toMatch(/ECONNREFUSED|connect/i);

    // Back up, and the server turns the first message away once (451): still not lost.
    await smtp.start();
    smtp.failNext(1);
    expect(await sender.runOnce()).toBe(0); // not due yet: waiting out its back-off
    ahead = 5 * 60_000;
    await sender.runOnce();
    ahead = 20 * 60_000;
    await sender.runOnce();
    expect(await pending(invitees)).toBe(0);
    for (const email of invitees) expect(mailTo(email)).toHaveLength(1);
  });
});

describe('non-essential mail', () => {
  it('carries RFC 8058 one-click unsubscribe, which turns that mail off and nothing else', async () => {
    const org = await t.newOrg('Riskco');
    const rep = await org.member('rep', 'Riley Risk');
    const quietDeal = async (name: string) => {
      const deal = await ok('POST', '/api/v1/deals', rep, { name, valueCents: 500_000, expectedCloseDate: new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10) });
      await ok('POST', '/api/v1/activities', rep, { type: 'call', subject: 'Last call', occurredAt: new Date(Date.now() - 40 * DAY).toISOString(), dealIds: [deal.id] });
      for (const days of [20, 22, 24, 26]) {
        await ok('POST', '/api/v1/activities', rep, { type: 'email', direction: 'outbound', subject: 'Following up', occurredAt: new Date(Date.now() - days * DAY).toISOString(), dealIds: [deal.id] });
      }
      await t.deliverEvents();
      await sender.runOnce();
      return deal.id as string;
    };
    const alerts = () => mailTo(rep.email).filter((m) => /high risk/.test(headerOf(m.raw, 'Subject')!));
    await quietDeal('Quiet giant');
    const [alert] = alerts();
    expect(headerOf(alert!.raw, 'Subject')).toMatch(/^Quiet giant is at high risk \(\d+\)$/);
    expect(textOf(alert!)).toContain('Suggested next step:');
    const unsubscribe = headerOf(alert!.raw, 'List-Unsubscribe')!.replace(/^<|>$/g, '');
    expect(headerOf(alert!.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(textOf(alert!)).toContain(unsubscribe);

    // A link scanner's GET only shows the question.
    const page = await t.app.request(new URL(unsubscribe).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Stop these emails?');
    expect((await ok('GET', '/api/v1/notification-preferences', rep)).kinds.find((k: { kind: string }) => k.kind === 'deal_high_risk').channels).toContainEqual(expect.objectContaining({ channel: 'email', enabled: true }));

    // The mail client's one-click POST, without any session.
    const posted = await t.app.request(new URL(unsubscribe).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(posted.status).toBe(200);
    const prefs = await ok('GET', '/api/v1/notification-preferences', rep);
    const highRisk = prefs.kinds.find((k: { kind: string }) => k.kind === 'deal_high_risk').channels;
    expect(highRisk).toContainEqual(expect.objectContaining({ channel: 'email', enabled: false }));
    expect(highRisk).toContainEqual(expect.objectContaining({ channel: 'in_app', enabled: true }));

    // The next deal at risk: in the bell, not by mail.
    const second = await quietDeal('Second quiet one');
    expect(alerts()).toHaveLength(1);
    const bell = await ok('GET', '/api/v1/notifications', rep);
    expect(bell.data.map((n: { dealId: string }) => n.dealId)).toContain(second);

    // A tampered link changes nothing.
    const forged = await t.app.request(`${new URL(unsubscribe).pathname.slice(0, -3)}abc`, { method: 'POST' });
    expect(forged.status).toBe(404);
  });
});

describe('forgotten passwords', () => {
  it('are reset from the mailed link, once, and the old password stops working', async () => {
    const org = await t.newOrg('Resetco');
    const origin = { origin: 'http://localhost:8787' };
    await ok('POST', '/api/auth/request-password-reset', undefined, { email: org.admin.email, redirectTo: '/app/reset-password' }, origin);
    // An unknown address gets the same answer, and no mail.
    await ok('POST', '/api/auth/request-password-reset', undefined, { email: 'nobody@resetco.test' }, origin);
    await sender.runOnce();
    expect(mailTo('nobody@resetco.test')).toEqual([]);
    const [mail] = mailTo(org.admin.email).filter((m) => headerOf(m.raw, 'Subject') === 'Reset your Inbox CRM password');
    const token = new URL(linkIn(mail!, /http:\/\/localhost:8787\/app\/reset-password\?token=\S+/)!).searchParams.get('token')!;

    await ok('POST', '/api/auth/reset-password', undefined, { token, newPassword: 'a-brand-new-password' }, origin);
    const again = await t.request('POST', '/api/auth/reset-password', { body: { token, newPassword: 'yet-another-password' }, headers: origin });
    expect(again.status).toBe(400);
    expect((await t.request('POST', '/api/v1/session', { body: { email: org.admin.email, password: 'correct-horse-1' } })).status).toBe(401);
    expect((await t.request('POST', '/api/v1/session', { body: { email: org.admin.email, password: 'a-brand-new-password' } })).status).toBe(200);
    // Sessions from before the reset are gone.
    expect((await t.request('GET', '/api/v1/me', { as: org.admin })).status).toBe(401);
  });

  it('and sign-up mails the verification link', async () => {
    const res = await ok('POST', '/api/v1/signup', undefined, { name: 'Vera Fy', email: 'vera@verify.test', password: 'correct-horse-1', organizationName: 'Verify' });
    await sender.runOnce();
    const [mail] = mailTo('vera@verify.test');
    expect(headerOf(mail!.raw, 'Subject')).toBe('Confirm your email address for Inbox CRM');
    expect(textOf(mail!)).toContain(res.verificationUrl);
  });
});
