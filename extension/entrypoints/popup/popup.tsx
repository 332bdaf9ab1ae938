// The toolbar popup: sign in or out, and the self-test that tells a person what is broken.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { HealthStatus, SendToBackground } from '../../messages.ts';
import { HealthList } from '../../pages/health-list.tsx';

export interface PopupProps {
  send: SendToBackground;
  openOptions(): void;
}

export function Popup({ send, openOptions }: PopupProps) {
  const [status, setStatus] = useState<HealthStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const refresh = useCallback(async (checkApi = true) => {
    try {
      const answer = await send({ type: 'crm:status', checkApi });
      if (!answer) throw new Error('no answer');
      setStatus(answer);
      setLoadError(null);
    } catch (err) {
      setLoadError(`The extension’s background did not answer (${err instanceof Error ? err.message : String(err)}). Reload the extension in chrome://extensions.`);
    }
  }, [send]);

  useEffect(() => {
    void refresh(false).then(() => refresh(true)); // show what is known at once, then check the API
  }, [refresh]);

  return (
    <main className="popup">
      <h1>
        <img src="/icon/32.png" width="20" height="20" alt="" /> Inbox CRM
      </h1>
      {loadError && <p className="banner error" role="alert">{loadError}</p>}
      {!status && !loadError && <p className="muted">Loading…</p>}
      {status && (
        <>
          {!status.apiPermission && <AccessRequest status={status} openOptions={openOptions} />}
          {status.signedIn && status.account ? (
            <SignedIn status={status} send={send} onDone={() => void refresh()} />
          ) : (
            <SignInForm status={status} send={send} onDone={() => void refresh()} />
          )}
          <h2 id="self-test">Self-test</h2>
          <HealthList status={status} />
          <div className="row">
            <button type="button" onClick={() => void refresh()}>Run again</button>
            <button type="button" onClick={openOptions}>Settings</button>
          </div>
        </>
      )}
    </main>
  );
}

/**
 * Chrome's permission prompt takes the focus, which closes a popup, so access is asked for on the
 * settings page (a tab) instead.
 */
function AccessRequest({ status, openOptions }: { status: HealthStatus; openOptions(): void }) {
  const origin = new URL(status.apiUrl).origin;
  return (
    <div className="banner warn">
      <p>Chrome needs your permission before the extension can reach the CRM at {origin}.</p>
      {/* Focused first: until access is allowed, signing in cannot work. */}
      <button type="button" onClick={openOptions} autoFocus>
        Open settings to allow it
      </button>
    </div>
  );
}

function SignedIn({ status, send, onDone }: { status: HealthStatus; send: SendToBackground; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const account = status.account!;
  return (
    <section aria-label="Account">
      <p>
        Signed in as <strong>{account.user.name || account.user.email}</strong>
        {account.user.name && <span className="muted"> ({account.user.email})</span>}
      </p>
      <p className="muted">
        {account.organization.name} · {account.role}
      </p>
      <div className="row">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void send({ type: 'crm:sign-out' }).finally(() => {
              setBusy(false);
              onDone();
            });
          }}
        >
          {busy ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </section>
  );
}

function SignInForm({ status, send, onDone }: { status: HealthStatus; send: SendToBackground; onDone(): void }) {
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();
  const [email, setEmail] = useState(status.account?.user.email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await send({ type: 'crm:sign-in', email: email.trim(), password });
      if (!answer) throw new Error('The extension did not answer');
      if (!answer.ok) {
        setError(answer.message);
        return;
      }
      setPassword('');
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
      {status.sessionExpired && <p className="banner warn">Your session ended. Sign in again.</p>}
      <p className="muted">Sign in to your CRM at {status.apiUrl}</p>
      <label htmlFor={emailId}>Email</label>
      <input
        id={emailId}
        type="email"
        autoComplete="username"
        required
        autoFocus={status.apiPermission}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        aria-describedby={error ? errorId : undefined}
      />
      <label htmlFor={passwordId}>Password</label>
      <input
        id={passwordId}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
