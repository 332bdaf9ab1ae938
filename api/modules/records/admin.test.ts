// What admins run the organization with, through the API: the audit log and its filters, the trash
// and restoring from it, deactivating members, and the rule that an organization keeps an admin.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let orgId: string;
let admin: Caller;
let rep: Caller;
let otherAdmin: Caller;
let member: (role: 'admin' | 'manager' | 'rep' | 'readonly') => Promise<Caller>;

const ok = async (method: string, path: string, as: Caller, body?: unknown) => {
  const res = await t.request(method, path, { as, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  t = await createTestApp();
  const org = await t.newOrg('Admins');
  orgId = org.orgId;
  admin = org.admin;
  member = org.member;
  rep = await org.member('rep');
  otherAdmin = (await t.newOrg('Elsewhere')).admin;
});
afterAll(() => t.close());

describe('audit log', () => {
  it('lists changes newest first, filtered by person, record, type and time', async () => {
    const deal = await ok('POST', '/api/v1/deals', rep, { name: 'Audited', valueCents: 1000 });
    await ok('PATCH', `/api/v1/deals/${deal.id}`, rep, { valueCents: 2500 });
    const team = await ok('POST', '/api/v1/teams', admin, { name: 'Audit team' });

    const byRep = (await ok('GET', `/api/v1/audit-log?actorId=${rep.userId}`, admin)).data;
    expect(byRep.length).toBeGreaterThanOrEqual(2);
    expect(byRep.every((e: { actor: { id: string } }) => e.actor.id === rep.userId)).toBe(true);

    const ofDeal = (await ok('GET', `/api/v1/audit-log?entityId=${deal.id}`, admin)).data;
    expect(ofDeal.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    expect(ofDeal[0]).toMatchObject({ entityType: 'deal', entityName: 'Audited', changes: { valueCents: { old: 1000, new: 2500 } } });

    const teams = (await ok('GET', '/api/v1/audit-log?entityType=team', admin)).data;
    expect(teams).toEqual([expect.objectContaining({ entityId: team.id, entityName: 'Audit team', action: 'create', actor: expect.objectContaining({ id: admin.userId }) })]);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await ok('GET', `/api/v1/audit-log?from=${encodeURIComponent(future)}`, admin)).data).toEqual([]);
    expect((await ok('GET', `/api/v1/audit-log?to=${encodeURIComponent(future)}&entityId=${deal.id}`, admin)).data).toHaveLength(2);
  });

  it('pages with a cursor', async () => {
    const first = await ok('GET', '/api/v1/audit-log?limit=1', admin);
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).toMatch(/^\d+$/);
    const second = await ok('GET', `/api/v1/audit-log?limit=1&cursor=${first.nextCursor}`, admin);
    expect(second.data[0].id).toBeLessThan(first.data[0].id);
  });

  it('is for admins of this organization only, and refuses bad filters', async () => {
    expect((await t.request('GET', '/api/v1/audit-log', { as: rep })).status).toBe(403);
    expect((await ok('GET', '/api/v1/audit-log', otherAdmin)).data.some((e: { actor: { id: string } | null }) => e.actor?.id === rep.userId)).toBe(false);
    expect((await t.request('GET', '/api/v1/audit-log?cursor=abc', { as: admin })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/audit-log?entityType=planet', { as: admin })).status).toBe(400);
  });
});

describe('trash', () => {
  it('lists what was deleted with who deleted it, and restoring takes it out', async () => {
    const deal = await ok('POST', '/api/v1/deals', rep, { name: 'Binned' });
    await ok('DELETE', `/api/v1/deals/${deal.id}`, rep);
    const trash = (await ok('GET', '/api/v1/trash', admin)).data;
    const item = trash.find((i: { id: string }) => i.id === deal.id);
    expect(item).toMatchObject({ type: 'deal', name: 'Binned', deletedBy: expect.objectContaining({ id: rep.userId }) });
    expect(Date.parse(item.restorableUntil) - Date.parse(item.deletedAt)).toBe(30 * 86_400_000);
    expect((await ok('GET', '/api/v1/trash?type=contact', admin)).data.some((i: { id: string }) => i.id === deal.id)).toBe(false);

    await ok('POST', `/api/v1/deals/${deal.id}/restore`, admin);
    expect((await ok('GET', '/api/v1/trash', admin)).data.some((i: { id: string }) => i.id === deal.id)).toBe(false);
    expect((await ok('GET', `/api/v1/deals/${deal.id}`, rep)).name).toBe('Binned');
  });

  it('leaves out what was deleted more than 30 days ago, and is for admins only', async () => {
    const old = await ok('POST', '/api/v1/contacts', rep, { email: 'old@gone.test' });
    await ok('DELETE', `/api/v1/contacts/${old.id}`, rep);
    await t.inOrg(orgId, (s) => s.db.execute(sql`update contacts set deleted_at = now() - interval '31 days' where org_id = ${orgId} and id = ${old.id}`));
    expect((await ok('GET', '/api/v1/trash', admin)).data.some((i: { id: string }) => i.id === old.id)).toBe(false);
    expect((await t.request('GET', '/api/v1/trash', { as: rep })).status).toBe(403);
    expect((await ok('GET', '/api/v1/trash', otherAdmin)).data).toEqual([]);
  });
});

describe('members', () => {
  it('a deactivated member cannot use the organization until reactivated; their deals stay', async () => {
    const leaving = await member('rep');
    const deal = await ok('POST', '/api/v1/deals', leaving, { name: 'Kept' });
    await ok('POST', `/api/v1/members/${leaving.userId}/deactivate`, admin);
    const listed = (await ok('GET', '/api/v1/members', admin)).data.find((m: { userId: string }) => m.userId === leaving.userId);
    expect(listed.deactivatedAt).not.toBeNull();
    expect((await t.request('GET', '/api/v1/deals', { as: leaving })).status).toBeGreaterThanOrEqual(401);
    expect((await ok('GET', `/api/v1/deals/${deal.id}`, admin)).name).toBe('Kept');
    await ok('POST', `/api/v1/members/${leaving.userId}/reactivate`, admin);
    expect((await t.request('GET', '/api/v1/deals', { as: leaving })).status).toBe(200);
  });

  it('the last active admin cannot be demoted, deactivated or removed; with a second admin they can', async () => {
    for (const [method, path, body] of [
      ['PATCH', `/api/v1/members/${admin.userId}`, { role: 'manager' }],
      ['POST', `/api/v1/members/${admin.userId}/deactivate`, undefined],
      ['DELETE', `/api/v1/members/${admin.userId}`, undefined],
    ] as const) {
      const res = await t.request(method, path, { as: admin, body });
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.error.message).toMatch(/at least one active admin|deactivate yourself/);
    }
    expect((await ok('GET', '/api/v1/members', admin)).data.find((m: { userId: string }) => m.userId === admin.userId)).toMatchObject({ role: 'admin', deactivatedAt: null });

    const second = await member('admin');
    await ok('POST', `/api/v1/members/${second.userId}/deactivate`, admin);
    // A deactivated admin does not count.
    expect((await t.request('PATCH', `/api/v1/members/${admin.userId}`, { as: admin, body: { role: 'manager' } })).status).toBe(409);
    await ok('POST', `/api/v1/members/${second.userId}/reactivate`, admin);
    await ok('PATCH', `/api/v1/members/${second.userId}`, second, { role: 'admin' });
    expect((await ok('PATCH', `/api/v1/members/${admin.userId}`, second, { role: 'manager' })).role).toBe('manager');
    await ok('PATCH', `/api/v1/members/${admin.userId}`, second, { role: 'admin' });
  });

  it('only admins change members, and never another organization\'s', async () => {
    expect((await t.request('POST', `/api/v1/members/${admin.userId}/deactivate`, { as: rep })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/members/${rep.userId}`, { as: rep, body: { role: 'admin' } })).status).toBe(403);
    expect((await t.request('POST', `/api/v1/members/${rep.userId}/deactivate`, { as: otherAdmin })).status).toBe(404);
  });
});
