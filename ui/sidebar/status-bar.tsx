import type { OutboxItem } from './outbox.ts';
import type { Connection, Notice } from './sidebar-state.ts';

export interface StatusBarProps {
  connection: Connection;
  /** Changes the rep made that wait for the API (automatic email logs are not counted). */
  pending: OutboxItem[];
  notices: Notice[];
  /** When the context on screen was saved, if it comes from the cache. */
  cachedAt: string | null;
  refreshing: boolean;
  locale: string;
  onRetry: () => void;
  onDismiss: (id: number) => void;
  onUndo?: (id: number) => void;
}

const time = (iso: string, locale: string) => new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
const changes = (n: number) => `${n} change${n === 1 ? '' : 's'}`;

export function StatusBar({ connection, pending, notices, cachedAt, refreshing, locale, onRetry, onDismiss, onUndo }: StatusBarProps) {
  const errors = notices.filter((n) => n.tone === 'error');
  const infos = notices.filter((n) => n.tone === 'info');
  return (
    // Sticky, so a confirmation and its Undo show wherever the rep has scrolled to.
    <div className="crm-status">
      {/* Always present so screen readers announce what is added to it. */}
      <div role="status" aria-live="polite">
        {connection === 'offline' && (
          <div className="crm-banner crm-offline">
            <strong>Offline.</strong> {cachedAt ? `Showing what was saved at ${time(cachedAt, locale)}. ` : ''}
            {pending.length > 0 ? `${changes(pending.length)} waiting to be sent.` : 'Changes you make will be sent when the CRM is back.'}
            {pending.length > 0 && (
              <details>
                <summary>Pending changes</summary>
                <ul>
                  {pending.map((p) => (
                    <li key={p.key}>{p.label}</li>
                  ))}
                </ul>
              </details>
            )}
            <div className="crm-row">
              <button type="button" onClick={onRetry}>Retry now</button>
            </div>
          </div>
        )}
        {connection === 'online' && pending.length > 0 && <p className="crm-muted">Saving {changes(pending.length)}…</p>}
        {refreshing && connection === 'online' && <p className="crm-muted">Updating…</p>}
        {infos.map((n) => (
          <div key={n.id} className="crm-banner crm-notice">
            <span>{n.text}</span>
            {n.undoable && onUndo && <button type="button" className="crm-link" onClick={() => onUndo(n.id)}>Undo</button>}
            <button type="button" onClick={() => onDismiss(n.id)} aria-label="Dismiss">×</button>
          </div>
        ))}
      </div>
      <div role="alert">
        {errors.map((n) => (
          <div key={n.id} className="crm-banner crm-error">
            {n.text} <button type="button" onClick={() => onDismiss(n.id)} aria-label="Dismiss">×</button>
          </div>
        ))}
      </div>
    </div>
  );
}
