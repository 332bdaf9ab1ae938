// Settings: which CRM the extension talks to (asking Chrome for that origin only), whether Gmail's
// compose window tracks emails by default (the rep's own setting, kept by the API, with what the
// organisation's consent mode records), and the rep's logging exclusions, kept in the sidebar's
// store under logging-settings:<mailbox>.
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { defaultLoggingSettings, type LoggingSettings } from '../../../ui/sidebar/logging.ts';
import { loggingSettingsKey } from '../../../ui/sidebar/sidebar-state.ts';
import { checkApiUrl } from '../../api-url.ts';
import type { HealthStatus, SendToBackground, TrackingDefaults } from '../../messages.ts';
import { createRelayStore } from '../../relay-api.ts';

export interface OptionsProps {
  send: SendToBackground;
  requestAccess(origin: string): Promise<boolean>;
}

export function Options({ send, requestAccess }: OptionsProps) {
  const [status, setStatus] = useState<HealthStatus | null>(null);
  const refresh = useCallback(async () => setStatus((await send({ type: 'crm:status' })) ?? null), [send]);
  useEffect(() => void refresh(), [refresh]);

  return (
    <main className="options">
      <h1>
        <img src="/icon/32.png" width="24" height="24" alt="" /> Inbox CRM settings
      </h1>
      {!status ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <ApiUrlForm status={status} send={send} requestAccess={requestAccess} onSaved={() => void refresh()} />
          <TrackingForm status={status} send={send} />
          <LoggingForm status={status} send={send} />
        </>
      )}
    </main>
  );
}

