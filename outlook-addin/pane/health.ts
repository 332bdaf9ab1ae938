// The pane's self-test, the same lines as the Chrome popup's (signed in, CRM reachable, the host
// ready, the last error), with Outlook's own: which client this is and, per feature, whether its
// Mailbox requirement set is there and what happens without it.
import { outlookFeatureRequirements } from '../../core/outlook/addin.ts';
import type { AddinNote } from '../office/addin-storage.ts';
import { supports, type OfficeApi } from '../office/office-api.ts';
import type { ApiCheck } from './session.ts';

export type CheckState = 'ok' | 'bad' | 'unknown';

export interface HealthCheck {
  label: string;
  state: CheckState;
  detail: string;
}

export interface HealthInput {
  office: OfficeApi;
  signedInAs: string | null;
  /** The session was refused by the API (expired or signed out elsewhere). */
  sessionEnded: boolean;
  api: ApiCheck | null;
  baseUrl: string;
  lastError: AddinNote | null;
  lastSend: AddinNote | null;
}

function client(office: OfficeApi): string {
  const d = office.context.diagnostics;
  if (!d) return 'Outlook';
  const platform: Record<string, string> = { OfficeOnline: 'on the web', PC: 'on Windows', Mac: 'on Mac', iOS: 'on iOS', Android: 'on Android', Universal: '(new) on Windows' };
  return `Outlook ${platform[String(d.platform)] ?? String(d.platform ?? '')} ${d.version ?? ''}`.replace(/\s+/g, ' ').trim();
}

export function healthChecks(input: HealthInput): HealthCheck[] {
  const { office, api } = input;
  const sets = outlookFeatureRequirements.map((f) => ({ ...f, ok: supports(office, f.set) }));
  const missing = sets.filter((s) => !s.ok);
  return [
    {
      label: 'Signed in',
      state: input.signedInAs ? 'ok' : 'bad',
      detail: input.signedInAs ? `as ${input.signedInAs}` : input.sessionEnded ? 'Your session ended. Sign in again above.' : 'Sign in above.',
    },
    {
      label: 'CRM reachable',
      state: api ? (api.reachable ? 'ok' : 'bad') : 'unknown',
      detail: api ? (api.reachable ? `${input.baseUrl} answered` : (api.message ?? `${input.baseUrl} did not answer`)) : 'Checking…',
    },
    {
      label: 'Outlook ready',
      state: supports(office, '1.5') ? 'ok' : 'bad',
      detail: supports(office, '1.5')
        ? `${client(office)}; Mailbox ${[...new Set(sets.filter((s) => s.ok).map((s) => s.set))].sort((x, y) => Number(x.split('.')[1]) - Number(y.split('.')[1])).join(', ')} supported`
        : `${client(office)} lacks Mailbox 1.5, which the add-in needs`,
    },
    ...sets.map(
      (s): HealthCheck => ({
        label: s.feature,
        state: s.ok ? 'ok' : 'bad',
        detail: s.ok ? `Mailbox ${s.set}: supported` : `needs Mailbox ${s.set}, which this Outlook lacks: ${s.without}`,
      }),
    ),
    {
      label: 'Last send',
      state: input.lastSend ? 'bad' : 'ok',
      detail: input.lastSend ? `${input.lastSend.subject ? `“${input.lastSend.subject}”: ` : ''}${input.lastSend.text} (${input.lastSend.at})` : missing.some((m) => m.set === '1.12') ? 'Sends are not checked here.' : 'No untracked send to report.',
    },
    {
      label: 'Last error',
      state: input.lastError ? 'bad' : 'ok',
      detail: input.lastError ? `${input.lastError.text} (${input.lastError.source}, ${input.lastError.at})` : 'None',
    },
  ];
}
