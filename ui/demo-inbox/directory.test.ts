import { describe, expect, it } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import { colleague, FakeCrm, makeCompany, makeContact, makeDeal, rep } from '../sidebar/test-fakes.ts';
import { loadDirectory, pickDeals, pickSoloContact } from './directory.ts';
import { createPageClient, signIn } from './session.ts';
import { createFakeApi, PASSWORD } from './test-api.ts';

const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();

function world() {
  const crm = new FakeCrm();
  const acme = makeCompany({ name: 'Acme Robotics', domain: 'acme-robotics.com' });
  const bluefin = makeCompany({ name: 'Bluefin Logistics', domain: 'bluefinlogistics.com' });
  const cedar = makeCompany({ name: 'Cedar Health', domain: 'cedarhealth.com' });
  const summit = makeCompany({ name: 'Summit Analytics', domain: 'summitanalytics.io' });
  const olivia = makeContact({ email: 'olivia@acme-robotics.com', firstName: 'Olivia', lastName: 'Anderson', companyId: acme.id, ownerId: rep.id, createdAt: at(1) });
  const liam = makeContact({ email: 'liam@acme-robotics.com', firstName: 'Liam', lastName: 'Bennett', companyId: acme.id, ownerId: rep.id, createdAt: at(2) });
  const emma = makeContact({ email: 'emma@bluefinlogistics.com', firstName: 'Emma', lastName: 'Carter', companyId: bluefin.id, ownerId: rep.id, createdAt: at(3) });
  const noah = makeContact({ email: 'noah@cedarhealth.com', firstName: 'Noah', lastName: 'Delgado', companyId: cedar.id, ownerId: rep.id, createdAt: at(4) });
  const ava = makeContact({ email: 'ava@summitanalytics.io', firstName: 'Ava', lastName: 'Ellis', companyId: summit.id, ownerId: rep.id, createdAt: at(5) });
  const late = makeContact({ email: 'late@summitanalytics.io', firstName: 'Late', lastName: 'Comer', companyId: summit.id, ownerId: rep.id, createdAt: at(30) });
  crm.companies.push(acme, bluefin, cedar, summit);
  crm.contacts.push(late, ava, noah, emma, liam, olivia); // the API lists newest first
  const deals = {
    acmeOld: makeDeal({ name: 'Acme Robotics — Fleet Analytics', companyId: acme.id, contactIds: [olivia.id, liam.id], createdAt: at(1) }),
    acmeNew: makeDeal({ name: 'Acme Robotics — Pilot', companyId: acme.id, contactIds: [liam.id], createdAt: at(2) }),
    bluefin: makeDeal({ name: 'Bluefin Logistics — Support plan', companyId: bluefin.id, contactIds: [emma.id], createdAt: at(3) }),
    theirs: makeDeal({ name: 'Cedar Health — Renewal', companyId: cedar.id, contactIds: [noah.id], ownerId: colleague.id, owner: colleague, createdAt: at(0) }),
    won: makeDeal({ name: 'Summit — Done', companyId: summit.id, contactIds: [ava.id], outcome: 'won', createdAt: at(0) }),
    noContacts: makeDeal({ name: 'Cedar Health — Empty', companyId: cedar.id, createdAt: at(0) }),
  };
  crm.deals.push(...Object.values(deals));
  return { crm, companies: { acme, bluefin, cedar, summit }, contacts: { olivia, liam, emma, noah, ava, late }, deals };
}

describe('pickDeals', () => {
  it('takes the user’s own open deals with contacts, oldest first, one per company', () => {
    const { crm, deals } = world();
    expect(pickDeals(crm.deals, rep.id).map((d) => d.name)).toEqual([deals.acmeOld.name, deals.bluefin.name]);
  });

  it('uses anyone’s open deals when the user owns none', () => {
    const { crm, deals } = world();
    expect(pickDeals(crm.deals, colleague.id).map((d) => d.name)).toEqual([deals.theirs.name]);
    expect(pickDeals(crm.deals, 'someone-else').map((d) => d.name)).toEqual([deals.theirs.name, deals.acmeOld.name, deals.bluefin.name]);
  });
});

describe('pickSoloContact', () => {
  it('takes the oldest contact with no open deal at a company with none', () => {
    const { crm, contacts } = world();
    expect(pickSoloContact(crm.contacts, crm.deals)?.email).toBe(contacts.ava.email);
  });

  it('prefers a contact with a company and answers null when there is none', () => {
    const loner = makeContact({ email: 'loner@gmail.com', createdAt: at(0) });
    const withCompany = makeContact({ email: 'x@summitanalytics.io', companyId: 'c1', createdAt: at(9) });
    expect(pickSoloContact([loner, withCompany], [])?.email).toBe('x@summitanalytics.io');
    expect(pickSoloContact([loner], [])?.email).toBe('loner@gmail.com');
    expect(pickSoloContact([], [])).toBeNull();
  });
});

describe('loadDirectory', () => {
  it('builds the mailbox directory from the API', async () => {
    const { crm } = world();
    const api = createFakeApi(crm);
    const session = await signIn({ baseUrl: 'http://crm.test', fetch: api.fetch }, rep.email, PASSWORD);
    const directory = await loadDirectory(createPageClient({ baseUrl: 'http://crm.test', fetch: api.fetch, getToken: () => session.token }));
    expect(directory).toEqual({
      user: { name: rep.name, email: rep.email },
      organizationName: 'Seller Inc',
      colleagues: [{ name: colleague.name, email: colleague.email }],
      deals: [
        {
          dealName: 'Acme Robotics — Fleet Analytics',
          companyName: 'Acme Robotics',
          contacts: [
            { name: 'Liam Bennett', email: 'liam@acme-robotics.com' },
            { name: 'Olivia Anderson', email: 'olivia@acme-robotics.com' },
          ],
        },
        { dealName: 'Bluefin Logistics — Support plan', companyName: 'Bluefin Logistics', contacts: [{ name: 'Emma Carter', email: 'emma@bluefinlogistics.com' }] },
      ],
      soloContact: { contact: { name: 'Ava Ellis', email: 'ava@summitanalytics.io' }, companyName: 'Summit Analytics' },
    });
    expect(api.requests.some((r) => r.path.startsWith(`/contacts?ownerId=${rep.id}`))).toBe(true);
  });

  it('fails with UNAUTHENTICATED when the session is gone', async () => {
    const api = createFakeApi(world().crm);
    await expect(loadDirectory(createPageClient({ baseUrl: 'http://crm.test', fetch: api.fetch, getToken: () => 'stale' }))).rejects.toSatisfy(
      (err) => err instanceof ApiError && err.code === 'UNAUTHENTICATED',
    );
  });

  it('fails with OFFLINE when the API cannot be reached', async () => {
    const api = createFakeApi(world().crm);
    api.online = false;
    await expect(loadDirectory(createPageClient({ baseUrl: 'http://crm.test', fetch: api.fetch, getToken: () => 't' }))).rejects.toSatisfy(
      (err) => err instanceof ApiError && err.code === 'OFFLINE',
    );
  });
});