function ApiUrlForm({ status, send, requestAccess, onSaved }: { status: HealthStatus; send: SendToBackground; requestAccess: OptionsProps['requestAccess']; onSaved(): void }) {
  const id = useId();
  const [value, setValue] = useState(status.apiUrl);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const currentOrigin = new URL(status.apiUrl).origin;

  /** Must run inside the click: Chrome shows its prompt only during a user gesture. */
  function askAccess(origin: string): Promise<boolean> {
    setMessage({ kind: 'ok', text: `Chrome is asking whether the extension may reach ${origin}…` });
    return requestAccess(origin).catch(() => false);
  }

  function allowCurrent() {
    void askAccess(currentOrigin).then((granted) => {
      setMessage(granted ? { kind: 'ok', text: `The extension may now reach ${currentOrigin}.` } : { kind: 'error', text: `Chrome did not allow access to ${currentOrigin}.` });
      onSaved();
    });
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const checked = checkApiUrl(value);
    if (!checked.ok) return setMessage({ kind: 'error', text: checked.message });
    const asked = askAccess(checked.origin);
    void (async () => {
      const granted = await asked;
      const answer = await send({ type: 'crm:set-api-url', apiUrl: checked.apiUrl });
      if (!answer?.ok) return setMessage({ kind: 'error', text: answer?.message ?? 'The extension did not answer' });
      setValue(answer.apiUrl);
      setMessage(
        granted
          ? { kind: 'ok', text: `Saved. The extension may now reach ${checked.origin}.` }
          : { kind: 'error', text: `Saved, but Chrome did not allow access to ${checked.origin}. Press Save again and choose Allow.` },
      );
      onSaved();
    })();
  }

  return (
    <form onSubmit={save} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>CRM server</h2>
      <label htmlFor={id}>API address</label>
      <input id={id} type="url" required value={value} onChange={(e) => setValue(e.target.value)} aria-describedby={`${id}-hint`} />
      <p id={`${id}-hint`} className="muted">
        For example https://crm.example.com, or http://localhost:8787 for a CRM running on this computer. Chrome asks you to allow that address only.
        Changing it signs you out.
      </p>
      <p>
        Access to {currentOrigin}: <strong>{status.apiPermission ? 'allowed' : 'not allowed yet'}</strong>
        {!status.apiPermission && (
          <>
            {' '}
            <button type="button" className="link" onClick={allowCurrent}>
              Allow access
            </button>
          </>
        )}
      </p>
      {message && (
        <p className={message.kind === 'error' ? 'field-error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary">Save</button>
      </div>
    </form>
  );
}

function TrackingForm({ status, send }: { status: HealthStatus; send: SendToBackground }) {
  const id = useId();
  const [settings, setSettings] = useState<TrackingDefaults | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (!status.signedIn) return;
    void send({ type: 'crm:tracking-settings' }).then((answer) => {
      if (answer?.ok) setSettings(answer.settings);
      else setMessage({ kind: 'error', text: `Tracking settings could not be read: ${answer?.message ?? 'the extension did not answer'}` });
    });
  }, [send, status.signedIn]);

  if (!status.signedIn) {
    return (
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Email tracking</h2>
        <p>Sign in from the Inbox CRM button in Chrome’s toolbar first: this setting is kept with your CRM account.</p>
      </section>
    );
  }

  async function change(trackByDefault: boolean) {
    setSaving(true);
    const answer = await send({ type: 'crm:tracking-set-default', trackByDefault });
    setSaving(false);
    if (answer?.ok) {
      setSettings(answer.settings);
      setMessage({ kind: 'ok', text: answer.settings.trackByDefault ? 'Saved. New emails start with tracking on.' : 'Saved. New emails start with tracking off.' });
    } else {
      setMessage({ kind: 'error', text: `Not saved: ${answer?.message ?? 'the extension did not answer'}` });
    }
  }

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Email tracking</h2>
      {!settings ? (
        !message && <p className="muted">Loading…</p>
      ) : (
        <>
          <label className="check">
            <input type="checkbox" role="switch" checked={settings.trackByDefault} disabled={saving} onChange={(e) => void change(e.target.checked)} aria-describedby={`${id}-mode`} />
            <span>Track emails by default</span>
          </label>
          <p id={`${id}-mode`} className="muted">
            {settings.description} Gmail’s compose window has a tracking button to change it for one email, and says what will be recorded for its recipients.
          </p>
        </>
      )}
      {message && (
        <p className={message.kind === 'error' ? 'field-error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}

const ruleShape = /^(?:[^\s@]+@|@)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i;

function LoggingForm({ status, send }: { status: HealthStatus; send: SendToBackground }) {
  const id = useId();
  const mailboxes = [...new Set([...status.gmail.mailboxes, ...(status.account ? [status.account.user.email.toLowerCase()] : [])])];
  const [mailbox, setMailbox] = useState(mailboxes[0] ?? '');
  const [rules, setRules] = useState('');
  const [excludePersonal, setExcludePersonal] = useState(true);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const store = useMemo(() => createRelayStore(send), [send]);

  useEffect(() => {
    if (!mailbox) return;
    void store.get<LoggingSettings>(loggingSettingsKey(mailbox)).then((saved) => {
      const settings = saved ?? defaultLoggingSettings(mailbox);
      setRules(settings.neverLog.join('\n'));
      setExcludePersonal(settings.excludePersonalMail);
      setMessage(saved ? null : { kind: 'ok', text: 'These are the defaults; nothing has been saved for this mailbox yet.' });
    });
  }, [mailbox, store]);

  if (!status.account) {
    return (
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Email logging</h2>
        <p>Sign in from the Inbox CRM button in Chrome’s toolbar first: these settings are kept per CRM account.</p>
      </section>
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const neverLog = [...new Set(rules.split(/[\n,]/).map((r) => r.trim().toLowerCase()).filter(Boolean))];
    const bad = neverLog.filter((r) => !ruleShape.test(r));
    if (bad.length) return setMessage({ kind: 'error', text: `Not a domain or address: ${bad.join(', ')}` });
    try {
      await store.set(loggingSettingsKey(mailbox), { neverLog, excludePersonalMail: excludePersonal } satisfies LoggingSettings);
      setRules(neverLog.join('\n'));
      setMessage({ kind: 'ok', text: 'Saved. Gmail uses it from the next thread you open.' });
    } catch (err) {
      setMessage({ kind: 'error', text: `Not saved: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Email logging</h2>
      <p className="muted">Emails in threads with your CRM contacts are logged to their timeline automatically, except for these.</p>
      <label htmlFor={`${id}-mailbox`}>Mailbox</label>
      <select id={`${id}-mailbox`} value={mailbox} onChange={(e) => setMailbox(e.target.value)}>
        {mailboxes.map((m) => (
          <option key={m} value={m}>{m}</option>
        ))}
      </select>
      <label htmlFor={`${id}-rules`}>Never log emails with these domains or addresses</label>
      <textarea id={`${id}-rules`} value={rules} onChange={(e) => setRules(e.target.value)} aria-describedby={`${id}-rules-hint`} spellCheck={false} />
      <p id={`${id}-rules-hint`} className="muted">One per line: a domain (example.com, which includes its subdomains) or an address (ceo@example.com).</p>
      <label className="check">
        <input type="checkbox" checked={excludePersonal} onChange={(e) => setExcludePersonal(e.target.checked)} />
        <span>Never log personal mailboxes (gmail.com, outlook.com, yahoo.com, …)</span>
      </label>
      {message && (
        <p className={message.kind === 'error' ? 'field-error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary">Save logging settings</button>
      </div>
    </form>
  );
}
