// The role matrix as users meet it: admin everything; manager all deals and activities; rep reads
// contacts and companies org-wide but only their own deals and activities; readonly writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
type RoleName = 'admin' | 'manager' | 'rep' | 'readonly';
const as = (role: RoleName): Caller => ({ admin: f.admin, manager: f.manager, rep: f.rep, readonly: f.readonly })[role];

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Matrix');
});
afterAll(() => t.close());

describe('reading', () => {
  // The fixture's rep owns dealId; otherRep owns otherRepDealId.
  it.each([
    ['admin', 200, 200, 200],
    ['manager', 200, 200, 200],
    ['rep', 200, 200, 404],
    ['readonly', 200, 200, 200],
  ] as const)('%s: contact %i, own-rep deal %i, other rep\'s deal %i', async (role, contact, ownDeal, otherDeal) => {
    expect((await t.request('GET', `/api/v1/contacts/${f.contactId}`, { as: as(role) })).status).toBe(contact);
    expect((await t.request('GET', `/api/v1/deals/${f.dealId}`, { as: as(role) })).status).toBe(ownDeal);
    expect((await t.request('GET', `/api/v1/deals/${f.otherRepDealId}`, { as: as(role) })).status).toBe(otherDeal);
  });

  it('a rep\'s deal list and context lookup show only their own deals', async () => {
    const list = await t.request('GET', '/api/v1/deals', { as: f.rep });
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([f.dealId]);
    const manager = await t.request('GET', '/api/v1/deals', { as: f.manager });
    expect(manager.body.data.map((d: { id: string }) => d.id).sort()).toEqual([f.dealId, f.otherRepDealId].sort());
    const context = await t.request('GET', `/api/v1/context?emails=${f.contactEmail}`, { as: f.otherRep });
    expect(context.body.deals.map((d: { id: string }) => d.id)).toEqual([f.otherRepDealId]);
    expect(context.body.contacts[0].owner.id).toBe(f.rep.userId); // who already works the account
    expect(context.body.activities).toEqual([]); // the other rep's call is not theirs to read
  });
});

describe('writing', () => {
  it.each([
    ['admin', 201, 200, 201, 200],
    ['manager', 201, 200, 201, 200],
    ['rep', 201, 200, 201, 404],
    ['readonly', 403, 403, 403, 403],
  ] as const)('%s: create contact %i, edit contact %i, create deal %i, move other rep\'s deal %i', async (role, createContact, editContact, createDeal, moveOther) => {
    const n = Math.random().toString(36).slice(2, 8);
    expect((await t.request('POST', '/api/v1/contacts', { as: as(role), body: { email: `new.${n}@matrix.test` } })).status).toBe(createContact);
    expect((await t.request('PATCH', `/api/v1/contacts/${f.contactId}`, { as: as(role), body: { title: `Title ${n}` } })).status).toBe(editContact);
    expect((await t.request('POST', '/api/v1/deals', { as: as(role), body: { name: `Deal ${n}` } })).status).toBe(createDeal);
    expect((await t.request('PATCH', `/api/v1/deals/${f.otherRepDealId}`, { as: as(role), body: { stage: f.stageIds[1] } })).status).toBe(moveOther);
  });

  it('a rep cannot create a deal or activity for someone else, nor give theirs away', async () => {
    expect((await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Not mine', ownerId: f.otherRep.userId } })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/activities', { as: f.rep, body: { type: 'note', ownerId: f.otherRep.userId } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.rep, body: { ownerId: f.otherRep.userId } })).status).toBe(403);
    const deal = await t.request('GET', `/api/v1/deals/${f.dealId}`, { as: f.rep });
    expect(deal.body.ownerId).toBe(f.rep.userId);
  });

  it('a manager can reassign any deal', async () => {
    const deal = await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Handover' } });
    const moved = await t.request('PATCH', `/api/v1/deals/${deal.body.id}`, { as: f.manager, body: { ownerId: f.otherRep.userId } });
    expect(moved.body.owner.id).toBe(f.otherRep.userId);
  });

  it('deleting a shared contact needs its owner, a manager or an admin', async () => {
    const contact = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'delete.me@matrix.test' } });
    expect((await t.request('DELETE', `/api/v1/contacts/${contact.body.id}`, { as: f.otherRep })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/contacts/${contact.body.id}`, { as: f.readonly })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/contacts/${contact.body.id}`, { as: f.rep })).status).toBe(204);
  });

  it.each(['manager', 'rep', 'readonly'] as const)('%s cannot administer: invite, change roles, edit stages, restore', async (role) => {
    const caller = as(role);
    expect((await t.request('POST', '/api/v1/invitations', { as: caller, body: { email: 'x@matrix.test', role: 'admin' } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/members/${f.rep.userId}`, { as: caller, body: { role: 'admin' } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/pipelines/${f.pipelineId}/stages/${f.stageIds[0]}`, { as: caller, body: { name: 'Hacked' } })).status).toBe(403);
    expect((await t.request('POST', `/api/v1/pipelines/${f.pipelineId}/stages`, { as: caller, body: { name: 'X', defaultProbability: 5 } })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/contacts?deleted=true', { as: caller })).status).toBe(403);
    const members = await t.request('GET', '/api/v1/members', { as: f.admin });
    expect(members.body.data.find((m: { userId: string }) => m.userId === f.rep.userId).role).toBe('rep');
  });

  it('readonly can read everything but log no email and add no task', async () => {
    expect((await t.request('GET', '/api/v1/activities', { as: f.readonly })).body.data.length).toBeGreaterThan(0);
    expect((await t.request('POST', '/api/v1/emails', { as: f.readonly, body: { messageId: '<ro@x>', from: f.contactEmail, sentAt: '2026-11-01T00:00:00Z', direction: 'inbound' } })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/tasks', { as: f.readonly, body: { subject: 'x' } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/tasks/${f.taskId}`, { as: f.readonly, body: { completed: true } })).status).toBe(403);
  });
});
