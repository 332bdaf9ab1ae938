// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { AnswerTo, CrmMessage, HealthStatus, SendToBackground } from '../../messages.ts';
import { Options } from './options.tsx';

afterEach(cleanup);

const status: HealthStatus = {
  apiUrl: 'http://localhost:8787',
  apiPermission: false,
  signedIn: true,
  account: { user: { id: 'u1', name: 'Riley Park', email: 'rep1@demo.test' }, organization: { id: 'o1', name: 'Northwind' }, role: 'rep' },
  sessionExpired: false,
  api: null,
  gmail: { hookAttachedAt: null, sidebarMountedAt: null, reportedAt: null, mailboxes: ['riley.park@gmail.com'] },
  lastError: null,
  storageTrustedOnly: true,
};

function setup(grant: boolean, options: { trackByDefault?: boolean; saveFails?: boolean } = {}) {
  const events: string[] = [];
  const store = new Map<string, unknown>();
  let trackByDefault = options.trackByDefault ?? false;
  const description = 'Opens and clicks are counted per message, without names, by day.';
  const send = (async <M extends CrmMessage>(m: M): Promise<AnswerTo<M>> => {
    events.push(m.type);
    const answer = (a: unknown) => a as AnswerTo<M>;
    switch (m.type) {
      case 'crm:status':
        return answer(status);
      case 'crm:set-api-url':
        return answer({ ok: true, apiUrl: m.apiUrl.replace(/\/+$/, '') });
      case 'crm:store-get':
        return answer({ value: store.get(m.key) });
      case 'crm:store-set':
        store.set(m.key, m.value);
        return answer({ ok: true });
      case 'crm:tracking-settings':
        return answer({ ok: true, settings: { trackByDefault, description } });
      case 'crm:tracking-set-default':
        if (options.saveFails) return answer({ ok: false, code: 'OFFLINE', message: 'The CRM cannot be reached' });
        trackByDefault = m.trackByDefault;
        return answer({ ok: true, settings: { trackByDefault, description } });
      default:
        throw new Error(m.type);
    }
  }) as SendToBackground;
  const requestAccess = async (origin: string) => {
    events.push(`permission ${origin}`);
    return grant;
  };
  render(<Options send={send} requestAccess={requestAccess} />);
  return { events, store };
}

it('asks Chrome for the new API origin only, before saving it', async () => {
  const { events } = setup(true);
  fireEvent.change(await screen.findByLabelText('API address'), { target: { value: 'https://crm.example.com/' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByText('Saved. The extension may now reach https://crm.example.com.');
  expect(events.filter((e) => e !== 'crm:status' && !e.startsWith('crm:store') && !e.startsWith('crm:tracking'))).toEqual(['permission https://crm.example.com', 'crm:set-api-url']);
});

it('refuses an address it would send the token to in clear', async () => {
  const { events } = setup(true);
  fireEvent.change(await screen.findByLabelText('API address'), { target: { value: 'http://crm.example.com' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  expect((await screen.findByRole('alert')).textContent).toMatch(/Use https:\/\//);
  expect(events.some((e) => e.startsWith('permission') || e === 'crm:set-api-url')).toBe(false);
});

it('says so when Chrome does not grant access', async () => {
  setup(false);
  fireEvent.click(await screen.findByRole('button', { name: 'Allow access' }));
  expect((await screen.findByRole('alert')).textContent).toBe('Chrome did not allow access to http://localhost:8787.');
});

it('edits the logging exclusions of a mailbox where the sidebar reads them, starting from the defaults', async () => {
  const { store } = setup(true);
  const rules = (await screen.findByLabelText('Never log emails with these domains or addresses')) as HTMLTextAreaElement;
  expect((screen.getByLabelText('Mailbox') as HTMLSelectElement).value).toBe('riley.park@gmail.com');
  // The sidebar's default for a personal mailbox: the address itself, plus personal-mail domains.
  await waitFor(() => expect(rules.value).toBe('riley.park@gmail.com'));

  fireEvent.change(rules, { target: { value: 'Partner.test\nnot a domain' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save logging settings' }));
  expect((await screen.findByRole('alert')).textContent).toBe('Not a domain or address: not a domain');

  fireEvent.change(rules, { target: { value: 'Partner.test\n@vendor.test\nboss@Client.test, partner.test' } });
  fireEvent.click(screen.getByLabelText(/Never log personal mailboxes/));
  fireEvent.click(screen.getByRole('button', { name: 'Save logging settings' }));
  await screen.findByText('Saved. Gmail uses it from the next thread you open.');
  expect(Object.fromEntries(store)).toEqual({
    'logging-settings:riley.park@gmail.com': { neverLog: ['partner.test', '@vendor.test', 'boss@client.test'], excludePersonalMail: false },
  });
});

it('switches tracking by default, and shows what the organisation’s mode records', async () => {
  const { events } = setup(true);
  const toggle = (await screen.findByRole('switch', { name: 'Track emails by default' })) as HTMLInputElement;
  expect(toggle.checked).toBe(false);
  expect(screen.getByText(/Opens and clicks are counted per message, without names, by day\./)).toBeTruthy();
  fireEvent.click(toggle);
  await screen.findByText('Saved. New emails start with tracking on.');
  expect(toggle.checked).toBe(true);
  expect(events).toContain('crm:tracking-set-default');
});

it('says so when the tracking default cannot be saved, and leaves it as it was', async () => {
  setup(true, { saveFails: true });
  const toggle = (await screen.findByRole('switch', { name: 'Track emails by default' })) as HTMLInputElement;
  fireEvent.click(toggle);
  expect((await screen.findByRole('alert')).textContent).toBe('Not saved: The CRM cannot be reached');
  expect(toggle.checked).toBe(false);
});
