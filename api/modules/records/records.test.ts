// Contacts, companies, activities and tasks as a rep and an admin use them.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Records');
});
afterAll(() => t.close());

describe('contacts', () => {
  it('joins the company with the same email domain, but never for free-mail addresses', async () => {
    const work = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'dana@records-industries.com', firstName: 'Dana' } });
    expect(work.body.companyId).toBe(f.companyId);
    await t.request('POST', '/api/v1/companies', { as: f.rep, body: { name: 'Google', domain: 'gmail.com' } });
    const personal = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'dana.home@gmail.com' } });
    expect(personal.body.companyId).toBeNull();
  });

  it('refuses a second contact with the same email, whatever its case', async () => {
    const res = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: f.contactEmail.toUpperCase() } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', details: { existingId: f.contactId } });
  });

  it('finds contacts by partial first name, last name, email or company', async () => {
    const people = [
      ['maria.gonzalez@northwind-traders.com', 'María', 'González'],
      ['mark.gold@contoso.com', 'Mark', 'Goldberg'],
      ['sam@northwind-traders.com', 'Sam', 'Wise'],
    ];
    const company = await t.request('POST', '/api/v1/companies', { as: f.rep, body: { name: 'Northwind Traders', domain: 'northwind-traders.com' } });
    for (const [email, firstName, lastName] of people) await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email, firstName, lastName } });
    const search = async (q: string) =>
      (await t.request('GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`, { as: f.rep })).body.data.map((c: { email: string }) => c.email).sort();
    expect(await search('mar')).toEqual(['maria.gonzalez@northwind-traders.com', 'mark.gold@contoso.com']);
    expect(await search('gol')).toEqual(['mark.gold@contoso.com']);
    expect(await search('gonz')).toEqual(['maria.gonzalez@northwind-traders.com']);
    expect(await search('María G')).toEqual(['maria.gonzalez@northwind-traders.com']);
    expect(await search('northw')).toEqual(['maria.gonzalez@northwind-traders.com', 'sam@northwind-traders.com']);
    expect(await search('sam north')).toEqual(['sam@northwind-traders.com']);
    expect(await search('contoso.com')).toEqual(['mark.gold@contoso.com']);
    expect(await search('zzz')).toEqual([]);
    // Renaming the company re-indexes its contacts.
    await t.request('PATCH', `/api/v1/companies/${company.body.id}`, { as: f.rep, body: { name: 'Fabrikam' } });
    expect(await search('fabri')).toEqual(['maria.gonzalez@northwind-traders.com', 'sam@northwind-traders.com']);
  });

  it('pages through a list with cursors, newest first, without repeats or gaps', async () => {
    for (let i = 0; i < 12; i++) await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: `page${i}@paging.test`, tags: ['paging'] } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { data: { email: string }[]; nextCursor: string | null } } = await t.request('GET', `/api/v1/contacts?tag=paging&limit=5${cursor ? `&cursor=${cursor}` : ''}`, { as: f.rep });
      seen.push(...res.body.data.map((c) => c.email));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `page${11 - i}@paging.test`));
  });

  it('pages through search results newest first, combined with other filters', async () => {
    for (let i = 0; i < 7; i++) {
      await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: `zed${i}@zephyr.test`, firstName: `Zed${i}`, lastName: i % 2 ? 'Zimmer' : 'Zorn', tags: i < 5 ? ['z'] : [] } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { email: string }[]; nextCursor: string | null } } = await t.request('GET', `/api/v1/contacts?q=zed&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { as: f.rep });
      seen.push(...res.body.data.map((c) => c.email));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `zed${6 - i}@zephyr.test`));
    const narrowed = await t.request('GET', '/api/v1/contacts?q=zed%20zim&tag=z', { as: f.rep });
    expect(narrowed.body.data.map((c: { email: string }) => c.email)).toEqual(['zed3@zephyr.test', 'zed1@zephyr.test']);
    expect((await t.request('GET', '/api/v1/contacts?q=zed&deleted=true', { as: f.admin })).status).toBe(400);
  });

  it('filters by company, owner and email', async () => {
    const byCompany = await t.request('GET', `/api/v1/contacts?companyId=${f.companyId}`, { as: f.rep });
    expect(byCompany.body.data.every((c: { companyId: string }) => c.companyId === f.companyId)).toBe(true);
    const byOwner = await t.request('GET', `/api/v1/contacts?ownerId=${f.otherRep.userId}`, { as: f.rep });
    expect(byOwner.body.data).toEqual([]);
    const byEmail = await t.request('GET', `/api/v1/contacts?email=${f.contactEmail.toUpperCase()}`, { as: f.rep });
    expect(byEmail.body.data.map((c: { id: string }) => c.id)).toEqual([f.contactId]);
  });

  it('records who changed what in the audit log, with old and new values', async () => {
    await t.request('PATCH', `/api/v1/contacts/${f.contactId}`, { as: f.rep, body: { title: 'VP Sales', tags: ['champion'] } });
    const rows = rowsOf<{ action: string; actor_id: string; changes: Record<string, { old: unknown; new: unknown }> }>(
      await t.database.db.execute(sql`select action, actor_id, changes from audit_log where entity_id = ${f.contactId} order by id`),
    );
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(rows[1]).toMatchObject({ actor_id: f.rep.userId, changes: { title: { old: null, new: 'VP Sales' }, tags: { old: [], new: ['champion'] } } });
  });

  it('can be restored by an admin within 30 days of deletion, not after', async () => {
    const c = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'gone@records.test', firstName: 'Gone' } });
    expect((await t.request('DELETE', `/api/v1/contacts/${c.body.id}`, { as: f.rep })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/contacts/${c.body.id}`, { as: f.rep })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/contacts?q=gone', { as: f.rep })).body.data).toEqual([]);
    const deleted = await t.request('GET', '/api/v1/contacts?deleted=true', { as: f.admin });
    expect(deleted.body.data.map((x: { id: string }) => x.id)).toContain(c.body.id);
    expect((await t.request('POST', `/api/v1/contacts/${c.body.id}/restore`, { as: f.rep })).status).toBe(403);
    const restored = await t.request('POST', `/api/v1/contacts/${c.body.id}/restore`, { as: f.admin });
    expect(restored.body).toMatchObject({ id: c.body.id, deletedAt: null, firstName: 'Gone' });
    expect((await t.request('GET', '/api/v1/contacts?q=gone', { as: f.rep })).body.data).toHaveLength(1);

    await t.request('DELETE', `/api/v1/contacts/${c.body.id}`, { as: f.admin });
    await t.database.db.execute(sql`update contacts set deleted_at = now() - interval '31 days' where id = ${c.body.id}`);
    const late = await t.request('POST', `/api/v1/contacts/${c.body.id}/restore`, { as: f.admin });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('GONE');
  });

  it('will not restore a contact whose email was taken in the meantime', async () => {
    const c = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'twin@records.test' } });
    await t.request('DELETE', `/api/v1/contacts/${c.body.id}`, { as: f.rep });
    await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'twin@records.test' } });
    expect((await t.request('POST', `/api/v1/contacts/${c.body.id}/restore`, { as: f.admin })).status).toBe(409);
  });
});

