// @vitest-environment happy-dom
// The compose pane: the same switch and sentence as the demo inbox's compose box, its choice kept in
// the item's session data for the on-send check; a choice made before (the command) is shown; what
// this Outlook lacks is said; signed out, it asks to sign in.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { composeSessionKeys } from '../../core/outlook/addin.ts';
import { createFakeApi, PASSWORD } from '../../ui/demo-inbox/test-api.ts';
import { rep } from '../../ui/sidebar/test-fakes.ts';
import { memoryTextStore, saveSession } from '../office/addin-storage.ts';
import { FakeOffice } from '../office/fake-office.ts';
import type { OfficeComposeItem } from '../office/office-api.ts';
import { ComposePane } from './compose-pane.tsx';

afterEach(() => cleanup());
const baseUrl = 'https://crm.example.com';

async function setup(options: { sets?: string[]; signedIn?: boolean; platform?: string } = {}) {
  const api = createFakeApi();
  const office = new FakeOffice({ userEmail: rep.email, ...(options.sets ? { sets: options.sets } : {}), ...(options.platform ? { platform: options.platform } : {}) });
  office.compose({ to: ['ann@acme.test'], subject: 'Pricing', bodyHtml: '<p>Hi</p>' });
  const store = memoryTextStore();
  if (options.signedIn !== false) {
    const session = await (await api.fetch(`${baseUrl}/api/v1/session`, { method: 'POST', body: JSON.stringify({ email: rep.email, password: PASSWORD }), headers: { 'content-type': 'application/json' } })).json();
    saveSession(store, session);
  }
  const item = office.context.mailbox.item as OfficeComposeItem;
  const show = () => render(<ComposePane deps={{ office, item, store, baseUrl, fetch: api.fetch }} />);
  return { office, show, api };
}

describe('the compose pane', () => {
  it('keeps the rep\'s switch in the item\'s session data, where the send check reads it', async () => {
    const { office, show } = await setup();
    show();
    const toggle = (await screen.findByTestId('track-toggle')) as HTMLInputElement;
    await waitFor(() => expect(office.sessionData.get(composeSessionKeys.tracking)).toBe(toggle.checked ? 'on' : 'off'));
    const before = toggle.checked;
    fireEvent.click(toggle);
    await waitFor(() => expect(office.sessionData.get(composeSessionKeys.tracking)).toBe(before ? 'off' : 'on'));
    expect(office.sessionData.has(composeSessionKeys.session)).toBe(false); // only classic Windows needs the session handed over
  });

  it('shows a choice made earlier with the Track on/off command', async () => {
    const { office, show } = await setup();
    // The rep tracks by default (the fake CRM's setting) but turned it off for this email.
    office.sessionData.set(composeSessionKeys.tracking, 'off');
    show();
    await screen.findByTestId('track-toggle');
    await waitFor(() => expect(((screen.getByTestId('track-toggle')) as HTMLInputElement).checked).toBe(false));
    await new Promise((r) => setTimeout(r, 50));
    expect(office.sessionData.get(composeSessionKeys.tracking)).toBe('off');
  });

  it('hands classic Outlook on Windows\' send check the session', async () => {
    const { office, show } = await setup({ platform: 'PC' });
    show();
    await waitFor(() => expect(office.sessionData.get(composeSessionKeys.session)).toBeTruthy());
  });

  it('says what an older Outlook cannot do', async () => {
    const { show } = await setup({ sets: ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10'] });
    show();
    expect(await screen.findByText(/cannot check sends \(Smart Alerts needs Mailbox 1.12\)/)).toBeTruthy();
    expect(screen.getByText(/cannot keep a choice per email \(Mailbox 1.11\)/)).toBeTruthy();
  });

  it('signed out: asks to sign in first', async () => {
    const { show } = await setup({ signedIn: false });
    show();
    expect(await screen.findByText('Sign in to track this email.')).toBeTruthy();
    expect(screen.queryByTestId('track-toggle')).toBeNull();
  });
});
