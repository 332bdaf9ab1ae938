// Every change to who belongs to an organization is a domain event in the outbox, written with the
// change: what webhooks, Slack and the live stream will follow.
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEvents } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const eventsOf = async (orgId: string) =>
  t.database.db
    .select({ type: domainEvents.type, recordId: domainEvents.recordId, actorId: domainEvents.actorId, changes: domainEvents.changes, data: domainEvents.data })
    .from(domainEvents)
    .where(eq(domainEvents.orgId, orgId))
    .orderBy(asc(domainEvents.seq));

describe('identity events', () => {
  it('follow an organization from sign-up through invitations, roles, teams, keys and removal', async () => {
    const org = await t.newOrg('Eventful');
    const signUp = await eventsOf(org.orgId);
    expect(signUp.map((e) => e.type)).toEqual(['member.added', 'pipeline.created']);
    expect(signUp[0]).toMatchObject({ recordId: org.admin.userId, actorId: org.admin.userId, data: { via: 'signup', member: { userId: org.admin.userId, role: 'admin', email: org.admin.email } } });

    const invite = await t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'new.hire@eventful.test', role: 'rep' } });
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
    const accepted = await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'New Hire', password: 'new-hire-password' } });
    const hire = accepted.body.user.id as string;
    const team = await t.request('POST', '/api/v1/teams', { as: org.admin, body: { name: 'North' } });
    await t.request('PATCH', `/api/v1/members/${hire}`, { as: org.admin, body: { role: 'manager', teamId: team.body.id } });
    const key = await t.request('POST', '/api/v1/api-keys', { as: accepted.body.token, body: { name: 'laptop' } });
    const other = await t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'never@eventful.test', role: 'readonly' } });
    await t.request('DELETE', `/api/v1/invitations/${other.body.id}`, { as: org.admin });
    await t.request('DELETE', `/api/v1/members/${hire}`, { as: org.admin });

    const events = (await eventsOf(org.orgId)).slice(2);
    expect(events.map((e) => [e.type, e.recordId])).toEqual([
      ['invitation.created', invite.body.id],
      ['member.added', hire],
      ['team.created', team.body.id],
      ['member.updated', hire],
      ['api_key.created', key.body.id],
      ['invitation.created', other.body.id],
      ['invitation.revoked', other.body.id],
      ['member.removed', hire],
      ['api_key.revoked', key.body.id],
    ]);
    const byType = (type: string) => events.find((e) => e.type === type)!;
    expect(byType('member.added')).toMatchObject({ actorId: hire, data: { via: 'invitation', member: { role: 'rep', email: 'new.hire@eventful.test' } } });
    expect(byType('member.updated').changes).toEqual({ role: { old: 'rep', new: 'manager' }, teamId: { old: null, new: team.body.id } });
    expect(byType('member.removed')).toMatchObject({ actorId: org.admin.userId, changes: { role: { old: 'manager', new: null } } });
    expect(byType('api_key.revoked').data).toMatchObject({ reason: 'member_removed', apiKey: { userId: hire, name: 'laptop' } });
    // Secrets never travel in events: not the invitation's token, not the key.
    const text = JSON.stringify(events);
    expect(text).not.toContain(token);
    expect(text).not.toContain(key.body.key);
  });

  it('say who changed the tracking settings, and what', async () => {
    const org = await t.newOrg('Settled');
    await t.request('PATCH', '/api/v1/tracking/settings', { as: org.admin, body: { retentionDays: 30 } });
    const [event] = (await eventsOf(org.orgId)).filter((e) => e.type === 'tracking_settings.updated');
    expect(event).toMatchObject({ recordId: org.orgId, actorId: org.admin.userId, changes: { retentionDays: { old: null, new: 30 } } });
  });
});
