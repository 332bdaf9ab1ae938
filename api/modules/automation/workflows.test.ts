// Workflows end to end on a real database: the API (roles, two tenants, bad definitions), and the
// engine through the real consumer and jobs: a stage move creates the task once however often the
// event is delivered, a workflow does not re-trigger itself, a failing step is retried and then
// succeeds, a wait resumes from the database (as after a restart), time triggers with an injected
// clock, versions, replay of failed runs, and the dry run that writes nothing.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { domainEvents } from '../../../db/schema/index.ts';
import { toDomainEvent } from '../../platform/events/delivery.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { workflowTriggers } from './automation.consumers.ts';
import { workflowResumeJob, workflowTimeTriggersJob } from './automation.jobs.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;
let proposal: { id: string; name: string };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Flowing');
  other = await createOrgFixture(t, 'Elsewhere');
  const pipelines = await t.request('GET', '/api/v1/pipelines', { as: f.admin });
  const stage = pipelines.body.data[0].stages[2];
  proposal = { id: stage.id, name: stage.name };
  await t.deliverEvents();
});
afterAll(() => t.close());

const ok = async (method: string, path: string, as: Caller, body?: unknown, status = 200) => {
  const res = await t.request(method, path, { as, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
};
const newDeal = async (name: string) => (await ok('POST', '/api/v1/deals', f.rep, { name, valueCents: 100_000 }, 201)).id as string;
const activeWorkflow = async (name: string, definition: unknown) => {
  const wf = await ok('POST', '/api/v1/workflows', f.admin, { name, definition }, 201);
  await ok('POST', `/api/v1/workflows/${wf.id}/activate`, f.admin);
  return wf.id as string;
};
const tasksOf = async (dealId: string) => (await ok('GET', `/api/v1/tasks?dealId=${dealId}`, f.admin)).data as { subject: string; dueAt: string; ownerId: string }[];
const runsOf = async (workflowId: string) => (await ok('GET', `/api/v1/workflows/${workflowId}/runs`, f.admin)).data as { id: string; status: string; reason: string | null; version: number; recordId: string }[];
const proposalTask = { trigger: { type: 'event', event: 'deal.stage_changed' }, conditions: { match: 'all', conditions: [{ field: 'stageId', op: 'eq', value: '' }] }, actions: [{ type: 'create_task', subject: 'Send proposal', dueInDays: 2 }] };
const moveToProposal = () => ({ ...proposalTask, conditions: { match: 'all', conditions: [{ field: 'stageId', op: 'eq', value: proposal.id }] } });

describe('workflows API', () => {
  it('refuses a bad definition with the field’s error and stores nothing', async () => {
    const bad = await t.request('POST', '/api/v1/workflows', { as: f.admin, body: { name: 'Bad', definition: { ...proposalTask, actions: [{ type: 'add_tag', tag: 'hot' }] } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('definition.actions.0.type');
    const shape = await t.request('POST', '/api/v1/workflows', { as: f.admin, body: { name: 'Bad', definition: { ...proposalTask, conditions: { match: 'all', conditions: [{ field: 'valueCents', op: 'gt', value: 'lots' }] } } } });
    expect(shape.status).toBe(400);
    expect(JSON.stringify(shape.body.error)).toContain('conditions.conditions.0.value');
    const unknownTrigger = await t.request('POST', '/api/v1/workflows', { as: f.admin, body: { name: 'Bad', definition: { ...proposalTask, trigger: { type: 'event', event: 'deal.vanished' } } } });
    expect(unknownTrigger.status).toBe(400);
    expect((await ok('GET', '/api/v1/workflows', f.admin)).data).toEqual([]);
  });

  it('lets admins change, managers read, and nobody else in; another organization sees nothing', async () => {
    const wf = await ok('POST', '/api/v1/workflows', f.admin, { name: 'Roles', definition: moveToProposal() }, 201);
    expect(wf).toMatchObject({ state: 'draft', version: 1 });
    expect((await t.request('GET', '/api/v1/workflows', { as: f.manager })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/workflows/${wf.id}/runs`, { as: f.manager })).status).toBe(200);
    expect((await t.request('POST', '/api/v1/workflows', { as: f.manager, body: { name: 'x', definition: moveToProposal() } })).status).toBe(403);
    expect((await t.request('POST', `/api/v1/workflows/${wf.id}/activate`, { as: f.manager })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/workflows', { as: f.rep })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/workflows', { as: f.readonly })).status).toBe(403);
    // The other tenant: its list is empty and this workflow is not found.
    expect((await ok('GET', '/api/v1/workflows', other.admin)).data).toEqual([]);
    for (const [method, path] of [['GET', `/api/v1/workflows/${wf.id}`], ['PATCH', `/api/v1/workflows/${wf.id}`], ['POST', `/api/v1/workflows/${wf.id}/activate`], ['GET', `/api/v1/workflows/${wf.id}/runs`], ['DELETE', `/api/v1/workflows/${wf.id}`]] as const) {
      expect((await t.request(method, path, { as: other.admin, body: method === 'PATCH' ? { name: 'mine' } : undefined })).status, `${method} ${path}`).toBe(404);
    }
    expect((await t.request('POST', `/api/v1/workflows/${wf.id}/test`, { as: other.admin, body: { recordId: other.dealId } })).status).toBe(404);
    // A draft is edited in place; pause needs it active first.
    expect(await ok('PATCH', `/api/v1/workflows/${wf.id}`, f.admin, { name: 'Roles 2' })).toMatchObject({ name: 'Roles 2', version: 1 });
    expect((await t.request('POST', `/api/v1/workflows/${wf.id}/pause`, { as: f.admin })).status).toBe(409);
    await ok('DELETE', `/api/v1/workflows/${wf.id}`, f.admin, undefined, 204);
  });
});

describe('the engine', () => {
  it('deal moves to Proposal → task “Send proposal” due in 2 days, once however often the event arrives', async () => {
    const wfId = await activeWorkflow('Proposal follow-up', moveToProposal());
    const dealId = await newDeal('Moving deal');
    const before = Date.now();
    await ok('PATCH', `/api/v1/deals/${dealId}`, f.rep, { stage: proposal.id });
    await t.deliverEvents();
    const tasks = await tasksOf(dealId);
    expect(tasks.map((x) => x.subject)).toEqual(['Send proposal']);
    expect(tasks[0]!.ownerId).toBe(f.rep.userId);
    const due = new Date(tasks[0]!.dueAt).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 2 * DAY - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 2 * DAY);
    // The same event handed to the consumer twice more (a redelivery, a replay): no second task.
    const [row] = await t.database.db.select().from(domainEvents).where(and(eq(domainEvents.recordId, dealId), eq(domainEvents.type, 'deal.stage_changed')));
    for (let i = 0; i < 2; i++) await t.inOrg(f.admin.orgId, (s) => workflowTriggers.handle(s, toDomainEvent(row!)));
    expect(await tasksOf(dealId)).toHaveLength(1);
    const runs = await runsOf(wfId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', version: 1, recordId: dealId });
    const run = await ok('GET', `/api/v1/workflows/${wfId}/runs/${runs[0]!.id}`, f.manager);
    expect(run.steps).toEqual([expect.objectContaining({ stepIndex: 0, actionType: 'create_task', status: 'completed', attempt: 1, error: null })]);
    expect(run.steps[0].result.taskId).toBeTruthy();
    // Moving another deal elsewhere does nothing.
    const elsewhere = await newDeal('Other deal');
    await ok('PATCH', `/api/v1/deals/${elsewhere}`, f.rep, { stage: f.stageIds[1] });
    await t.deliverEvents();
    expect(await tasksOf(elsewhere)).toEqual([]);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('does not re-trigger itself: its own change is logged as skipped, with the reason', async () => {
    const wfId = await activeWorkflow('Bump probability', {
      trigger: { type: 'event', event: 'deal.updated' },
      conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Loop' }] },
      actions: [{ type: 'update_field', field: 'probability', value: 77 }],
    });
    const dealId = await newDeal('Loop deal');
    await ok('PATCH', `/api/v1/deals/${dealId}`, f.rep, { valueCents: 200_000 });
    await t.deliverEvents();
    const runs = await runsOf(wfId);
    expect(runs.map((r) => r.status).sort()).toEqual(['completed', 'skipped']);
    expect(runs.find((r) => r.status === 'skipped')!.reason).toMatch(/does not trigger itself/);
    expect((await ok('GET', `/api/v1/deals/${dealId}`, f.admin)).probability).toBe(77);
    // The workflow's change carries its origin, and the audit and events are the service's own.
    const events = rowsOf<{ data: { automation?: { workflowId: string } } }>(await t.database.db.execute(sql`select data from domain_events where record_id = ${dealId} and type = 'deal.updated' order by seq`));
    expect(events.at(-1)!.data.automation?.workflowId).toBe(wfId);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('caps the runs a record starts per workflow per hour, logging why the rest were skipped', async () => {
    const wfId = await activeWorkflow('Every change', {
      trigger: { type: 'event', event: 'deal.updated' },
      conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Busy' }] },
      actions: [{ type: 'create_task', subject: 'Look at it' }],
    });
    const dealId = await newDeal('Busy deal');
    for (let i = 1; i <= 12; i++) await ok('PATCH', `/api/v1/deals/${dealId}`, f.rep, { valueCents: 1000 * i });
    await t.deliverEvents();
    const runs = await runsOf(wfId);
    expect(runs.filter((r) => r.status === 'completed')).toHaveLength(10);
    const skipped = runs.filter((r) => r.status === 'skipped');
    expect(skipped).toHaveLength(2);
    expect(skipped[0]!.reason).toMatch(/10 times in the last hour \(the cap is 10\)/);
    expect(await tasksOf(dealId)).toHaveLength(10);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('retries a failing step with back-off, then succeeds from that step; a failed run can be replayed', async () => {
    const wfId = await activeWorkflow('Hand over', {
      trigger: { type: 'event', event: 'deal.created' },
      conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Handover' }] },
      actions: [{ type: 'create_task', subject: 'Prepare handover' }, { type: 'assign_owner', userId: f.otherRep.userId }],
    });
    await ok('POST', `/api/v1/members/${f.otherRep.userId}/deactivate`, f.admin);
    const dealId = await newDeal('Handover deal');
    await t.deliverEvents();
    let [run] = await runsOf(wfId);
    expect(run).toMatchObject({ status: 'retrying' });
    expect(run!.reason).toMatch(/Step 2 \(assign_owner\) failed: .*deactivated/);
    // Not due yet: nothing happens; due: it fails again (attempt 2).
    const now = Date.now();
    await t.runJob(workflowResumeJob, { orgId: f.admin.orgId }, new Date(now + 30_000));
    expect((await runsOf(wfId))[0]!.status).toBe('retrying');
    await t.runJob(workflowResumeJob, { orgId: f.admin.orgId }, new Date(now + 61_000));
    const detail = await ok('GET', `/api/v1/workflows/${wfId}/runs/${run!.id}`, f.admin);
    expect(detail.steps.map((s: { stepIndex: number; attempt: number; status: string }) => `${s.stepIndex}:${s.attempt}:${s.status}`)).toEqual(['0:1:completed', '1:1:failed', '1:2:failed']);
    // Fixed by a person: the next attempt succeeds, and the first step is not done again.
    await ok('POST', `/api/v1/members/${f.otherRep.userId}/reactivate`, f.admin);
    await t.runJob(workflowResumeJob, { orgId: f.admin.orgId }, new Date(now + 10 * 60_000));
    [run] = await runsOf(wfId);
    expect(run!.status).toBe('completed');
    expect((await ok('GET', `/api/v1/deals/${dealId}`, f.admin)).ownerId).toBe(f.otherRep.userId);
    expect((await tasksOf(dealId)).map((x) => x.subject)).toEqual(['Prepare handover']);

    // Failing for good: after the last attempt the run is failed; replay resumes it at the failed step.
    await ok('POST', `/api/v1/members/${f.otherRep.userId}/deactivate`, f.admin);
    const second = await newDeal('Handover two');
    await t.deliverEvents();
    for (let i = 1; i <= 3; i++) await t.runJob(workflowResumeJob, { orgId: f.admin.orgId }, new Date(now + i * 20 * 60_000));
    const failed = (await runsOf(wfId)).find((r) => r.recordId === second)!;
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/failed 4 times/);
    expect((await t.request('POST', `/api/v1/workflows/${wfId}/runs/replay`, { as: f.manager, body: {} })).status).toBe(403);
    await ok('POST', `/api/v1/members/${f.otherRep.userId}/reactivate`, f.admin);
    const replay = await ok('POST', `/api/v1/workflows/${wfId}/runs/replay`, f.admin, {});
    expect(replay.replayed.map((r: { id: string; status: string }) => r.status)).toEqual(['retrying']);
    await t.runJob(workflowResumeJob, { orgId: f.admin.orgId });
    expect((await runsOf(wfId)).find((r) => r.recordId === second)!.status).toBe('completed');
    expect(await tasksOf(second)).toHaveLength(1);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('waits from the database: a later job (as after a restart) goes on; “stop unless” ends a run whose record changed', async () => {
    const wfId = await activeWorkflow('Nudge', {
      trigger: { type: 'event', event: 'deal.created' },
      conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Nudge' }] },
      actions: [{ type: 'wait', hours: 24 }, { type: 'stop_unless', conditions: { match: 'all', conditions: [{ field: 'outcome', op: 'is_empty' }] } }, { type: 'create_task', subject: 'Nudge them', dueInHours: 1 }],
    });
    const open = await newDeal('Nudge open');
    const won = await newDeal('Nudge won');
    await t.deliverEvents();
    expect((await runsOf(wfId)).map((r) => r.status)).toEqual(['waiting', 'waiting']);
    const wonStage = (await ok('GET', '/api/v1/pipelines', f.admin)).data[0].stages.find((s: { isWon: boolean }) => s.isWon).id;
    await ok('PATCH', `/api/v1/deals/${won}`, f.rep, { stage: wonStage });
    await t.deliverEvents();
    expect(await t.runJob(workflowResumeJob, { orgId: f.admin.orgId }, new Date(Date.now() + 23 * HOUR))).toBe('nothing-to-do');
    await t.runJob(workflowResumeJob, { orgId: f.admin.orgId }, new Date(Date.now() + 25 * HOUR));
    const runs = await runsOf(wfId);
    expect(runs.find((r) => r.recordId === open)!.status).toBe('completed');
    expect(runs.find((r) => r.recordId === won)).toMatchObject({ status: 'stopped' });
    expect(runs.find((r) => r.recordId === won)!.reason).toMatch(/outcome is_empty: no/);
    expect((await tasksOf(open)).map((x) => x.subject)).toEqual(['Nudge them']);
    expect(await tasksOf(won)).toEqual([]);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('time triggers with an injected clock: N days in a stage fires once per stage entry; the other tenant is untouched', async () => {
    const wfId = await activeWorkflow('Stuck', {
      trigger: { type: 'time', when: 'days_in_stage', days: 10 },
      conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Stuck' }] },
      actions: [{ type: 'create_task', subject: 'Unstick it' }],
    });
    const stuck = await newDeal('Stuck deal');
    const otherStuck = (await ok('POST', '/api/v1/deals', other.rep, { name: 'Stuck elsewhere' }, 201)).id;
    expect(await t.runJob(workflowTimeTriggersJob, { orgId: f.admin.orgId }, new Date(Date.now() + 9 * DAY))).toBe('nothing-to-do');
    const later = new Date(Date.now() + 11 * DAY);
    expect(await t.runJob(workflowTimeTriggersJob, { orgId: f.admin.orgId }, later)).toEqual({ started: 1 });
    expect(await t.runJob(workflowTimeTriggersJob, { orgId: f.admin.orgId }, new Date(later.getTime() + HOUR))).toBe('nothing-to-do');
    await t.runJob(workflowTimeTriggersJob, { orgId: other.admin.orgId }, later);
    expect((await tasksOf(stuck)).map((x) => x.subject)).toEqual(['Unstick it']);
    expect((await ok('GET', `/api/v1/tasks?dealId=${otherStuck}`, other.admin)).data).toEqual([]);
    expect((await runsOf(wfId)).map((r) => r.recordId)).toEqual([stuck]);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('an edit of an active workflow is a new version; runs record the version they ran', async () => {
    const wfId = await activeWorkflow('Versioned', {
      trigger: { type: 'event', event: 'deal.created' },
      conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Versioned' }] },
      actions: [{ type: 'create_task', subject: 'v1 task' }],
    });
    await newDeal('Versioned one');
    await t.deliverEvents();
    const edited = await ok('PATCH', `/api/v1/workflows/${wfId}`, f.admin, {
      definition: { trigger: { type: 'event', event: 'deal.created' }, conditions: { match: 'all', conditions: [{ field: 'name', op: 'starts_with', value: 'Versioned' }] }, actions: [{ type: 'create_task', subject: 'v2 task' }] },
    });
    expect(edited).toMatchObject({ version: 2, state: 'active' });
    const two = await newDeal('Versioned two');
    await t.deliverEvents();
    expect((await runsOf(wfId)).map((r) => r.version)).toEqual([2, 1]);
    expect((await tasksOf(two)).map((x) => x.subject)).toEqual(['v2 task']);
    await ok('POST', `/api/v1/workflows/${wfId}/pause`, f.admin);
  });

  it('“test on this record” says what would happen and writes nothing', async () => {
    const wf = await ok('POST', '/api/v1/workflows', f.admin, { name: 'Dry', definition: moveToProposal() }, 201);
    const count = async () => rowsOf<{ n: number }>(await t.database.db.execute(sql`select (select count(*) from activities) + (select count(*) from workflow_runs) + (select count(*) from domain_events) as n`))[0]!.n;
    const before = await count();
    const miss = await ok('POST', `/api/v1/workflows/${wf.id}/test`, f.manager, { recordId: f.dealId });
    expect(miss).toMatchObject({ recordFound: true, conditionsMet: false, actions: [] });
    expect(miss.explanation[0]).toMatch(/stageId eq .*: no/);
    await t.inOrg(f.admin.orgId, (s) => s.db.execute(sql`update deals set stage_id = ${proposal.id} where id = ${f.dealId}`));
    const hit = await ok('POST', `/api/v1/workflows/${wf.id}/test`, f.admin, { recordId: f.dealId });
    expect(hit).toMatchObject({ recordFound: true, conditionsMet: true });
    expect(hit.actions[0].wouldDo).toMatch(/Create the task “Send proposal”/);
    expect((await ok('POST', `/api/v1/workflows/${wf.id}/test`, f.admin, { recordId: other.dealId })).recordFound).toBe(false);
    expect(await count()).toBe(before);
  });
});
