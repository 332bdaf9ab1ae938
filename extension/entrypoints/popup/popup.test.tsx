// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { Account, AnswerTo, CrmMessage, HealthStatus, SendToBackground } from '../../messages.ts';
import { healthChecks } from '../../pages/health-list.tsx';
import { Popup } from './popup.tsx';

afterEach(cleanup);

const account: Account = {
  user: { id: 'u1', name: 'Riley Park', email: 'rep1@demo.test' },
  organization: { id: 'o1', name: 'Northwind Demo' },
  role: 'rep',
};

const baseStatus = (): HealthStatus => ({
  apiUrl: 'http://localhost:8787',
  apiPermission: true,
  signedIn: false,
  account: null,
  sessionExpired: false,
  api: { reachable: true, status: 401, checkedAt: new Date().toISOString() },
  gmail: { hookAttachedAt: null, sidebarMountedAt: null, reportedAt: null, mailboxes: [] },
  lastError: null,
  storageTrustedOnly: true,
});

/** A background that knows one password. */
function fakeBackground(status = baseStatus()) {
  const asked: CrmMessage[] = [];
  const send = (async <M extends CrmMessage>(message: M): Promise<AnswerTo<M>> => {
    asked.push(message);
    switch (message.type) {
      case 'crm:status':
        return structuredClone(status) as AnswerTo<M>;
      case 'crm:sign-in':
        if (message.password !== 'demo-password') return { ok: false, code: 'UNAUTHENTICATED', message: 'Wrong email or password' } as AnswerTo<M>;
        status = { ...status, signedIn: true, account };
        return { ok: true, account } as AnswerTo<M>;
      case 'crm:sign-out':
        status = { ...status, signedIn: false };
        return { ok: true } as AnswerTo<M>;
      default:
        throw new Error(`unexpected ${message.type}`);
    }
  }) as SendToBackground;
  return { asked, send };
}

it('signs in with email and password, says why when refused, then shows who is signed in and can sign out', async () => {
  const { asked, send } = fakeBackground();
  render(<Popup send={send} openOptions={() => {}} />);
  const email = await screen.findByLabelText('Email');
  expect(document.activeElement).toBe(email); // ready to type

  fireEvent.change(email, { target: { value: ' rep1@demo.test ' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope-nope' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password');

  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'demo-password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByText('Riley Park');
  expect(screen.getByText('Northwind Demo · rep')).toBeTruthy();
  expect(asked.filter((m) => m.type === 'crm:sign-in').at(-1)).toEqual({ type: 'crm:sign-in', email: 'rep1@demo.test', password: 'demo-password' });

  fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  await screen.findByLabelText('Password');
  expect(asked.some((m) => m.type === 'crm:sign-out')).toBe(true);
});

it('asks for the API permission on the settings page, and says an expired session ended', async () => {
  let opened = 0;
  const { send } = fakeBackground({ ...baseStatus(), apiPermission: false, sessionExpired: true, account });
  render(<Popup send={send} openOptions={() => void opened++} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Open settings to allow it' }));
  expect(opened).toBe(1);
  expect(screen.getByText('Your session ended. Sign in again.')).toBeTruthy();
  expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('rep1@demo.test');
});

it('lists the self-test so a person can tell what is broken', async () => {
  const now = Date.parse('2026-11-21T10:10:00Z');
  const status: HealthStatus = {
    ...baseStatus(),
    signedIn: true,
    account,
    api: { reachable: false, message: 'http://localhost:8787 cannot be reached (Failed to fetch)', checkedAt: '2026-11-21T10:09:59Z' },
    gmail: { hookAttachedAt: '2026-11-21T10:05:00Z', sidebarMountedAt: null, reportedAt: '2026-11-21T10:05:00Z', mailboxes: ['rep1@demo.test'] },
    lastError: { message: 'The side panel could not be added: no room', source: 'gmail', at: '2026-11-21T10:05:00Z' },
  };
  expect(healthChecks(status, now).map((c) => [c.label, c.state, c.detail])).toEqual([
    ['Signed in', 'ok', 'as rep1@demo.test'],
    ['CRM reachable', 'bad', 'http://localhost:8787 cannot be reached (Failed to fetch)'],
    ['Gmail hook attached', 'ok', 'Gmail tab reported 5 minutes ago'],
    ['Sidebar mounted', 'bad', 'Gmail did not show the side panel. Reload Gmail.'],
    ['Last error', 'bad', 'The side panel could not be added: no room (gmail, 5 minutes ago)'],
  ]);

  const { send } = fakeBackground(status);
  render(<Popup send={send} openOptions={() => {}} />);
  const list = await screen.findByRole('list', { name: 'Self-test' });
  // The ✓/✗ marks are hidden from screen readers, which hear the state in words instead.
  expect(within(list).getAllByRole('listitem').map((li) => li.textContent?.split('Gmail tab')[0])).toContain('✓Gmail hook attached: OK');
  await waitFor(() => expect(within(list).getByText(/cannot be reached/)).toBeTruthy());
});
