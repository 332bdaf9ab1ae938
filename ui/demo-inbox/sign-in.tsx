// Signing in on the demo page: the first screen's card, its form, and the dialog the sidebar's
// "Sign in" opens when the session has ended.
import { useId, useState, type FormEvent } from 'react';
import { signIn, type DemoSession, type PageFetchOptions } from './session.ts';

/** The seeded demo user (db/demo-data.ts demoCredentials), prefilled so a newcomer just presses Sign in. */
export const demoSignIn = { email: 'rep1@demo.test', password: 'demo-password' };

/** Where to sign in, and who is prefilled (demoSignIn unless set). */
export type SignInDeps = PageFetchOptions & { signInAs?: { email: string; password: string } };

export function SignInCard({ deps, notice, onSignedIn }: { deps: SignInDeps; notice?: string; onSignedIn: (s: DemoSession) => void }) {
  const headingId = useId();
  return (
    <section className="demo-card demo-sign-in" aria-labelledby={headingId}>
      <h1 id={headingId}>Demo inbox</h1>
      <p>A sample mailbox with the CRM sidebar beside it. Sign in as a demo user; the threads are built from that user’s contacts and deals. Nothing is sent anywhere.</p>
      {notice && <p className="demo-notice" role="status">{notice}</p>}
      <SignInForm deps={deps} initialEmail={(deps.signInAs ?? demoSignIn).email} initialPassword={(deps.signInAs ?? demoSignIn).password} onSignedIn={onSignedIn} />
      <p className="demo-muted demo-small">
        Other demo users: rep2@demo.test, manager@demo.test, admin@demo.test (password demo-password). <a href="/api/v1/docs">API reference</a>
      </p>
    </section>
  );
}

function SignInForm({
  deps,
  initialEmail,
  initialPassword = '',
  onSignedIn,
  onCancel,
}: {
  deps: SignInDeps;
  initialEmail: string;
  initialPassword?: string;
  onSignedIn: (s: DemoSession) => void;
  onCancel?: () => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState(initialPassword);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Signing in again: the address is known, the password is what is missing.
  const askPassword = initialEmail !== '' && initialPassword === '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(deps, email.trim(), password));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <form className="demo-form" data-testid="sign-in-form" onSubmit={(e) => void submit(e)}>
      <label>
        Email
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus={!askPassword} />
      </label>
      <label>
        Password
        <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} autoFocus={askPassword} />
      </label>
      {error && (
        <p className="demo-error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <div className="demo-actions">
        <button type="submit" className="demo-button demo-primary" data-testid="sign-in-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {onCancel && (
          <button type="button" className="demo-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function SignInDialog({ deps, email, onSignedIn, onCancel }: { deps: SignInDeps; email: string; onSignedIn: (s: DemoSession) => void; onCancel: () => void }) {
  const headingId = useId();
  return (
    <div className="demo-backdrop">
      <section
        className="demo-card demo-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        data-testid="sign-in-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      >
        <h2 id={headingId}>Sign in again</h2>
        <p className="demo-muted">Your session has ended. Sign in to keep using the sidebar.</p>
        <SignInForm deps={deps} initialEmail={email} onSignedIn={onSignedIn} onCancel={onCancel} />
      </section>
    </div>
  );
}
