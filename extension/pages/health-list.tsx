// The popup's self-test: one line per thing that can break, each saying what to do about it.
import type { HealthStatus } from '../messages.ts';
import { timeAgo } from './time.ts';

type State = 'ok' | 'bad' | 'unknown';
interface Check {
  label: string;
  state: State;
  detail: string;
}

const word: Record<State, string> = { ok: 'OK', bad: 'Problem', unknown: 'Not known yet' };
const mark: Record<State, string> = { ok: '✓', bad: '✗', unknown: '–' };

export function healthChecks(status: HealthStatus, now = Date.now()): Check[] {
  const { api, gmail, lastError } = status;
  const ago = (iso: string) => timeAgo(iso, now);
  return [
    {
      label: 'Signed in',
      state: status.signedIn ? 'ok' : 'bad',
      detail: status.signedIn
        ? `as ${status.account?.user.email ?? 'unknown'}`
        : status.sessionExpired
          ? 'Your session ended. Sign in again above.'
          : 'Sign in above.',
    },
    {
      label: 'CRM reachable',
      state: !status.apiPermission ? 'bad' : api ? (api.reachable ? 'ok' : 'bad') : 'unknown',
      detail: !status.apiPermission
        ? `Chrome has not allowed the extension to reach ${status.apiUrl} yet.`
        : api
          ? api.reachable
            ? `${status.apiUrl} answered ${ago(api.checkedAt)}`
            : (api.message ?? `${status.apiUrl} did not answer`)
          : 'Checking…',
    },
    {
      label: 'Gmail hook attached',
      state: gmail.hookAttachedAt ? 'ok' : gmail.reportedAt ? 'bad' : 'unknown',
      detail: gmail.hookAttachedAt
        ? `Gmail tab reported ${ago(gmail.hookAttachedAt)}`
        : gmail.reportedAt
          ? 'The last Gmail tab could not attach. See the last error.'
          : 'No Gmail tab has reported yet: open or reload Gmail.',
    },
    {
      label: 'Sidebar mounted',
      state: gmail.sidebarMountedAt ? 'ok' : gmail.hookAttachedAt ? 'bad' : 'unknown',
      detail: gmail.sidebarMountedAt
        ? `shown in Gmail ${ago(gmail.sidebarMountedAt)}`
        : gmail.hookAttachedAt
          ? 'Gmail did not show the side panel. Reload Gmail.'
          : 'Waits for the Gmail hook.',
    },
    {
      label: 'Last error',
      state: lastError ? 'bad' : 'ok',
      detail: lastError ? `${lastError.message} (${lastError.source}, ${ago(lastError.at)})` : 'None',
    },
  ];
}

export function HealthList({ status, now }: { status: HealthStatus; now?: number }) {
  return (
    <ul className="health" aria-label="Self-test">
      {healthChecks(status, now).map((check) => (
        <li key={check.label} className={check.state}>
          <span className="mark" aria-hidden="true">{mark[check.state]}</span>
          <span>
            {check.label}
            <span className="visually-hidden">: {word[check.state]}</span>
          </span>
          <span className="detail">{check.detail}</span>
        </li>
      ))}
    </ul>
  );
}
