// @vitest-environment happy-dom
// The settings forms as an admin meets them, against a fake network: what is offered, what is
// checked before sending, what is sent, and what the answer shows.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKeysSettings } from './api-keys-settings.tsx';
import { AuditLogSettings } from './audit-log-settings.tsx';
import { InvitationsSettings } from './invitations-settings.tsx';
import { MembersSettings } from './members-settings.tsx';
import { PipelinesSettings } from './pipelines-settings.tsx';
import { RiskSettingsSection } from './risk-settings.tsx';
import { SettingsPage } from './settings-page.tsx';
import { fakeNetwork, ME, renderWith } from './test-network.tsx';
import { TrackingSettingsSection } from './tracking-settings.tsx';
import { defaultRiskSettings } from '../../../core/risk/settings.ts';

afterEach(cleanup);

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number, role: string, extra: object = {}) => ({ userId: n === 0 ? ME : uuid(n), name: `Person ${n}`, email: `p${n}@acme.test`, role, teamId: null, joinedAt: '2026-01-01T00:00:00.000Z', deactivatedAt: null, ...extra });

describe('members', () => {
  it('does not offer to demote, deactivate or remove the only admin; deactivates someone else', async () => {
    const net = fakeNetwork({
      'GET /members': () => ({ data: [member(0, 'admin'), member(1, 'rep')] }),
      'GET /teams': () => ({ data: [] }),
      'POST /members/:id/deactivate': () => ({ ...member(1, 'rep'), deactivatedAt: '2026-12-01T00:00:00.000Z' }),
    });
    renderWith(<MembersSettings />, { network: net });
    const role = await screen.findByLabelText('Role of Person 0');
    expect((role as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByText('Only admin')).toBeTruthy();
    const myRow = role.closest('tr')!;
    expect(within(myRow).queryByRole('button', { name: 'Deactivate' })).toBeNull();
    expect(within(myRow).queryByRole('button', { name: /Remove/ })).toBeNull();

    fireEvent.click(within(screen.getByLabelText('Role of Person 1').closest('tr')!).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(net.writes()).toEqual([expect.objectContaining({ method: 'POST', path: `/members/${uuid(1)}/deactivate` })]));
    expect(await screen.findByText('Person 1 was deactivated')).toBeTruthy();
  });

  it('with two admins, either can be made a manager; the API\'s refusal is shown', async () => {
    const net = fakeNetwork({
      'GET /members': () => ({ data: [member(0, 'admin'), member(1, 'admin')] }),
      'GET /teams': () => ({ data: [] }),
      'PATCH /members/:id': () => ({ status: 409, body: { error: { code: 'CONFLICT', message: 'An organization needs at least one active admin: make someone else an admin first' } } }),
    });
    renderWith(<MembersSettings />, { network: net });
    const role = (await screen.findByLabelText('Role of Person 1')) as HTMLSelectElement;
    expect(role.disabled).toBe(false);
    fireEvent.change(role, { target: { value: 'manager' } });
    await waitFor(() => expect(net.writes()).toEqual([expect.objectContaining({ method: 'PATCH', body: { role: 'manager' } })]));
    expect(await screen.findByText(/at least one active admin/)).toBeTruthy();
  });
});

describe('invitations', () => {
  it('checks the address before sending, invites with the chosen role and shows the link once', async () => {
    const net = fakeNetwork({
      'GET /invitations': () => ({ data: [] }),
      'POST /invitations': (r) => ({ status: 201, body: { id: uuid(9), email: r.body.email, role: r.body.role, expiresAt: '2027-01-01T00:00:00.000Z', acceptedAt: null, inviteUrl: 'http://crm.test/invite?token=tok_123456789' } }),
    });
    renderWith(<InvitationsSettings />, { network: net });
    await screen.findByText('No invitations yet');
    fireEvent.change(screen.getByLabelText('Email address'), { target: { value: 'not an address' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText(/Enter an email address/)).toBeTruthy();
    expect(net.writes()).toEqual([]);

    fireEvent.change(screen.getByLabelText('Email address'), { target: { value: ' ana@acme.test ' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'manager' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    await waitFor(() => expect(net.writes()).toEqual([expect.objectContaining({ path: '/invitations', body: { email: 'ana@acme.test', role: 'manager' } })]));
    expect(((await screen.findByLabelText('Invitation link for ana@acme.test')) as HTMLInputElement).value).toBe('http://crm.test/invite?token=tok_123456789');
  });

  it('offers a new link and revoking for an open invitation, nothing for an accepted one', async () => {
    const open = { id: uuid(1), email: 'open@acme.test', role: 'rep', expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString(), acceptedAt: null };
    const accepted = { id: uuid(2), email: 'done@acme.test', role: 'rep', expiresAt: '2026-01-01T00:00:00.000Z', acceptedAt: '2025-12-30T00:00:00.000Z' };
    const net = fakeNetwork({ 'GET /invitations': () => ({ data: [open, accepted] }), 'DELETE /invitations/:id': () => ({ status: 204, body: undefined }) });
    renderWith(<InvitationsSettings />, { network: net });
    const openRow = (await screen.findByText('open@acme.test')).closest('tr')!;
    const doneRow = screen.getByText('done@acme.test').closest('tr')!;
    expect(within(doneRow).queryByRole('button')).toBeNull();
    fireEvent.click(within(openRow).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(net.writes()).toEqual([expect.objectContaining({ method: 'DELETE', path: `/invitations/${uuid(1)}` })]));
  });
});

describe('API keys', () => {
  it('shows a new key once, and revokes after confirming', async () => {
    const key = { id: uuid(3), name: 'Zapier', prefix: 'crm_ab12', createdAt: '2026-12-01T00:00:00.000Z', lastUsedAt: null, revokedAt: null };
    let keys: object[] = [];
    const net = fakeNetwork({
      'GET /api-keys': () => ({ data: keys }),
      'POST /api-keys': () => {
        keys = [key];
        return { status: 201, body: { ...key, key: 'crm_ab12_secret_value' } };
      },
      'DELETE /api-keys/:id': () => ({ status: 204, body: undefined }),
    });
    renderWith(<ApiKeysSettings />, { network: net });
    await screen.findByText('No API keys');
    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'Zapier' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(((await screen.findByLabelText('API key Zapier')) as HTMLInputElement).value).toBe('crm_ab12_secret_value');
    fireEvent.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByLabelText('API key Zapier')).toBeNull();
    fireEvent.click(within((await screen.findByText('crm_ab12…')).closest('tr')!).getByRole('button', { name: 'Revoke' }));
    expect(net.writes().filter((w) => w.method === 'DELETE')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(net.writes().filter((w) => w.method === 'DELETE')).toEqual([expect.objectContaining({ path: `/api-keys/${uuid(3)}` })]));
  });
});

describe('pipelines', () => {
  const pipeline = {
    id: uuid(10), name: 'Sales', isDefault: true,
    stages: [
      { id: uuid(11), name: 'Discovery', position: 0, defaultProbability: 10, isWon: false, isLost: false },
      { id: uuid(12), name: 'Won', position: 1, defaultProbability: 100, isWon: true, isLost: false },
    ],
  };

  it('adds a stage only with a probability from 0 to 100, and renames a stage', async () => {
    const net = fakeNetwork({
      'GET /pipelines': () => ({ data: [pipeline] }),
      'POST /pipelines/:id/stages': (r) => ({ status: 201, body: { ...pipeline, stages: [...pipeline.stages, { id: uuid(13), position: 2, ...r.body }] } }),
      'PATCH /pipelines/:id/stages/:stageId': (r) => ({ ...pipeline.stages[0], ...r.body }),
    });
    renderWith(<PipelinesSettings />, { network: net });
    fireEvent.change(await screen.findByLabelText('New stage'), { target: { value: 'Demo' } });
    fireEvent.change(screen.getByLabelText('Default probability (%)'), { target: { value: '150' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    expect(await screen.findByText('Probability: A whole number from 0 to 100')).toBeTruthy();
    expect(net.writes()).toEqual([]);
    fireEvent.change(screen.getByLabelText('Default probability (%)'), { target: { value: '35' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    await waitFor(() => expect(net.writes()).toEqual([expect.objectContaining({ method: 'POST', path: `/pipelines/${uuid(10)}/stages`, body: { name: 'Demo', defaultProbability: 35, isWon: false, isLost: false } })]));

    const stage = within(screen.getByRole('form', { name: 'Stage Discovery' }));
    fireEvent.change(stage.getByLabelText('Stage name'), { target: { value: 'First call' } });
    fireEvent.click(stage.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(net.writes().at(-1)).toMatchObject({ method: 'PATCH', path: `/pipelines/${uuid(10)}/stages/${uuid(11)}`, body: { name: 'First call' } }));
  });

  it('renames a pipeline and creates one with the stages of another, refusing an empty name', async () => {
    const net = fakeNetwork({
      'GET /pipelines': () => ({ data: [pipeline] }),
      'PATCH /pipelines/:id': (r) => ({ ...pipeline, ...r.body }),
      'POST /pipelines': (r) => ({ status: 201, body: { id: uuid(20), name: r.body.name, isDefault: false, stages: r.body.stages.map((st: object, i: number) => ({ id: uuid(21 + i), position: i, ...st })) } }),
    });
    renderWith(<PipelinesSettings />, { network: net });
    const name = await screen.findByLabelText('Pipeline name');
    expect(screen.queryByRole('button', { name: 'Rename' })).toBeNull();
    fireEvent.change(name, { target: { value: 'New business ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(net.writes()).toEqual([expect.objectContaining({ method: 'PATCH', path: `/pipelines/${uuid(10)}`, body: { name: 'New business' } })]));
    expect(await screen.findByText('Pipeline renamed to New business')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Create pipeline' }));
    expect(await screen.findByText('Give the pipeline a name')).toBeTruthy();
    expect(net.writes()).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('New pipeline'), { target: { value: 'Partnerships' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create pipeline' }));
    await waitFor(() => expect(net.writes().at(-1)).toMatchObject({
      method: 'POST', path: '/pipelines',
      body: { name: 'Partnerships', stages: [{ name: 'Discovery', defaultProbability: 10, isWon: false, isLost: false }, { name: 'Won', defaultProbability: 100, isWon: true, isLost: false }] },
    }));
    expect(await screen.findByText('Partnerships created')).toBeTruthy();
  });
});

describe('audit log', () => {
  it('names the people and stages a change refers to instead of showing their ids', async () => {
    const sales = { id: uuid(10), name: 'Sales', isDefault: true, stages: [
      { id: uuid(11), name: 'Discovery', position: 0, defaultProbability: 10, isWon: false, isLost: false },
      { id: uuid(12), name: 'Proposal', position: 1, defaultProbability: 50, isWon: false, isLost: false },
    ] };
    const net = fakeNetwork({
      'GET /members': () => ({ data: [member(0, 'admin'), member(1, 'rep')] }),
      'GET /teams': () => ({ data: [] }),
      'GET /pipelines': () => ({ data: [sales] }),
      'GET /audit-log': () => ({ nextCursor: null, data: [{
        id: 7, at: '2026-11-20T09:00:00.000Z', actor: { id: uuid(1), name: 'Person 1', email: 'p1@acme.test' }, action: 'update', entityType: 'deal', entityId: uuid(30), entityName: 'Acme renewal',
        changes: { stageId: { old: uuid(11), new: uuid(12) }, ownerId: { old: uuid(1), new: ME }, companyId: { old: null, new: uuid(40) } },
      }] }),
    });
    renderWith(<AuditLogSettings />, { network: net });
    const row = (await screen.findByRole('button', { name: 'Acme renewal' })).closest('tr')!;
    await waitFor(() => expect(within(row).getByText((_, el) => el?.tagName === 'LI' && el.textContent === 'Stage Discovery → Proposal')).toBeTruthy());
    expect(within(row).getByText((_, el) => el?.tagName === 'LI' && el.textContent === 'Owner Person 1 → Person 0')).toBeTruthy();
    expect(within(row).getByText((_, el) => el?.tagName === 'LI' && el.textContent === `Company — → ${uuid(40)}`)).toBeTruthy();
  });
});

describe('risk settings', () => {
  it('previews how many open deals change band, then saves only what changed', async () => {
    const net = fakeNetwork({
      'GET /risk/settings': () => ({ settings: defaultRiskSettings, defaults: defaultRiskSettings, overrides: {} }),
      'POST /risk/settings/preview': () => ({ openDeals: 40, changed: 7, bandsNow: { low: 30, medium: 6, high: 4 }, bandsAfter: { low: 25, medium: 9, high: 6 }, transitions: [], examples: [] }),
      'PATCH /risk/settings': () => ({ settings: defaultRiskSettings, defaults: defaultRiskSettings, overrides: {}, rescored: 40 }),
    });
    renderWith(<RiskSettingsSection />, { network: net });
    const high = await screen.findByLabelText('High risk from');
    expect((high as HTMLInputElement).value).toBe('75');
    expect((screen.getByRole('button', { name: 'Save and rescore' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(high, { target: { value: '30' } });
    expect(await screen.findByText('Must be above medium')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save and rescore' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(high, { target: { value: '60' } });
    expect(await screen.findByText('7 open deals', {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByText(/of 40 would change band/)).toBeTruthy();
    expect(net.sent.find((s) => s.path === '/risk/settings/preview')!.body).toEqual({ bands: { high: 0.6 } });
    expect(net.writes().filter((w) => w.method === 'PATCH')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Save and rescore' }));
    await waitFor(() => expect(net.writes().filter((w) => w.method === 'PATCH')).toEqual([expect.objectContaining({ body: { bands: { high: 0.6 } } })]));
    expect(await screen.findByText('Saved. 40 open deals rescored.')).toBeTruthy();
  });
});

describe('tracking settings', () => {
  it('checks country codes before saving the policy', async () => {
    const settings = { policy: { mode: 'full', countryOverrides: { FR: 'consented' } }, retentionDays: 90, trackByDefault: true, description: 'Opens and clicks are recorded.' };
    const net = fakeNetwork({ 'GET /tracking/settings': () => settings, 'PATCH /tracking/settings': (r) => ({ ...settings, ...r.body }) });
    renderWith(<TrackingSettingsSection />, { network: net });
    fireEvent.click(await screen.findByRole('button', { name: 'Add a country' }));
    const countries = screen.getAllByLabelText('Country');
    fireEvent.change(countries[1]!, { target: { value: 'Germany' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByText('A two-letter country code, like DE')).toBeTruthy();
    expect(net.writes()).toEqual([]);
    fireEvent.change(countries[1]!, { target: { value: 'de' } });
    fireEvent.change(screen.getByLabelText(/Keep raw opens and clicks/), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() =>
      expect(net.writes()).toEqual([expect.objectContaining({ body: { policy: { mode: 'full', countryOverrides: { FR: 'consented', DE: 'consented' } }, retentionDays: 30 } })]),
    );
  });

  it('a rep changes only their own default: the organization policy is not offered', async () => {
    const net = fakeNetwork({ 'GET /tracking/settings': () => ({ policy: { mode: 'full', countryOverrides: {} }, retentionDays: 90, trackByDefault: false, description: 'x' }) });
    renderWith(<TrackingSettingsSection />, { network: net, role: 'rep' });
    expect(await screen.findByText('Track my emails by default')).toBeTruthy();
    expect(screen.queryByText('Organization policy')).toBeNull();
  });
});

describe('settings navigation', () => {
  it('offers admins every section, and others only their own', async () => {
    const net = fakeNetwork({ 'GET /members': () => ({ data: [member(0, 'admin')] }), 'GET /teams': () => ({ data: [] }), 'GET /tracking/settings': () => ({ policy: { mode: 'full', countryOverrides: {} }, retentionDays: 90, trackByDefault: false, description: 'x' }) });
    const admin = renderWith(<SettingsPage />, { network: net, path: '/members' });
    const nav = within(await screen.findByRole('navigation', { name: 'Settings sections' }));
    expect(nav.getAllByRole('link').map((a) => a.textContent)).toEqual(['Members', 'Invitations', 'Teams', 'Pipelines', 'Deal risk', 'Notifications', 'Notification defaults', 'Email tracking', 'API keys', 'Workflows', 'Webhooks', 'Slack', 'Audit log', 'Trash', 'Billing']);
    admin.unmount();
    renderWith(<SettingsPage />, { network: net, role: 'manager', path: '/members' });
    const mine = within(await screen.findByRole('navigation', { name: 'Settings sections' }));
    expect(mine.getAllByRole('link').map((a) => a.textContent)).toEqual(['Notifications', 'Email tracking', 'API keys']);
    // /members is not theirs: they land on their first section instead.
    expect(await screen.findByRole('heading', { name: 'Notifications' })).toBeTruthy();
  });
});
