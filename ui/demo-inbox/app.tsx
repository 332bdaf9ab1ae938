// The demo inbox page: sign in against the API (sign-in.tsx), then the mailbox (mailbox-page.tsx): a
// small mail client with the real sidebar on the right, fed through a demo InboxHost. This file
// holds the page's phases: signed out, loading the mailbox's directory, ready, failed.
import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../api-client/api-error.ts';
import type { KeyValueStore } from '../sidebar/cache.ts';
import { loadDirectory, type MailboxDirectory } from './directory.ts';
import { Mailbox } from './mailbox-page.tsx';
import { clearSession, createPageClient, readCachedDirectory, readSession, saveCachedDirectory, saveSession, signOut, type DemoSession } from './session.ts';
import { SignInCard } from './sign-in.tsx';

export interface DemoInboxDeps {
  /** The API origin; the page is served by the API, so location.origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Where the session token lives (sessionStorage in the page). */
  storage: Storage;
  /** The sidebar's local store for this user (IndexedDB in the page). */
  createStore: (userEmail: string) => KeyValueStore;
  now?: () => Date;
  /** Prefilled in the sign-in form; demoSignIn by default. */
  signInAs?: { email: string; password: string };
  /** Opens the recipient's copy of a tracked message (a new tab in the page). */
  openWindow?: (url: string) => void;
  notificationPollMs?: number;
  trackingRefreshMs?: number;
}

type Phase =
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'loading'; session: DemoSession }
  | { kind: 'ready'; session: DemoSession; directory: MailboxDirectory; stale: boolean }
  | { kind: 'failed'; session: DemoSession; message: string };

async function loadMailbox(deps: DemoInboxDeps, session: DemoSession): Promise<Phase> {
  try {
    const directory = await loadDirectory(createPageClient({ baseUrl: deps.baseUrl, fetch: deps.fetch, getToken: () => session.token }));
    saveCachedDirectory(deps.storage, directory);
    return { kind: 'ready', session, directory, stale: false };
  } catch (err) {
    if (isApiError(err) && err.code === 'UNAUTHENTICATED') {
      clearSession(deps.storage);
      return { kind: 'signed-out', notice: 'Your session has ended. Sign in again.' };
    }
    const cached = readCachedDirectory(deps.storage, session.user.email);
    if (cached && isApiError(err) && err.code === 'OFFLINE') return { kind: 'ready', session, directory: cached, stale: true };
    return { kind: 'failed', session, message: err instanceof Error ? err.message : String(err) };
  }
}

export function DemoInbox({ deps }: { deps: DemoInboxDeps }) {
  const [phase, setPhase] = useState<Phase>(() => {
    const session = readSession(deps.storage);
    return session ? { kind: 'loading', session } : { kind: 'signed-out' };
  });

  useEffect(() => {
    if (phase.kind !== 'loading') return;
    let cancelled = false;
    void loadMailbox(deps, phase.session).then((next) => {
      if (!cancelled) setPhase(next);
    });
    return () => {
      cancelled = true;
    };
  }, [deps, phase]);

  const signedIn = useCallback(
    (session: DemoSession) => {
      saveSession(deps.storage, session);
      setPhase({ kind: 'loading', session });
    },
    [deps],
  );

  const signedOut = useCallback(async () => {
    const session = readSession(deps.storage);
    clearSession(deps.storage);
    setPhase({ kind: 'signed-out' });
    if (session) await signOut(deps, session.token);
  }, [deps]);

  return (
    <div className="demo-app" data-testid="demo-inbox" data-state={phase.kind}>
      {phase.kind === 'signed-out' && (
        <main className="demo-welcome">
          <SignInCard deps={deps} notice={phase.notice} onSignedIn={signedIn} />
        </main>
      )}
      {phase.kind === 'loading' && (
        <main className="demo-welcome">
          <p className="demo-muted" role="status">Loading your mailbox…</p>
        </main>
      )}
      {phase.kind === 'failed' && (
        <main className="demo-welcome">
          <section className="demo-card" role="alert">
            <h1>The mailbox could not be loaded</h1>
            <p>{phase.message}</p>
            <div className="demo-actions">
              <button type="button" className="demo-button demo-primary" onClick={() => setPhase({ kind: 'loading', session: phase.session })}>Try again</button>
              <button type="button" className="demo-button" onClick={() => void signedOut()}>Sign out</button>
            </div>
          </section>
        </main>
      )}
      {phase.kind === 'ready' && (
        <Mailbox
          key={phase.session.user.email.toLowerCase()}
          deps={deps}
          session={phase.session}
          directory={phase.directory}
          stale={phase.stale}
          onSignOut={() => void signedOut()}
          onOtherUser={signedIn}
        />
      )}
    </div>
  );
}
