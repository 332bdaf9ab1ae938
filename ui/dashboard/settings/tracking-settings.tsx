// Email tracking: the organization's consent policy, its country overrides and how long raw opens
// and clicks are kept (admins), and everyone's own default for the compose toggle.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { consentModes, type ConsentMode } from '../../../core/tracking/consent.ts';
import { call, useApi } from '../api.ts';
import { useSession } from '../session.tsx';
import { Button, ErrorState, Field, IconButton, Skeleton } from '../shell/ui.tsx';
import { settingsKeys, useSettingsMutation } from './settings-data.ts';

const modeLabels: Record<ConsentMode, string> = {
  full: 'Full: opens and clicks, who and when',
  consented: 'Only recipients who consented',
  aggregate: 'Counts only: no who, day not time',
  off: 'Off: no tracking',
};

export interface PolicyDraft {
  mode: ConsentMode;
  unknownCountryMode: ConsentMode | '';
  overrides: { country: string; mode: ConsentMode }[];
  retentionDays: string;
}

/** The policy and retention to send, or why not (by field). */
export function trackingUpdateOf(d: PolicyDraft): { body?: { policy: { mode: ConsentMode; countryOverrides: Record<string, ConsentMode>; unknownCountryMode?: ConsentMode }; retentionDays: number }; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const countryOverrides: Record<string, ConsentMode> = {};
  d.overrides.forEach((o, i) => {
    const code = o.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(code)) errors[`override-${i}`] = 'A two-letter country code, like DE';
    else if (code in countryOverrides) errors[`override-${i}`] = `${code} is listed twice`;
    else countryOverrides[code] = o.mode;
  });
  const days = Number(d.retentionDays);
  if (!/^\d+$/.test(d.retentionDays.trim()) || days < 1 || days > 3650) errors.retentionDays = 'Whole days from 1 to 3650';
  if (Object.keys(errors).length) return { errors };
  return { body: { policy: { mode: d.mode, countryOverrides, ...(d.unknownCountryMode ? { unknownCountryMode: d.unknownCountryMode } : {}) }, retentionDays: days }, errors };
}

export function TrackingSettingsSection() {
  const api = useApi();
  const { isAdmin } = useSession();
  const settings = useQuery({ queryKey: settingsKeys.tracking, queryFn: () => call(api.GET('/tracking/settings')) });
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    const s = settings.data;
    if (!s) return;
    setDraft({
      mode: s.policy.mode,
      unknownCountryMode: s.policy.unknownCountryMode ?? '',
      overrides: Object.entries(s.policy.countryOverrides ?? {}).map(([country, mode]) => ({ country, mode: mode as ConsentMode })),
      retentionDays: String(s.retentionDays),
    });
  }, [settings.data]);
  const save = useSettingsMutation((body: object) => call(api.PATCH('/tracking/settings', { body })), { refresh: [settingsKeys.tracking], success: () => 'Tracking settings saved' });
  if (settings.isPending || (settings.data && !draft)) return <Skeleton lines={6} height={20} />;
  if (settings.isError) return <ErrorState error={settings.error} retry={() => void settings.refetch()} />;
  const s = settings.data;
  const d = draft!;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = trackingUpdateOf(d);
    setErrors(r.errors);
    if (r.body) save.mutate(r.body);
  };
  const setOverride = (i: number, patch: Partial<PolicyDraft['overrides'][number]>) => setDraft({ ...d, overrides: d.overrides.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
  return (
    <section className="settings-section" aria-labelledby="tracking-title">
      <header className="settings-section-header">
        <div>
          <h2 id="tracking-title">Email tracking</h2>
          <p>{s.description}</p>
        </div>
      </header>
      <div className="settings-card">
        <label className="switch-row">
          <input type="checkbox" checked={s.trackByDefault} disabled={save.isPending} onChange={(e) => save.mutate({ trackByDefault: e.target.checked })} />
          <span>
            <strong>Track my emails by default</strong>
            <span className="muted">The compose toggle starts on; you can still turn it off for any message.</span>
          </span>
        </label>
      </div>
      {isAdmin && (
        <form className="settings-card" onSubmit={submit} noValidate aria-label="Organization tracking policy">
          <h3>Organization policy</h3>
          <Field label="Tracking mode" hint="For every recipient, unless their country has its own rule below.">
            {(id, describedBy) => (
              <select id={id} value={d.mode} aria-describedby={describedBy} onChange={(e) => setDraft({ ...d, mode: e.target.value as ConsentMode })}>
                {consentModes.map((m) => <option key={m} value={m}>{modeLabels[m]}</option>)}
              </select>
            )}
          </Field>
          <Field label="When the country is unknown">
            {(id) => (
              <select id={id} value={d.unknownCountryMode} onChange={(e) => setDraft({ ...d, unknownCountryMode: e.target.value as ConsentMode | '' })}>
                <option value="">Same as the organization</option>
                {consentModes.map((m) => <option key={m} value={m}>{modeLabels[m]}</option>)}
              </select>
            )}
          </Field>
          <fieldset className="overrides">
            <legend>Country overrides</legend>
            {d.overrides.length === 0 && <p className="muted">None: every country follows the organization's mode.</p>}
            {d.overrides.map((o, i) => (
              <div key={i} className="override-row">
                <Field label="Country" error={errors[`override-${i}`]}>
                  {(id, describedBy) => <input id={id} className="narrow" maxLength={2} value={o.country} aria-describedby={describedBy} onChange={(e) => setOverride(i, { country: e.target.value })} />}
                </Field>
                <Field label="Mode">
                  {(id) => (
                    <select id={id} value={o.mode} onChange={(e) => setOverride(i, { mode: e.target.value as ConsentMode })}>
                      {consentModes.map((m) => <option key={m} value={m}>{modeLabels[m]}</option>)}
                    </select>
                  )}
                </Field>
                <IconButton icon="trash" label={`Remove the rule for ${o.country || 'this country'}`} onClick={() => setDraft({ ...d, overrides: d.overrides.filter((_, j) => j !== i) })} />
              </div>
            ))}
            <Button icon="plus" onClick={() => setDraft({ ...d, overrides: [...d.overrides, { country: '', mode: 'consented' }] })}>Add a country</Button>
          </fieldset>
          <Field label="Keep raw opens and clicks for (days)" hint="Older hits are deleted daily; per-message counts stay." error={errors.retentionDays}>
            {(id, describedBy) => <input id={id} className="narrow" inputMode="numeric" value={d.retentionDays} aria-describedby={describedBy} onChange={(e) => setDraft({ ...d, retentionDays: e.target.value })} />}
          </Field>
          <div className="form-actions">
            <Button kind="primary" type="submit" busy={save.isPending}>Save policy</Button>
          </div>
        </form>
      )}
    </section>
  );
}
