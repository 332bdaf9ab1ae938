// The read-mode task pane: sign in against the API, then ui/sidebar for the selected message through
// the Office.js host adapter (office-inbox-host.ts), a clear notice when no message is selected, and
// the self-test. Pinned, it stays open and follows the selection (ItemChanged).
//
// The token lives in the add-in origin's localStorage (addin-storage.ts), where the on-send check
// (launchevent.html, same origin and partition) finds it too. A token the API refuses (expired,
// signed out elsewhere) brings the sign-in form back with a sentence saying why.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../ui/api-client/api-error.ts';
import { call, createApiClient } from '../../ui/api-client/api-client.ts';
import type { Session } from '../../ui/api-client/api-types.ts';
import { createSidebarApi } from '../../ui/api-client/sidebar-api.ts';
import type { KeyValueStore } from '../../ui/sidebar/cache.ts';
import { mountSidebar } from '../../ui/sidebar/mount.tsx';
import { clearSession, noteStorageSuffix, readNote, readSession, recordNote, saveSession, type AddinNote, type TextStore } from '../office/addin-storage.ts';
import { describeError, type OfficeApi } from '../office/office-api.ts';
import { createOfficeInboxHost, type OfficeInboxHost, type OwnMessage, type Selection } from '../office/office-inbox-host.ts';
import { healthChecks, type CheckState } from './health.ts';
import { checkApi, signIn, signOut, type ApiAccess, type ApiCheck } from './session.ts';

export interface TaskPaneDeps extends ApiAccess {
  office: OfficeApi;
  /** The add-in origin's storage (partitioned localStorage; memory if blocked). */
  store: TextStore;
  /** The sidebar's cache and outbox for this user (IndexedDB in the page). */
  createCache(userEmail: string): KeyValueStore;
  now?: () => Date;
}

const ENDED = 'Your session has ended. Sign in again.';

// The send check lets an email go untracked rather than hold it, and its compose form closes as the
// mail leaves, so its info bar is gone before the rep can read it: the pane says it until dismissed.
const SEEN_SEND_KEY = 'send-note-seen';