describe('companies', () => {
  it('keeps domains unique per organization and searchable by prefix', async () => {
    expect((await t.request('POST', '/api/v1/companies', { as: f.rep, body: { name: 'Copy', domain: 'RECORDS-industries.com' } })).status).toBe(409);
    const found = await t.request('GET', '/api/v1/companies?q=records', { as: f.rep });
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([f.companyId]);
    const other = await t.newOrg('Elsewhere');
    expect((await t.request('POST', '/api/v1/companies', { as: other.admin, body: { name: 'Same domain, other tenant', domain: 'records-industries.com' } })).status).toBe(201);
  });
});

describe('activities and tasks', () => {
  it('adds a note to a contact and a deal, and lists it by either', async () => {
    const note = await t.request('POST', '/api/v1/activities', { as: f.rep, body: { type: 'note', body: 'Budget approved in Q3', contactIds: [f.contactId], dealIds: [f.dealId] } });
    expect(note.status).toBe(201);
    for (const filter of [`contactId=${f.contactId}`, `dealId=${f.dealId}`]) {
      const list = await t.request('GET', `/api/v1/activities?type=note&${filter}`, { as: f.rep });
      expect(list.body.data.map((a: { id: string }) => a.id)).toContain(note.body.id);
    }
    const moved = await t.request('PATCH', `/api/v1/activities/${note.body.id}`, { as: f.rep, body: { dealIds: [] } });
    expect(moved.body).toMatchObject({ contactIds: [f.contactId], dealIds: [] });
  });

  it('completes and reopens a task, and lists open tasks only by default', async () => {
    const task = await t.request('POST', '/api/v1/tasks', { as: f.rep, body: { subject: 'Call back', dueAt: '2026-12-01T10:00:00+01:00', contactIds: [f.contactId] } });
    expect(task.body).toMatchObject({ type: 'task', dueAt: '2026-12-01T09:00:00.000Z', completedAt: null });
    const done = await t.request('PATCH', `/api/v1/tasks/${task.body.id}`, { as: f.rep, body: { completed: true } });
    expect(done.body.completedAt).not.toBeNull();
    expect((await t.request('GET', '/api/v1/tasks', { as: f.rep })).body.data.map((x: { id: string }) => x.id)).not.toContain(task.body.id);
    expect((await t.request('GET', '/api/v1/tasks?status=completed', { as: f.rep })).body.data.map((x: { id: string }) => x.id)).toContain(task.body.id);
    const reopened = await t.request('PATCH', `/api/v1/tasks/${task.body.id}`, { as: f.rep, body: { completed: false } });
    expect(reopened.body.completedAt).toBeNull();
  });

  it('does not treat a call as a task', async () => {
    const call = await t.request('POST', '/api/v1/activities', { as: f.rep, body: { type: 'call', subject: 'Quick sync' } });
    expect((await t.request('GET', `/api/v1/tasks/${call.body.id}`, { as: f.rep })).status).toBe(404);
  });
});
