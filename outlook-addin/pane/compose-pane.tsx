// The compose task pane: the same tracking switch and sentence as the demo inbox's compose box
// (ui/compose/tracking-toggle.tsx, over ui/compose's flow and the Office compose host), whose choice
// is kept in the item's session data for the on-send check (send-handler.ts) that acts on it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Session } from '../../ui/api-client/api-types.ts';
import { createTrackingApi } from '../../ui/api-client/tracking-api.ts';
import { createComposeTracking, type ComposeSession } from '../../ui/compose/compose-tracking.ts';
import { TrackingToggle } from '../../ui/compose/tracking-toggle.tsx';
import { createApiTrackingPort } from '../../ui/compose/tracking-port.ts';
import { readSession, saveSession, type TextStore } from '../office/addin-storage.ts';
import { keepsChoice, readComposeChoice, writeComposeChoice } from '../office/compose-choice.ts';
import { supports, type OfficeApi, type OfficeComposeItem } from '../office/office-api.ts';
import { createOfficeComposeHost } from '../office/office-compose-host.ts';
import { SignInForm } from './task-pane.tsx';
import type { ApiAccess } from './session.ts';

export interface ComposePaneDeps extends ApiAccess {
  office: OfficeApi;
  item: OfficeComposeItem;
  store: TextStore;
}

export function ComposePane({ deps }: { deps: ComposePaneDeps }) {
  const [session, setSession] = useState<Session | null>(() => readSession(deps.store));
  return (
    <main className="compose-pane" data-testid="compose-pane">
      <h1>Tracking for this email</h1>
      {!supports(deps.office, '1.12') && (
        <p className="pane-notice" role="status">This Outlook cannot check sends (Smart Alerts needs Mailbox 1.12): email from it goes out untracked.</p>
      )}
      {!keepsChoice(deps.office, deps.item) && (
        <p className="pane-notice" role="status">This Outlook cannot keep a choice per email (Mailbox 1.11): sends follow your default.</p>
      )}
      {session ? (
        <Toggle deps={deps} session={session} />
      ) : (
        <SignInForm
          deps={deps}
          notice="Sign in to track this email."
          onSignedIn={(s) => {
            saveSession(deps.store, s);
            setSession(s);
          }}
        />
      )}
    </main>
  );
}

function Toggle({ deps, session }: { deps: ComposePaneDeps; session: Session }) {
  const [compose, setCompose] = useState<ComposeSession | null>(null);
  const written = useRef<string>('');
  const tracker = useMemo(
    () => createComposeTracking({ port: createApiTrackingPort(createTrackingApi({ baseUrl: deps.baseUrl, fetch: deps.fetch, getToken: () => session.token, credentials: 'omit' })) }),
    [deps, session],
  );

  useEffect(() => {
    const stop = tracker.start();
    const host = createOfficeComposeHost(deps.office, deps.item, { notify: () => undefined });
    const s = tracker.attach(host);
    let alive = true;
    // A choice made before (the command, or this pane opened earlier) wins over the default.
    const earlier = readComposeChoice(deps.office, deps.item);
    const unsubscribe = s.subscribe(() => {
      const state = s.getState();
      if (state.account.kind !== 'ready') return;
      void earlier.then((choice) => {
        if (!alive) return;
        if (choice.tracking && written.current === '' && (choice.tracking === 'on') !== state.trackingOn) {
          written.current = 'applying';
          s.toggle();
          return;
        }
        const now = s.getState();
        const key = `${now.trackingOn}:${now.optOutLink}`;
        if (key === written.current) return;
        written.current = key;
        // Classic Outlook on Windows runs the send check without this origin's storage: hand it the session.
        const classicWindows = String(deps.office.context.diagnostics?.platform ?? '') === 'PC';
        void writeComposeChoice(deps.office, deps.item, { tracking: now.trackingOn ? 'on' : 'off', optOutLine: now.optOutLink, ...(classicWindows ? { sessionToken: session.token } : {}) });
      });
    });
    setCompose(s);
    return () => {
      alive = false;
      unsubscribe();
      s.detach();
      host.destroy();
      stop();
    };
  }, [deps, tracker, session]);

  if (!compose) return null;
  return <TrackingToggle session={compose} offerOptOut offerDefault />;
}
