import { describe, expect, it } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import { createMemoryStore } from './cache.ts';
import { pendingId, type Change } from './changes.ts';
import { Outbox, type Lock } from './outbox.ts';
import { FakeCrm, makeActivity, makeContact, makeDeal, stage } from './test-fakes.ts';

function world() {
  const crm = new FakeCrm();
  const ann = makeContact({ email: 'ann@acme.test', firstName: 'Ann' });
  const deal = makeDeal({ name: 'Acme renewal', contactIds: [ann.id] });
  crm.contacts.push(ann);
  crm.deals.push(deal);
  const store = createMemoryStore();
  return { crm, ann, deal, store, outbox: new Outbox(store) };
}

const task = (key: string, subject: string, contactIds: string[]): Change => ({ kind: 'addTask', tempId: pendingId(key), task: { subject, dueAt: null, contactIds, dealIds: [] } });
const writes = (crm: FakeCrm) => crm.calls.filter((c) => c.method !== 'getContext').map((c) => c.method);

/** What the Web Locks API gives tabs: one holder at a time. */
function sharedLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}

describe('Outbox', () => {
  it('sends changes in the order they were made and empties the queue', async () => {
    const { crm, ann, deal, outbox } = world();
    await outbox.enqueue({ kind: 'updateDeal', dealId: deal.id, patch: { stage: stage('Proposal').id } }, { label: 'move' });
    await outbox.enqueue(task('k2', 'Call Ann', [ann.id]), { label: 'task', key: 'k2' });
    await outbox.enqueue({ kind: 'updateDeal', dealId: deal.id, patch: { stage: stage('Negotiation').id } }, { label: 'move again' });
    const result = await outbox.flush(crm);
    expect(result).toEqual({ sent: 3, refused: 0, blocked: null });
    expect(writes(crm)).toEqual(['updateDeal', 'addTask', 'updateDeal']);
    expect(crm.deals[0]!.stageInfo.name).toBe('Negotiation');
    expect(outbox.items()).toEqual([]);
  });

  it('keeps everything while offline, across a reload, and sends each change once when back', async () => {
    const { crm, ann, store, outbox } = world();
    crm.online = false;
    await outbox.enqueue(task('a', 'First', [ann.id]), { label: 'a', key: 'a' });
    await outbox.enqueue(task('b', 'Second', [ann.id]), { label: 'b', key: 'b' });
    const offline = await outbox.flush(crm);
    expect(offline.blocked?.code).toBe('OFFLINE');
    expect(offline.sent).toBe(0);

    const reloaded = new Outbox(store);
    expect((await reloaded.load()).map((i) => i.label)).toEqual(['a', 'b']);
    crm.online = true;
    expect((await reloaded.flush(crm)).sent).toBe(2);
    expect(await reloaded.flush(crm)).toEqual({ sent: 0, refused: 0, blocked: null });
    expect(crm.activities.filter((a) => a.type === 'task').map((a) => a.subject)).toEqual(['First', 'Second']);
  });

  it('sends the Idempotency-Key of the queued change on every attempt', async () => {
    const { crm, ann, outbox } = world();
    crm.failNext('addTask', new ApiError('INTERNAL', 'boom', 500));
    await outbox.enqueue(task('key-1', 'Call', [ann.id]), { label: 'task', key: 'key-1' });
    expect((await outbox.flush(crm)).blocked?.code).toBe('INTERNAL');
    await outbox.flush(crm);
    expect(crm.callsOf('addTask').map((c) => (c.args[1] as { idempotencyKey: string }).idempotencyKey)).toEqual(['key-1', 'key-1']);
  });

  it('replaces a pending contact’s id in later changes once the server has created it', async () => {
    const { crm, outbox } = world();
    crm.online = false;
    const create: Change = { kind: 'createContact', tempId: pendingId('c'), contact: { email: 'bo@new.test', firstName: 'Bo', lastName: null }, company: null, companyId: null };
    await outbox.enqueue(create, { label: 'contact', key: 'c' });
    await outbox.enqueue({ kind: 'createDeal', tempId: pendingId('d'), deal: { name: 'New deal', contactIds: [pendingId('c')], companyId: null } }, { label: 'deal', key: 'd' });
    await outbox.enqueue({ kind: 'updateDeal', dealId: pendingId('d'), patch: { stage: stage('Proposal').id } }, { label: 'move', key: 'm' });
    await outbox.flush(crm);
    crm.online = true;
    await outbox.flush(crm);
    const bo = crm.contacts.find((c) => c.email === 'bo@new.test')!;
    const created = crm.deals.find((d) => d.name === 'New deal')!;
    expect(created.contactIds).toEqual([bo.id]);
    expect(created.stageInfo.name).toBe('Proposal');
  });

  it('drops a refused change and the changes that depend on it, and goes on with the rest', async () => {
    const { crm, ann, outbox } = world();
    crm.failNext('createContact', new ApiError('VALIDATION_FAILED', 'email: Invalid email address', 400));
    const refused: string[] = [];
    await outbox.enqueue({ kind: 'createContact', tempId: pendingId('c'), contact: { email: 'bad@x.test', firstName: null, lastName: null }, company: null, companyId: null }, { label: 'contact', key: 'c' });
    await outbox.enqueue(task('t1', 'Depends on the contact', [pendingId('c')]), { label: 'dependent task', key: 't1' });
    await outbox.enqueue(task('t2', 'Independent', [ann.id]), { label: 'independent task', key: 't2' });
    const result = await outbox.flush(crm, { onRefused: (item, error, dropped) => refused.push(`${item.label}: ${error.message} (+${dropped.map((d) => d.label).join(', ')})`) });
    expect(result).toEqual({ sent: 1, refused: 2, blocked: null });
    expect(refused).toEqual(['contact: email: Invalid email address (+dependent task)']);
    expect(crm.activities.map((a) => a.subject)).toEqual(['Independent']);
  });

  it('after an answer that never arrived, finds the task already created instead of creating it again', async () => {
    const { crm, ann, outbox } = world();
    const real = crm.addTask.bind(crm);
    let lose = true;
    crm.addTask = async (input, options) => {
      const created = await real(input, options);
      if (lose) {
        lose = false;
        throw new ApiError('OFFLINE', 'connection reset', 0);
      }
      return created;
    };
    await outbox.enqueue(task('t', 'Send the proposal', [ann.id]), { label: 'task', key: 't', emails: [ann.email] });
    expect((await outbox.flush(crm)).blocked?.code).toBe('OFFLINE');
    expect((await outbox.flush(crm)).sent).toBe(1);
    expect(crm.activities.filter((a) => a.subject === 'Send the proposal')).toHaveLength(1);
    expect(crm.callsOf('addTask')).toHaveLength(1);
  });

  it('a contact created by a lost attempt is taken as confirmed (the server refuses a duplicate email)', async () => {
    const { crm, outbox } = world();
    const confirmed: string[] = [];
    const real = crm.createContact.bind(crm);
    let lose = true;
    crm.createContact = async (input, options) => {
      const created = await real(input, options);
      if (lose) {
        lose = false;
        throw new ApiError('OFFLINE', 'connection reset', 0);
      }
      return created;
    };
    await outbox.enqueue({ kind: 'createContact', tempId: pendingId('c'), contact: { email: 'bo@new.test', firstName: 'Bo', lastName: null }, company: null, companyId: null }, { label: 'contact', key: 'c' });
    await outbox.flush(crm);
    await outbox.flush(crm, { onConfirmed: (_item, c) => void (c.kind === 'contact' && confirmed.push(c.contactId)) });
    expect(crm.contacts.filter((c) => c.email === 'bo@new.test')).toHaveLength(1);
    expect(confirmed).toEqual([crm.contacts.find((c) => c.email === 'bo@new.test')!.id]);
  });

  it('gives up on a change the server keeps failing, visibly, after the allowed attempts', async () => {
    const { crm, ann, store } = world();
    const outbox = new Outbox(store, { maxAttempts: 2 });
    crm.failNext('addNote', new ApiError('INTERNAL', 'boom', 500));
    crm.failNext('addNote', new ApiError('INTERNAL', 'boom again', 500));
    const refused: string[] = [];
    await outbox.enqueue({ kind: 'addNote', tempId: pendingId('n'), note: { body: 'x', contactIds: [ann.id], dealIds: [] } }, { label: 'note', key: 'n' });
    expect((await outbox.flush(crm)).blocked?.code).toBe('INTERNAL');
    expect(await outbox.flush(crm, { onRefused: (_i, e) => refused.push(e.message) })).toEqual({ sent: 0, refused: 1, blocked: null });
    expect(refused).toEqual(['boom again']);
  });

  it('stops and keeps the queue when the session has expired', async () => {
    const { crm, ann, outbox } = world();
    crm.signedIn = false;
    await outbox.enqueue(task('t', 'Call', [ann.id]), { label: 'task', key: 't' });
    expect((await outbox.flush(crm)).blocked?.code).toBe('UNAUTHENTICATED');
    expect(outbox.items()).toHaveLength(1);
  });

  it('ignores a second change with the same key (an email already queued for logging)', async () => {
    const { outbox } = world();
    const log: Change = { kind: 'logEmail', email: { messageId: '<m1>', from: 'ann@acme.test', to: [], cc: [], sentAt: '2026-11-20T09:30:00Z', direction: 'inbound' } };
    expect(await outbox.enqueue(log, { label: 'log', key: 'email:<m1>' })).not.toBeNull();
    expect(await outbox.enqueue(log, { label: 'log', key: 'email:<m1>' })).toBeNull();
    expect(outbox.items()).toHaveLength(1);
  });

  it('two tabs sharing one store never send the same change twice', async () => {
    const { crm, ann, store } = world();
    const lock = sharedLock();
    const tabA = new Outbox(store, { lock });
    const tabB = new Outbox(store, { lock });
    for (const k of ['1', '2', '3']) await tabA.enqueue(task(k, `Task ${k}`, [ann.id]), { label: k, key: k });
    await Promise.all([tabA.flush(crm), tabB.flush(crm), tabA.flush(crm)]);
    await tabB.flush(crm);
    expect(crm.activities.map((a) => a.subject)).toEqual(['Task 1', 'Task 2', 'Task 3']);
    expect(await tabB.load()).toEqual([]);
  });

  it('cancel takes back queued changes that are not being sent', async () => {
    const { outbox, ann } = world();
    await outbox.enqueue(task('a', 'A', [ann.id]), { label: 'a', key: 'a', threadId: 't1' });
    await outbox.enqueue(task('b', 'B', [ann.id]), { label: 'b', key: 'b', threadId: 't2' });
    expect((await outbox.cancel((i) => i.threadId === 't1')).map((i) => i.key)).toEqual(['a']);
    expect(outbox.items().map((i) => i.key)).toEqual(['b']);
  });
});

it('findApplied does not mistake an older task with another due date for the lost one', async () => {
  const { crm, ann, outbox } = world();
  crm.activities.push(makeActivity({ type: 'task', subject: 'Send the proposal', dueAt: '2026-11-01T09:00:00.000Z', contactIds: [ann.id] }));
  const real = crm.addTask.bind(crm);
  let lose = true;
  crm.addTask = async (input, options) => {
    if (lose) {
      lose = false;
      throw new ApiError('OFFLINE', 'never reached the server', 0);
    }
    return real(input, options);
  };
  await outbox.enqueue({ kind: 'addTask', tempId: pendingId('t'), task: { subject: 'Send the proposal', dueAt: '2026-12-01T09:00:00.000Z', contactIds: [ann.id], dealIds: [] } }, { label: 't', key: 't', emails: [ann.email] });
  await outbox.flush(crm);
  await outbox.flush(crm);
  expect(crm.activities.filter((a) => a.subject === 'Send the proposal').map((a) => a.dueAt)).toEqual(['2026-11-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z']);
});
