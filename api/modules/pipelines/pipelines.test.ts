// Pipelines that contradict themselves are refused with 400 and change nothing: a stage both won
// and lost, two stages with the same name, a pipeline without an open stage — on create, on adding
// or changing a stage, and on deleting the last open one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let admin: Caller;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.newOrg('Stages')).admin;
});
afterAll(() => t.close());

const stage = (name: string, extra: Record<string, unknown> = {}) => ({ name, defaultProbability: 50, ...extra });
const pipelines = async () => (await t.request('GET', '/api/v1/pipelines', { as: admin })).body.data;

describe('pipeline coherence', () => {
  it.each([
    ['a stage both won and lost', [stage('Open'), stage('Done', { isWon: true, isLost: true })], 'stages.1'],
    ['duplicate stage names', [stage('Proposal'), stage('proposal '), stage('Won', { isWon: true })], 'stages.1.name'],
    ['no open stage', [stage('Won', { isWon: true }), stage('Lost', { isLost: true })], 'stages'],
  ])('refuses a new pipeline with %s', async (_name, stages, path) => {
    const before = await pipelines();
    const res = await t.request('POST', '/api/v1/pipelines', { as: admin, body: { name: 'Broken', stages } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await pipelines()).toEqual(before);
  });

  it('refuses edits that would make an existing pipeline contradict itself', async () => {
    const created = await t.request('POST', '/api/v1/pipelines', {
      as: admin,
      body: { name: 'Partner', stages: [stage('Intro'), stage('Signed', { isWon: true }), stage('Dropped', { isLost: true })] },
    });
    expect(created.status).toBe(201);
    const [intro, signed] = created.body.stages;
    const refusals = [
      await t.request('POST', `/api/v1/pipelines/${created.body.id}/stages`, { as: admin, body: stage('intro') }),
      await t.request('PATCH', `/api/v1/pipelines/${created.body.id}/stages/${signed.id}`, { as: admin, body: { name: 'INTRO' } }),
      await t.request('PATCH', `/api/v1/pipelines/${created.body.id}/stages/${signed.id}`, { as: admin, body: { isLost: true } }),
      await t.request('PATCH', `/api/v1/pipelines/${created.body.id}/stages/${intro.id}`, { as: admin, body: { isWon: true } }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    const add = await t.request('POST', `/api/v1/pipelines/${created.body.id}/stages`, { as: admin, body: stage('Demo') });
    expect(add.status).toBe(201);
    const demo = add.body.stages.find((s: { name: string }) => s.name === 'Demo');
    expect((await t.request('DELETE', `/api/v1/pipelines/${created.body.id}/stages/${demo.id}`, { as: admin })).status).toBe(200);
    // Deleting the only open stage left would leave no open stage.
    const last = await t.request('DELETE', `/api/v1/pipelines/${created.body.id}/stages/${intro.id}`, { as: admin });
    expect(last.status).toBe(400);
    const after = (await pipelines()).find((p: { id: string }) => p.id === created.body.id);
    expect(after.stages.map((s: { name: string; isWon: boolean; isLost: boolean }) => [s.name, s.isWon, s.isLost])).toEqual([
      ['Intro', false, false],
      ['Signed', true, false],
      ['Dropped', false, true],
    ]);
  });
});

describe('renaming a pipeline', () => {
  it('lets an admin rename a pipeline, in the audit log', async () => {
    const [sales] = await pipelines();
    const res = await t.request('PATCH', `/api/v1/pipelines/${sales.id}`, { as: admin, body: { name: '  New business ' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: sales.id, name: 'New business', stages: sales.stages });
    expect((await pipelines())[0].name).toBe('New business');
    const audit = await t.request('GET', `/api/v1/audit-log?entityId=${sales.id}`, { as: admin });
    expect(audit.body.data[0]).toMatchObject({ action: 'update', changes: { name: { old: sales.name, new: 'New business' } } });
  });

  it('refuses a manager, another organization\'s pipeline and a bad name, changing nothing', async () => {
    const before = await pipelines();
    const other = await t.newOrg('Elsewhere');
    const manager = await other.member('manager');
    const [theirs] = (await t.request('GET', '/api/v1/pipelines', { as: other.admin })).body.data;
    const answers = [
      await t.request('PATCH', `/api/v1/pipelines/${theirs.id}`, { as: manager, body: { name: 'Mine now' } }),
      await t.request('PATCH', `/api/v1/pipelines/${before[0].id}`, { as: other.admin, body: { name: 'Mine now' } }),
      await t.request('PATCH', `/api/v1/pipelines/${before[0].id}`, { as: admin, body: { name: '   ' } }),
      await t.request('PATCH', `/api/v1/pipelines/${before[0].id}`, { as: admin, body: { name: 'x'.repeat(101) } }),
      await t.request('PATCH', `/api/v1/pipelines/${before[0].id}`, { as: admin, body: { name: 'Fine', isDefault: true } }),
      await t.request('PATCH', `/api/v1/pipelines/not-an-id`, { as: admin, body: { name: 'Fine' } }),
    ];
    expect(answers.map((r) => [r.status, r.body.error?.code])).toEqual([
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
    ]);
    expect(await pipelines()).toEqual(before);
    expect((await t.request('GET', '/api/v1/pipelines', { as: other.admin })).body.data[0].name).toBe(theirs.name);
  });
});