/** The send check's last "sent without tracking" note, until the rep dismisses it; follows new notes. */
function useUnseenSendNote(deps: TaskPaneDeps) {
  const read = useCallback(() => {
    const note = readNote('send', deps.store, deps.office);
    return note && note.at > (deps.store.get(SEEN_SEND_KEY) ?? '') ? note : null;
  }, [deps]);
  const [note, setNote] = useState<AddinNote | null>(read);
  useEffect(() => {
    const again = () => setNote(read());
    // The send page shares this origin's storage (web, new Outlook, Mac): its note arrives as an event.
    const onStorage = (e: StorageEvent) => {
      if (e.key === null || e.key.endsWith(noteStorageSuffix('send'))) again();
    };
    const onVisible = () => document.visibilityState === 'visible' && again();
    window.addEventListener('storage', onStorage);
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [read]);
  const dismiss = useCallback(() => {
    if (note) deps.store.set(SEEN_SEND_KEY, note.at);
    setNote(null);
  }, [deps, note]);
  return { note, dismiss, recheck: () => setNote(read()) };
}

export function TaskPane({ deps }: { deps: TaskPaneDeps }) {
  const [session, setSession] = useState<Session | null>(() => readSession(deps.store));
  const [notice, setNotice] = useState<string | null>(null);
  const [api, setApi] = useState<ApiCheck | null>(null);
  const [showHealth, setShowHealth] = useState(false);
  const [lastError, setLastError] = useState<AddinNote | null>(() => readNote('error', deps.store, deps.office));
  const untracked = useUnseenSendNote(deps);
  const now = deps.now ?? (() => new Date());

  const noteError = useCallback(
    (err: unknown, source: AddinNote['source'] = 'office') => {
      const note: AddinNote = { text: describeError(err), source, at: new Date().toISOString() };
      setLastError(note);
      void recordNote('error', note, deps.store, deps.office);
    },
    [deps],
  );

  const ended = useCallback(() => {
    clearSession(deps.store);
    setSession(null);
    setNotice(ENDED);
  }, [deps]);

  // The API's answer to the stored token: a refused one means signing in again now, not a broken sidebar.
  const runCheck = useCallback(async () => {
    const token = readSession(deps.store)?.token ?? null;
    const result = await checkApi(deps, token, now);
    setApi(result);
    if (token && result.reachable && !result.sessionValid) ended();
    setLastError(readNote('error', deps.store, deps.office));
    untracked.recheck();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deps, ended]);
  useEffect(() => void runCheck(), [runCheck]);

  const signedIn = useCallback(
    (s: Session) => {
      saveSession(deps.store, s);
      setNotice(null);
      setSession(s);
      void runCheck();
    },
    [deps, runCheck],
  );

  const signedOut = useCallback(async () => {
    const token = session?.token;
    clearSession(deps.store);
    setSession(null);
    setNotice(null);
    if (token) await signOut(deps, token);
  }, [deps, session]);

  return (
    <div className="pane" data-testid="outlook-pane" data-state={session ? 'signed-in' : 'signed-out'}>
      <header className="pane-bar">
        <img src="icons/icon-32.png" width="18" height="18" alt="" />
        <strong>Inbox CRM</strong>
        <span className="pane-spacer" />
        <button type="button" className="pane-link" aria-expanded={showHealth} onClick={() => (setShowHealth((v) => !v), void runCheck())}>
          Self-test
        </button>
        {session && (
          <button type="button" className="pane-link" onClick={() => void signedOut()}>
            Sign out
          </button>
        )}
      </header>
      {showHealth && (
        <HealthPanel
          checks={healthChecks({
            office: deps.office,
            signedInAs: session?.user.email ?? null,
            sessionEnded: notice === ENDED,
            api,
            baseUrl: deps.baseUrl,
            lastError,
            lastSend: readNote('send', deps.store, deps.office),
          })}
          onRunAgain={() => void runCheck()}
        />
      )}
      {untracked.note && (
        <section className="pane-notice pane-send-notice" role="status" data-testid="untracked-send">
          <span>
            {untracked.note.subject && <strong className="pane-send-subject">“{untracked.note.subject}”</strong>}
            {untracked.note.text} <span className="pane-muted">({formatNoteTime(untracked.note.at)})</span>
          </span>
          <button type="button" className="pane-link" onClick={untracked.dismiss}>
            Dismiss
          </button>
        </section>
      )}
      {session ? (
        <SignedInPane key={session.user.email.toLowerCase()} deps={deps} session={session} onEnded={ended} onError={noteError} />
      ) : (
        <SignInForm deps={deps} notice={notice} onSignedIn={signedIn} />
      )}
    </div>
  );
}

function SignedInPane({ deps, session, onEnded, onError }: { deps: TaskPaneDeps; session: Session; onEnded(): void; onError(err: unknown, source?: AddinNote['source']): void }) {
  const token = useRef(session.token);
  const ref = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<Selection>('none');
  const api = useMemo(() => createSidebarApi({ baseUrl: deps.baseUrl, fetch: deps.fetch, getToken: () => token.current, credentials: 'omit' }), [deps]);
  const client = useMemo(() => createApiClient({ baseUrl: deps.baseUrl, fetch: deps.fetch, getToken: () => token.current, credentials: 'omit', timeoutMs: 3000 }), [deps]);
  const host = useMemo<OfficeInboxHost>(
    () =>
      createOfficeInboxHost(deps.office, {
        onError: (err) => onError(err, 'office'),
        // The rep's own sent copy: the pixels in it tie a message tracked from Outlook (sent with no
        // Message-ID yet) to this copy's Message-ID, and count as the rep looking at it.
        onOwnMessage: async (own: OwnMessage) => {
          if (own.pixelUrls.length === 0) return false;
          const tied = await call(client.POST('/tracking/sent-copies', { body: { pixelUrls: own.pixelUrls, messageId: own.messageId, threadId: own.threadId, sentAt: own.sentAt } }));
          return tied.data.length > 0;
        },
      }),
    [deps, client, onError],
  );
  const store = useMemo(() => deps.createCache(session.user.email), [deps, session]);

  useEffect(() => {
    const stop = host.onSelectionChange(setSelection);
    void host.refresh().catch((err) => onError(err));
    setSelection(host.selection);
    return () => {
      stop();
      host.destroy();
    };
  }, [host, onError]);

  useEffect(() => {
    const unmount = mountSidebar(ref.current!, {
      host,
      api,
      store,
      // The sidebar asks for this when the API refuses the token: back to the sign-in form.
      onSignIn: () => {
        onEnded();
        return Promise.resolve();
      },
    });
    // Unmounting another React root while this one commits is not allowed: do it just after.
    return () => void setTimeout(unmount, 0);
  }, [host, api, store, onEnded]);

  return (
    <>
      {selection !== 'message' && (
        <section className="pane-empty" data-testid="pane-empty" role="status">
          {selection === 'none' && (
            <>
              <h2>No message selected</h2>
              <p>Select an email in Outlook to see its people, company, open deals and tasks. Pin this pane to keep it open as you move between messages.</p>
            </>
          )}
          {selection === 'compose' && <p>This pane follows the message you read. For tracking this email, use Inbox CRM’s Tracking button in the compose window.</p>}
          {selection === 'other' && <p>Inbox CRM works with email messages; this item is not one.</p>}
        </section>
      )}
      <div ref={ref} className="pane-sidebar" hidden={selection !== 'message'} data-testid="pane-sidebar" />
    </>
  );
}

export function SignInForm({ deps, notice, onSignedIn }: { deps: ApiAccess; notice: string | null; onSignedIn(session: Session): void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(deps, email.trim(), password));
    } catch (err) {
      if (isApiError(err) && err.code === 'UNAUTHENTICATED') setError('That email and password do not match an account.');
      else if (isApiError(err) && err.code === 'OFFLINE') setError(`The CRM at ${deps.baseUrl} did not answer. Check your connection, then try again.`);
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pane-card" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} data-testid="sign-in">
      <h1 id={`${id}-h`}>Sign in to Inbox CRM</h1>
      <p className="pane-muted">Your CRM beside every email: the people, their company, open deals and tasks.</p>
      {notice && (
        <p className="pane-notice" role="status">
          {notice}
        </p>
      )}
      <label htmlFor={`${id}-email`}>Email</label>
      <input id={`${id}-email`} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor={`${id}-password`}>Password</label>
      <input id={`${id}-password`} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      {error && (
        <p className="pane-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="pane-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

const formatNoteTime = (iso: string) => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

const mark: Record<CheckState, string> = { ok: '✓', bad: '✗', unknown: '–' };

function HealthPanel({ checks, onRunAgain }: { checks: ReturnType<typeof healthChecks>; onRunAgain(): void }) {
  return (
    <section className="pane-health" aria-label="Self-test" data-testid="self-test">
      <ul>
        {checks.map((c) => (
          <li key={c.label} data-state={c.state}>
            <span className="pane-mark" aria-label={c.state}>
              {mark[c.state]}
            </span>
            <span>
              <strong>{c.label}</strong> <span className="pane-muted">{c.detail}</span>
            </span>
          </li>
        ))}
      </ul>
      <button type="button" className="pane-link" onClick={onRunAgain}>
        Run again
      </button>
    </section>
  );
}

/**
 * Shown instead of a blank page when the pane is opened outside Outlook (or office.js did not load),
 * with where to get the manifest, or why it cannot be had yet (manifestProblem: the API's reason).
 */
export function OutsideOutlook({ reason, manifestUrl, manifestProblem }: { reason: 'no-office-js' | 'not-outlook' | 'no-answer'; manifestUrl: string; manifestProblem?: string | null }) {
  return (
    <main className="pane-card" data-testid="outside-outlook">
      <h1>Inbox CRM for Outlook</h1>
      {reason === 'no-office-js' ? (
        <p>Office’s script (office.js, from Microsoft’s CDN) could not be loaded. Check the connection, then reload.</p>
      ) : (
        <p>This page is the Inbox CRM add-in’s pane: it works inside Outlook, beside an email. Open it from the Inbox CRM button in Outlook.</p>
      )}
      {manifestProblem ? (
        <p className="pane-notice" role="alert" data-testid="manifest-problem">
          The add-in cannot be installed from this address yet. {manifestProblem}
        </p>
      ) : (
        <p>
          To install the add-in, add it to Outlook from this manifest: <a href={manifestUrl}>{manifestUrl}</a> (see the add-in’s README for Outlook on the web, Windows and Mac).
        </p>
      )}
    </main>
  );
}
