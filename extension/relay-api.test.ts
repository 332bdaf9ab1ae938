import { describe, expect, it } from 'vitest';
import { ApiError } from '../ui/api-client/api-error.ts';
import type { AnswerTo, CrmMessage, RelayAnswer, RelayRequest, SendToBackground } from './messages.ts';
import { createRelayApi, createRelayStore } from './relay-api.ts';

/** A background that answers every relay with `answer` and records what it was asked. */
function background(answer: RelayAnswer | undefined | (() => Promise<never>)) {
  const asked: RelayRequest[] = [];
  const send = (async (message: CrmMessage) => {
    if (message.type !== 'crm:relay') throw new Error(`unexpected ${message.type}`);
    asked.push(message.request);
    return typeof answer === 'function' ? answer() : answer;
  }) as SendToBackground;
  return { asked, api: createRelayApi({ send, timeoutMs: 50 }) };
}

const response = (status: number, body: unknown): RelayAnswer => ({
  kind: 'response',
  ok: status >= 200 && status < 300,
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

it('sends each call to the background as method, API path, JSON body and idempotency key', async () => {
  const { asked, api } = background(response(201, { id: 'c1' }));
  expect(await api.createContact({ email: 'bea@buyer.test' }, { idempotencyKey: 'k-1' })).toEqual({ id: 'c1' });
  await api.getContext(['bea@buyer.test', 'carl@buyer.test']);
  expect(asked).toEqual([
    { method: 'POST', path: '/api/v1/contacts', body: '{"email":"bea@buyer.test"}', idempotencyKey: 'k-1' },
    { method: 'GET', path: '/api/v1/context?emails=bea%40buyer.test%2Ccarl%40buyer.test' },
  ]);
});

describe('turns answers back into the sidebar’s ApiError', () => {
  it.each([
    ['401, whatever the body says', response(401, { error: { code: 'FORBIDDEN', message: 'Sign in first' } }), 'UNAUTHENTICATED', 401],
    ['the server’s own code', response(404, { error: { code: 'NOT_FOUND', message: 'Deal not found' } }), 'NOT_FOUND', 404],
    ['a refusal without a body', response(409, ''), 'CONFLICT', 409],
    ['a gateway that cannot reach the API', response(502, '<html>Bad gateway</html>'), 'OFFLINE', 502],
    ['rate limiting', response(429, { error: { code: 'X', message: 'slow down' } }), 'RATE_LIMITED', 429],
    ['a 200 that is not JSON', response(200, '<html>captive portal</html>'), 'BAD_RESPONSE', 200],
    ['no network between the worker and the API', { kind: 'network-error', message: 'fetch failed' } as RelayAnswer, 'OFFLINE', 0],
    ['no answer from the worker', undefined, 'OFFLINE', 0],
  ])('%s', async (_name, answer, code, status) => {
    const error = await failure(background(answer).api.updateDeal('d1', { stage: 's' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code, status });
  });

  it('keeps the server’s message for the person', async () => {
    const error = await failure(background(response(400, { error: { code: 'VALIDATION_FAILED', message: 'name: Required' } })).api.createDeal({ name: '' } as never));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'name: Required' });
  });

  it('a worker that was stopped or reloaded mid-call → OFFLINE', async () => {
    const error = await failure(background(() => Promise.reject(new Error('Extension context invalidated.'))).api.listPipelines());
    expect(error).toMatchObject({ code: 'OFFLINE' });
  });

  it('a call that hangs → OFFLINE after the timeout', async () => {
    const started = Date.now();
    const error = await failure(background(() => new Promise<never>(() => {})).api.listPipelines());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'OFFLINE', message: 'The CRM did not answer in time' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

it('reads an answer without a body (204) as empty', async () => {
  const { api } = background({ kind: 'response', ok: true, status: 204, body: '' });
  expect(await api.completeTask('t1')).toBeUndefined();
});

describe('the store over the background', () => {
  function storeWith(answers: Partial<{ [K in CrmMessage['type']]: unknown }>) {
    const asked: CrmMessage[] = [];
    const send = (async <M extends CrmMessage>(message: M) => {
      asked.push(message);
      return answers[message.type] as AnswerTo<M>;
    }) as SendToBackground;
    return { asked, store: createRelayStore(send) };
  }

  it('gets, sets and deletes by key', async () => {
    const { asked, store } = storeWith({ 'crm:store-get': { value: { a: 1 } }, 'crm:store-set': { ok: true }, 'crm:store-delete': { ok: true } });
    expect(await store.get('outbox')).toEqual({ a: 1 });
    await store.set('outbox', [1]);
    await store.delete('outbox');
    expect(asked).toEqual([
      { type: 'crm:store-get', key: 'outbox' },
      { type: 'crm:store-set', key: 'outbox', value: [1] },
      { type: 'crm:store-delete', key: 'outbox' },
    ]);
  });

  it('fails a write the background could not make, so the sidebar keeps it in memory', async () => {
    const { store } = storeWith({ 'crm:store-set': { ok: false, message: 'QUOTA_BYTES quota exceeded' } });
    await expect(store.set('context:t', {})).rejects.toThrow('QUOTA_BYTES');
    await expect(storeWith({}).store.get('x')).rejects.toThrow('did not answer');
  });
});
