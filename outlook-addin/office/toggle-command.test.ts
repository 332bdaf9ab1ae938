// The compose command "Track on/off": flips this email's choice where the send check reads it, from
// the rep's default the first time, says the result in the info bar, and says what this Outlook lacks.
import { describe, expect, it } from 'vitest';
import { composeSessionKeys } from '../../core/outlook/addin.ts';
import { memoryTextStore, saveSession } from './addin-storage.ts';
import { FakeOffice } from './fake-office.ts';
import { toggleTracking } from './toggle-command.ts';

function setup(options: { sets?: string[]; signedIn?: boolean; trackByDefault?: boolean | null } = {}) {
  const office = new FakeOffice({ userEmail: 'robin@seller.test', ...(options.sets ? { sets: options.sets } : {}) });
  office.compose({ to: ['ann@acme.test'], bodyHtml: '<p>Hi</p>' });
  const store = memoryTextStore();
  if (options.signedIn !== false) saveSession(store, { token: 't1', user: { id: 'u1', email: 'robin@seller.test', name: 'Robin' } } as Parameters<typeof saveSession>[1]);
  let completed = 0;
  const run = () =>
    toggleTracking({ completed: () => void completed++ }, { office, store, trackByDefault: async () => options.trackByDefault ?? false });
  return { office, run, completions: () => completed };
}

describe('the Track on/off command', () => {
  it.each([
    [false, 'on', 'Open and click tracking is on for this email.'],
    [true, 'off', 'Tracking is off for this email.'],
  ] as const)('with trackByDefault %s, the first press makes it %s', async (trackByDefault, expected, said) => {
    const { office, run, completions } = setup({ trackByDefault });
    expect(await run()).toBe(expected);
    expect(office.sessionData.get(composeSessionKeys.tracking)).toBe(expected);
    expect([...office.notifications.values()]).toEqual([said]);
    expect(completions()).toBe(1);
  });

  it('flips the choice on each press', async () => {
    const { office, run } = setup();
    expect(await run()).toBe('on');
    expect(await run()).toBe('off');
    expect(await run()).toBe('on');
    expect(office.sessionData.get(composeSessionKeys.tracking)).toBe('on');
  });

  it('signed out: turns it on but says the mail will go untracked unless the rep signs in', async () => {
    const { office, run } = setup({ signedIn: false });
    expect(await run()).toBe('on');
    expect([...office.notifications.values()][0]).toMatch(/signed out: sign in to Inbox CRM in its Outlook pane/);
  });

  it('without item session data (Mailbox 1.11) keeps nothing and says the default applies', async () => {
    const { office, run, completions } = setup({ sets: ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10'] });
    expect(await run()).toBeNull();
    expect(office.sessionData.size).toBe(0);
    expect([...office.notifications.values()][0]).toMatch(/needs Mailbox 1.11/);
    expect(completions()).toBe(1);
  });

  it('completes the command even when Outlook fails to keep the choice', async () => {
    const { office, run, completions } = setup();
    office.failures.set('sessionData.setAsync', 'fail');
    expect(await run()).toBeNull();
    expect([...office.notifications.values()].at(-1)).toMatch(/^Tracking could not be changed/);
    expect(completions()).toBe(1);
  });
});
