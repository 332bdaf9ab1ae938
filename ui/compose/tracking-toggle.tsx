// The tracking switch with its sentence, for hosts that draw compose in React (the demo inbox's
// compose box; the Outlook pane next): "Track opens and clicks", what the organisation's consent
// mode records for these recipients, the opt-out line where offered, and making the choice the
// rep's default. Gmail draws the same state as a compose-toolbar button instead (extension/gmail).
// Its class names (compose-*) are styled by the page that shows it (ui/demo-inbox/styles.css).
import { useId, useState, useSyncExternalStore } from 'react';
import type { ComposeSession } from './compose-tracking.ts';
import { explanationOf } from './compose-state.ts';

export interface TrackingToggleProps {
  session: ComposeSession;
  /** Offer "Add opt-out link" (the API appends a "stop tracking my opens" line). */
  offerOptOut?: boolean;
  /** Offer to make the choice the rep's default (the port can save it). */
  offerDefault?: boolean;
}

export function TrackingToggle({ session, offerOptOut = false, offerDefault = false }: TrackingToggleProps) {
  const explanationId = useId();
  const state = useSyncExternalStore(session.subscribe, session.getState, session.getState);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const explanation = explanationOf(state);
  const defaults = state.account.kind === 'ready' ? state.account.defaults : null;

  const rememberDefault = async () => {
    setSaving(true);
    setError(null);
    try {
      await session.rememberDefault();
    } catch {
      setError('Your default could not be saved: the CRM could not be reached.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <fieldset className="compose-tracking" data-testid="tracking-options">
      <legend className="compose-visually-hidden">Tracking</legend>
      <div className="compose-tracking-row">
        <label className="compose-switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="track-toggle"
            checked={state.trackingOn}
            disabled={state.registering}
            onChange={() => session.toggle()}
            aria-describedby={explanationId}
          />
          <span>Track opens and clicks</span>
        </label>
        {offerOptOut && (
          <label className="compose-check">
            <input type="checkbox" data-testid="opt-out-link" checked={state.trackingOn && state.optOutLink} disabled={!state.trackingOn} onChange={(e) => session.setOptOutLink(e.target.checked)} />
            <span>Add opt-out link</span>
          </label>
        )}
        {offerDefault && defaults && state.trackingOn !== defaults.trackByDefault && (
          <button type="button" className="compose-default-button" onClick={() => void rememberDefault()} disabled={saving}>
            {state.trackingOn ? 'Track by default' : 'Don’t track by default'}
          </button>
        )}
      </div>
      <p
        id={explanationId}
        className={`compose-tracking-explanation${explanation.kind === 'decided' && !explanation.tracked ? ' compose-tracking-no' : ''}`}
        data-testid="tracking-explanation"
        data-state={explanation.kind}
        aria-live="polite"
      >
        {explanation.text}
      </p>
      {error && (
        <p className="compose-tracking-error" role="alert" data-testid="tracking-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
