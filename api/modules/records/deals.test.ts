// Deals through their pipeline: stage moves, history, probabilities, outcomes; stage editing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
const stage = (i: number) => f.stageIds[i]!; // Discovery, Qualification, Proposal, Negotiation, Closed Won, Closed Lost

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Pipeline');
});
afterAll(() => t.close());

describe('deals', () => {
  it('start in the first stage of the default pipeline with its probability, owned by their creator', async () => {
    const res = await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Starter', valueCents: 990_000, currency: 'EUR', expectedCloseDate: '2027-01-31' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pipelineId: f.pipelineId, stage: stage(0), probability: 10, ownerId: f.rep.userId, currency: 'EUR', expectedCloseDate: '2027-01-31', outcome: null });
  });

  it('move with PATCH {stage}: history is recorded and the stage\'s probability applied unless one is given', async () => {
    const deal = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Mover', contactIds: [f.contactId] } })).body;
    const toProposal = await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: f.rep, body: { stage: stage(2) } });
    expect(toProposal.body).toMatchObject({ stage: stage(2), probability: 50, stageInfo: { name: 'Proposal' } });
    const toNegotiation = await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: f.rep, body: { stage: stage(3), probability: 60 } });
    expect(toNegotiation.body.probability).toBe(60);
    const history = await t.request('GET', `/api/v1/deals/${deal.id}/history`, { as: f.rep });
    expect(history.body.data.map((h: { fromStage: string | null; toStage: string }) => [h.fromStage, h.toStage])).toEqual([
      [null, stage(0)],
      [stage(0), stage(2)],
      [stage(2), stage(3)],
    ]);
    expect(history.body.data.every((h: { changedBy: string }) => h.changedBy === f.rep.userId)).toBe(true);
  });

  it('a won or lost stage sets the outcome and close date; reopening clears them', async () => {
    const deal = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Closer' } })).body;
    const lost = await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: f.rep, body: { stage: stage(5), lostReason: 'Chose a competitor' } });
    expect(lost.body).toMatchObject({ outcome: 'lost', lostReason: 'Chose a competitor', probability: 0 });
    expect(lost.body.actualCloseDate).toBe(new Date().toISOString().slice(0, 10));
    const reopened = await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: f.rep, body: { stage: stage(3) } });
    expect(reopened.body).toMatchObject({ outcome: null, actualCloseDate: null, lostReason: null, probability: 75 });
    const won = await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: f.rep, body: { stage: stage(4) } });
    expect(won.body).toMatchObject({ outcome: 'won', probability: 100 });
    expect((await t.request('GET', '/api/v1/deals?status=won', { as: f.rep })).body.data.map((d: { id: string }) => d.id)).toContain(deal.id);
    expect((await t.request('GET', '/api/v1/deals?status=open', { as: f.rep })).body.data.map((d: { id: string }) => d.id)).not.toContain(deal.id);
  });

  it('edits value and close date without touching the stage history', async () => {
    const deal = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Editable' } })).body;
    const edited = await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: f.rep, body: { valueCents: 4_200_000, expectedCloseDate: '2027-03-15', contactIds: [f.contactId] } });
    expect(edited.body).toMatchObject({ valueCents: 4_200_000, expectedCloseDate: '2027-03-15', contactIds: [f.contactId], stage: stage(0) });
    expect((await t.request('GET', `/api/v1/deals/${deal.id}/history`, { as: f.rep })).body.data).toHaveLength(1);
  });

  it('filters by stage, owner, company and contact', async () => {
    const byStage = await t.request('GET', `/api/v1/deals?stage=${stage(0)}`, { as: f.manager });
    expect(byStage.body.data.every((d: { stage: string }) => d.stage === stage(0))).toBe(true);
    const byContact = await t.request('GET', `/api/v1/deals?contactId=${f.contactId}`, { as: f.manager });
    expect(byContact.body.data.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([f.dealId, f.otherRepDealId]));
    const byCompany = await t.request('GET', `/api/v1/deals?companyId=${f.companyId}`, { as: f.manager });
    expect(byCompany.body.data.map((d: { id: string }) => d.id)).toEqual([f.dealId]);
  });

  it('refuses a stage from another pipeline', async () => {
    const other = await t.request('POST', '/api/v1/pipelines', { as: f.admin, body: { name: 'Renewals', stages: [{ name: 'Due', defaultProbability: 50 }, { name: 'Renewed', defaultProbability: 100, isWon: true }] } });
    expect(other.status).toBe(201);
    const res = await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.rep, body: { stage: other.body.stages[0].id } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REFERENCE');
    const inOther = await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Renewal', pipelineId: other.body.id } });
    expect(inOther.body).toMatchObject({ pipelineId: other.body.id, stage: other.body.stages[0].id, probability: 50 });
  });
});

describe('stages, edited by an admin', () => {
  it('adds a stage before the closed ones, renames it, reorders, and deletes it while unused', async () => {
    const added = await t.request('POST', `/api/v1/pipelines/${f.pipelineId}/stages`, { as: f.admin, body: { name: 'Legal review', defaultProbability: 85 } });
    expect(added.status).toBe(201);
    const names = () => added.body.stages.map((s: { name: string }) => s.name);
    expect(names()).toEqual(['Discovery', 'Qualification', 'Proposal', 'Negotiation', 'Legal review', 'Closed Won', 'Closed Lost']);
    const legal = added.body.stages[4];
    const renamed = await t.request('PATCH', `/api/v1/pipelines/${f.pipelineId}/stages/${legal.id}`, { as: f.admin, body: { name: 'Legal', defaultProbability: 80 } });
    expect(renamed.body.stages[4]).toMatchObject({ name: 'Legal', defaultProbability: 80 });
    const order = renamed.body.stages.map((s: { id: string }) => s.id);
    const swapped = [order[0], order[1], order[2], order[4], order[3], order[5], order[6]];
    const reordered = await t.request('PUT', `/api/v1/pipelines/${f.pipelineId}/stage-order`, { as: f.admin, body: { stageIds: swapped } });
    expect(reordered.body.stages.map((s: { name: string }) => s.name)).toEqual(['Discovery', 'Qualification', 'Proposal', 'Legal', 'Negotiation', 'Closed Won', 'Closed Lost']);
    expect(reordered.body.stages.map((s: { position: number }) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const bad = await t.request('PUT', `/api/v1/pipelines/${f.pipelineId}/stage-order`, { as: f.admin, body: { stageIds: swapped.slice(1) } });
    expect(bad.status).toBe(400);
    const removed = await t.request('DELETE', `/api/v1/pipelines/${f.pipelineId}/stages/${legal.id}`, { as: f.admin });
    expect(removed.body.stages.map((s: { name: string }) => s.name)).toEqual(['Discovery', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']);
  });

  it('will not delete a stage deals are in or have been in', async () => {
    const res = await t.request('DELETE', `/api/v1/pipelines/${f.pipelineId}/stages/${stage(0)}`, { as: f.admin });
    expect(res.status).toBe(409);
    expect((await t.request('GET', `/api/v1/deals/${f.dealId}`, { as: f.admin })).body.stage).toBe(stage(0));
  });

  it('uses a changed default probability for the next move', async () => {
    await t.request('PATCH', `/api/v1/pipelines/${f.pipelineId}/stages/${stage(1)}`, { as: f.admin, body: { defaultProbability: 33 } });
    const moved = await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.rep, body: { stage: stage(1) } });
    expect(moved.body.probability).toBe(33);
  });
});
