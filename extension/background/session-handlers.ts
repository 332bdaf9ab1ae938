// The session, as the popup and the options page drive it: signing in (the token stays here, in
// storage.local), signing out, pointing the extension at another API (which ends the session: a
// token is only good for the API that issued it), and the self-test's status.
import { call } from '../../ui/api-client/api-client.ts';
import { asApiError } from '../../ui/api-client/api-error.ts';
import type { Me, Session as SessionAnswer } from '../../ui/api-client/api-types.ts';
import { checkApiUrl, permissionPatternFor } from '../api-url.ts';
import type { Account, CrmAnswers, HealthStatus, SignInAnswer, TabMessage } from '../messages.ts';
import type { ApiAccess } from './api-access.ts';
import type { HealthRecord } from './health.ts';
import type { OpenNotifier } from './open-notifications.ts';
import { sessionItem, settingsItem, type Health, type StorageAreaLike } from './stored.ts';

export interface SessionHandlerDeps {
  storage: StorageAreaLike;
  access: ApiAccess;
  health: HealthRecord;
  openNotifier: OpenNotifier;
  hasPermission(pattern: string): Promise<boolean>;
  /** Tells the Gmail tabs, e.g. that the session changed. */
  notifyTabs(message: TabMessage): Promise<void>;
  /** Whether storage.local.setAccessLevel('TRUSTED_CONTEXTS') succeeded. */
  storageTrustedOnly(): boolean;
  now: () => string;
}

/** Who is signed in, as the popup shows it and the sidebar's store is keyed (nothing else of the answer is kept). */
const accountOf = ({ user, organization, role }: SessionAnswer | Me): Account => ({
  user: { id: user.id, name: user.name, email: user.email },
  organization: { id: organization.id, name: organization.name },
  role,
});

export function createSessionHandlers(deps: SessionHandlerDeps) {
  const { storage, access, health, openNotifier } = deps;

  async function signIn(email: string, password: string): Promise<SignInAnswer> {
    let answer: SessionAnswer;
    try {
      answer = await call((await access.client({ public: true })).POST('/session', { body: { email, password } }));
    } catch (err) {
      const error = asApiError(err);
      return { ok: false, code: error.code, message: error.code === 'BAD_RESPONSE' ? 'The CRM answered the sign-in in a way the extension cannot read' : error.message };
    }
    if (typeof answer?.token !== 'string' || !answer.token || !answer.user?.id) return { ok: false, code: 'BAD_RESPONSE', message: 'The CRM answered the sign-in in a way the extension cannot read' };
    const account = accountOf(answer);
    await sessionItem.set(storage, { token: answer.token, account, signedInAt: deps.now() });
    await health.update((h) => ({ ...h, lastError: null }));
    await openNotifier.sessionChanged(true).catch((err: unknown) => health.recordError('extension', `Polling for opens did not start: ${String(err)}`));
    await deps.notifyTabs({ type: 'crm:session-changed', signedIn: true }).catch(() => undefined);
    return { ok: true, account };
  }

  async function signOut(): Promise<{ ok: true }> {
    const session = await sessionItem.get(storage);
    if (session?.token) {
      // Best effort: the token is forgotten here whether or not the API hears about it.
      const token = session.token;
      await (await access.client({ public: true })).DELETE('/session', { headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
      await access.endSession(session, 'sign-out');
    }
    await openNotifier.sessionChanged(false).catch(() => undefined);
    await deps.notifyTabs({ type: 'crm:session-changed', signedIn: false }).catch(() => undefined);
    return { ok: true };
  }

  /** Asks GET /me with the token if there is one: any answer but a gateway's means the API is reachable. */
  async function checkApi(): Promise<Health['api']> {
    const session = await sessionItem.get(storage);
    const base = await access.apiUrl();
    try {
      const client = await access.client({ public: true });
      const { data, response } = await client.GET('/me', { headers: session?.token ? { Authorization: `Bearer ${session.token}` } : {} });
      const code = response.status;
      // A gateway that cannot reach the API answers 502–504: for the rep that is "down".
      const reachable = code < 502 || code > 504;
      if (session?.token && code === 200 && data?.user) await sessionItem.set(storage, { ...session, account: accountOf(data) });
      if (session?.token && code === 401) await access.endSession(session, 'expired');
      return { reachable, status: code, checkedAt: deps.now(), ...(reachable ? {} : { message: `${base} answered ${code}` }) };
    } catch (err) {
      return { reachable: false, message: asApiError(err).message, checkedAt: deps.now() };
    }
  }

  async function status(withApiCheck: boolean): Promise<HealthStatus> {
    const base = await access.apiUrl();
    const apiPermission = await deps.hasPermission(permissionPatternFor(new URL(base).origin)).catch(() => false);
    if (withApiCheck) {
      const api = await checkApi();
      await health.update((h) => ({ ...h, api }));
    }
    const [session, h] = await Promise.all([sessionItem.get(storage), health.read()]);
    return {
      apiUrl: base,
      apiPermission,
      signedIn: Boolean(session?.token),
      account: session?.account ?? null,
      sessionExpired: session?.endedBy === 'expired',
      api: h.api,
      gmail: h.gmail,
      lastError: h.lastError,
      storageTrustedOnly: deps.storageTrustedOnly(),
    };
  }

  async function setApiUrl(input: string): Promise<CrmAnswers['crm:set-api-url']> {
    const checked = checkApiUrl(input);
    if (!checked.ok) return checked;
    const previous = await access.apiUrl();
    await settingsItem.set(storage, { apiUrl: checked.apiUrl });
    if (previous !== checked.apiUrl) {
      // A token is only good for the API that issued it.
      const session = await sessionItem.get(storage);
      if (session?.token) {
        await access.endSession(session, 'sign-out');
        await openNotifier.sessionChanged(false).catch(() => undefined);
      }
      await health.update((h) => ({ ...h, api: null }));
    }
    return { ok: true, apiUrl: checked.apiUrl };
  }

  return { signIn, signOut, status, setApiUrl };
}
