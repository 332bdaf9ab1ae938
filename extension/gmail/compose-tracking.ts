// Feature: open and click tracking from Gmail's compose window.
//
// Every compose window (new, reply, inline reply) gets a tracking button (compose-button.ts) whose
// icon shows the state (eye on, crossed off, amber when this mail will not be tracked) and whose
// tooltip says what the organisation's consent mode will record for the current recipients. The
// flow behind it is ui/compose's, the same as the demo inbox's and Outlook's: tracking starts as the
// rep's trackByDefault says; on Send the message is registered through the background worker and
// the tracked body (same text, rewritten link targets, a 1x1 pixel) goes out, all within one second
// of the click, else the mail goes out exactly as written and the butter bar says "Sent without
// tracking: …". Gmail's own part, holding a send with InboxSDK, is gmail-compose-host.ts. After Gmail
// confirms, the Gmail ids go to the worker, which keeps the report if the API is away
// (background/tracking-handlers.ts) and gives up on registering after 900 ms, inside the second.
//
// Not tracked, on purpose or by InboxSDK's limits (see extension/README.md): scheduled sends (they
// do not raise 'presending'); Send + archive is sent as plain Send after registering (InboxSDK
// does not say which button was pressed); the opt-out line (the API could add one; the button does
// not offer it yet).
//
// Check by hand: Gmail → Compose → the eye next to the formatting buttons; hover it with a
// recipient typed; Send; the sent mail's "Show original" has the pixel <img> and rewritten links.
// Stop the API and send again: the mail leaves within a second and the butter bar says why it
// was not tracked.
import type { ButterBar } from '@inboxsdk/core';
import { createComposeTracking } from '../../ui/compose/compose-tracking.ts';
import { buttonLook, createDescriptorStream, trackingIcons } from './compose-button.ts';
import { createGmailComposeHost, type SdkComposeView } from './gmail-compose-host.ts';
import { createGmailComposePort, type TrackingClient } from './tracking-client.ts';

export interface ComposeSdk {
  Compose: { registerComposeViewHandler(handler: (composeView: SdkComposeView) => void): () => void };
  ButterBar: Pick<ButterBar, 'showMessage'>;
}

export interface ComposeTrackingOptions {
  client: TrackingClient;
  /** The longest Send may be held: one second. */
  deadlineMs?: number;
  /** Recipients change per keystroke; ask for the decision once they rest. */
  decisionDelayMs?: number;
  /** HTML → its visible text, to check the tracked body reads like the rep's; DOMParser by default. */
  textOf?: ((html: string) => string) | null;
  onError?(error: unknown): void;
  now?: () => number;
}

export interface ComposeTracking {
  /** The rep signed in or out: read the defaults again. */
  refreshAccount(): void;
  stop(): void;
}

export function startComposeTracking(sdk: ComposeSdk, options: ComposeTrackingOptions): ComposeTracking {
  const onError = (err: unknown) => options.onError?.(err);
  const butter = (text: string) => void sdk.ButterBar.showMessage({ text, time: 8000 });
  const tracker = createComposeTracking({
    port: createGmailComposePort(options.client),
    deadlineMs: options.deadlineMs,
    decisionDelayMs: options.decisionDelayMs,
    textOf: options.textOf,
    signInHint: 'sign in to Inbox CRM from Chrome’s toolbar',
    onError,
    now: options.now,
  });
  const stopFlow = tracker.start();
  let stopped = false;

  function attach(view: SdkComposeView) {
    const session = tracker.attach(createGmailComposeHost(view, { notify: butter, onError, now: options.now }));
    const descriptor = () => {
      const look = buttonLook(session.getState());
      return { title: look.title, tooltip: look.tooltip, iconUrl: trackingIcons[look.icon], enabled: look.enabled, onClick: () => session.toggle() };
    };
    const button = createDescriptorStream(descriptor());
    session.subscribe(() => button.set(descriptor()));
    view.on('scheduleSendMenuOpening', () => {
      if (session.getState().trackingOn && !stopped) butter('Scheduled emails go out without tracking: Inbox CRM adds it on Send only.');
    });
    view.addButton(button.stream);
  }

  const unregister = sdk.Compose.registerComposeViewHandler((view) => {
    try {
      attach(view);
    } catch (err) {
      onError(err);
    }
  });

  return {
    refreshAccount: () => tracker.refreshAccount(),
    stop() {
      stopped = true;
      unregister();
      stopFlow();
    },
  };
}
