// The fakes of the API answer through the API's own schemas: these show that one answering a shape
// the API cannot is caught, at the fake, rather than keeping a test green.
import { describe, expect, it } from 'vitest';
import { createSidebarApi } from './sidebar-api.ts';
import { checkAnswer, ContractViolation } from './test-contract.ts';
import { FakeCrm, makeContact, makeTracked } from '../sidebar/test-fakes.ts';
import { createFakeApi } from '../demo-inbox/test-api.ts';

const contact = makeContact({ email: 'ann@acme.test', firstName: 'Ann' });

describe('checkAnswer', () => {
  it.each([
    ['a contact as the API writes it', 'POST', '/contacts', 201, contact],
    ['a refusal', 'PATCH', '/deals/d1', 404, { error: { code: 'NOT_FOUND', message: 'Deal not found' } }],
    ['no body where the API sends none', 'DELETE', '/session', 204, null],
    ['a route’s second success status', 'POST', '/tracking/messages', 200, { decision: { track: false, reason: 'opted_out', explanation: 'x', storeIdentity: false, storeExactTime: false }, trackedMessageId: null, html: '', pixelUrl: null, links: [], optOutUrl: null }],
  ])('lets through %s', (_name, method, path, status, body) => {
    expect(checkAnswer(method, path, status, body)).toBe(body);
  });

  it.each([
    ['a field missing', 'POST', '/contacts', 201, { ...contact, email: undefined }, /POST \/contacts → 201: not what the API answers \(email: /],
    ['a field of another type', 'POST', '/contacts', 201, { ...contact, tags: 'vip' }, /tags: /],
    ['an id that is not one', 'GET', '/context', 200, { contacts: [{ ...contact, id: 'c1' }], unknownEmails: [], companies: [], deals: [], activities: [], tasks: [], tracking: [] }, /contacts\.0\.id: /],
    ['a list without its envelope', 'GET', '/pipelines', 200, [], /GET \/pipelines → 200/],
    ['a status the route never answers', 'POST', '/contacts', 200, contact, /never answers this route with 200 \(it answers 201\)/],
    ['a body where the API sends none', 'DELETE', '/session', 204, { ok: true }, /without a body/],
    ['a refusal in another shape', 'PATCH', '/deals/d1', 404, { message: 'Deal not found' }, /not the API's error shape/],
    ['a route the API does not have', 'GET', '/deal', 200, {}, /not a route the fakes may answer/],
  ])('refuses %s', (_name, method, path, status, body, message) => {
    expect(() => checkAnswer(method, path, status, body)).toThrow(ContractViolation);
    expect(() => checkAnswer(method, path, status, body)).toThrow(message);
  });
});

describe('a fake that drifted fails the test that used it', () => {
  it('the in-memory CRM: a stored contact the API could never answer', async () => {
    const crm = new FakeCrm();
    crm.contacts.push({ ...contact, createdAt: 'yesterday' });
    await expect(crm.getContext(['ann@acme.test'])).rejects.toThrow(/GET \/context → 200: not what the API answers \(contacts\.0\.createdAt: /);
  });

  it('the in-memory CRM: a tracked message whose counts are not the API’s', async () => {
    const crm = new FakeCrm();
    crm.tracked.push({ ...makeTracked({ messageId: '<m1@x.test>' }), opens: { count: 1.5, first: null, last: null } });
    await expect(crm.listTrackedMessages({ messageIds: ['<m1@x.test>'] })).rejects.toThrow(ContractViolation);
  });

  it('the HTTP fake of the demo inbox: the same drift, reached through the real client', async () => {
    const api = createFakeApi();
    api.crm.contacts.push({ ...contact, createdAt: 'yesterday' });
    const session = await (await api.fetch('http://crm.test/api/v1/session', { method: 'POST', body: JSON.stringify({ email: 'robin@seller.test', password: 'demo-password' }) })).json();
    const sidebar = createSidebarApi({ baseUrl: 'http://crm.test', getToken: () => session.token, fetch: api.fetch });
    await expect(sidebar.getContext(['ann@acme.test'])).rejects.toThrow(ContractViolation);
  });
});
