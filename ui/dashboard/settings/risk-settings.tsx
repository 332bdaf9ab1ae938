// Risk settings (admins): band thresholds, the weight of each warning sign, and its timing. While
// editing, the API previews what the change would do to the open deals (how many change band, and
// which) before anything is saved; saving rescores the open deals.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, errorMessage, useApi } from '../api.ts';
import { count } from '../format.ts';
import { keys } from '../queries.ts';
import { Badge, Button, ErrorState, Field, Skeleton, Spinner } from '../shell/ui.tsx';
import type { RiskSettings } from '../types.ts';
import { draftOf, patchOf, riskFields, type RiskField, type RiskPatch } from './risk-fields.ts';
import { settingsKeys, useSettingsMutation } from './settings-data.ts';

const groups = [
  { id: 'bands', title: 'Bands', text: 'Where a score (0–100) turns medium and high.' },
  { id: 'weights', title: 'Warning signs', text: 'How many points of the score each sign can add at most.' },
  { id: 'timing', title: 'Timing', text: 'When a sign starts to count.' },
] as const;

/** Waits until typing pauses, so the preview is asked for once per change, not per keystroke. */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function Preview({ patch }: { patch: RiskPatch }) {
  const api = useApi();
  const settled = useSettled(JSON.stringify(patch));
  const preview = useQuery({
    queryKey: [...settingsKeys.risk, 'preview', settled],
    queryFn: () => call(api.POST('/risk/settings/preview', { body: JSON.parse(settled) })),
    enabled: settled !== '{}',
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  if (settled === '{}') return <p className="preview-idle">Change a number to see how many open deals would change band.</p>;
  if (preview.isError) return <p className="field-error" role="alert">{errorMessage(preview.error)}</p>;
  if (!preview.data) return <div className="preview-idle"><Spinner small label="Working out the effect" /> Working out the effect…</div>;
  const p = preview.data;
  return (
    <div className="risk-preview" aria-live="polite" aria-busy={preview.isFetching || undefined}>
      <p className="risk-preview-headline">
        <strong>{count(p.changed, 'open deal')}</strong> of {p.openDeals.toLocaleString('en-US')} would change band.
      </p>
      <table className="settings-table compact">
        <caption className="sr-only">Open deals per band, now and after the change</caption>
        <thead>
          <tr><th scope="col">Band</th><th scope="col" className="num">Now</th><th scope="col" className="num">After</th></tr>
        </thead>
        <tbody>
          {(['low', 'medium', 'high'] as const).map((b) => (
            <tr key={b}>
              <th scope="row"><Badge tone={b}>{b[0]!.toUpperCase() + b.slice(1)}</Badge></th>
              <td className="num">{p.bandsNow[b]}</td>
              <td className="num">{p.bandsAfter[b]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.examples.length > 0 && (
        <>
          <h4>For example</h4>
          <ul className="risk-examples">
            {p.examples.slice(0, 5).map((e) => (
              <li key={e.dealId}>
                <span>{e.dealName}</span>
                <span className="risk-move">{e.from ?? 'unscored'} {e.scoreNow === null ? '' : `(${e.scoreNow})`} → {e.to} ({e.scoreAfter})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function NumberField({ field, value, error, defaultText, onChange }: { field: RiskField; value: string; error?: string; defaultText: string; onChange: (v: string) => void }) {
  return (
    <Field label={field.label} hint={<>{field.hint}. Default {defaultText}.</>} error={error}>
      {(id, describedBy) => (
        <input id={id} inputMode="decimal" className="narrow" value={value} aria-describedby={describedBy} aria-invalid={!!error || undefined} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

export function RiskSettingsSection() {
  const api = useApi();
  const view = useQuery({ queryKey: settingsKeys.risk, queryFn: () => call(api.GET('/risk/settings')) });
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const settings = view.data?.settings as RiskSettings | undefined;
  useEffect(() => {
    if (settings) setDraft(draftOf(settings));
  }, [settings]);
  const save = useSettingsMutation((patch: RiskPatch) => call(api.PATCH('/risk/settings', { body: patch })), {
    refresh: [settingsKeys.risk, keys.boardAll, keys.atRisk, keys.dealAll],
    success: (r) => `Saved. ${count(r.rescored, 'open deal')} rescored.`,
  });
  const reset = useSettingsMutation(() => call(api.PUT('/risk/settings', { body: {} })), {
    refresh: [settingsKeys.risk, keys.boardAll, keys.atRisk, keys.dealAll],
    success: (r) => `Back to the defaults. ${count(r.rescored, 'open deal')} rescored.`,
  });
  if (view.isPending || (settings && !draft)) return <Skeleton lines={8} height={22} />;
  if (view.isError) return <ErrorState error={view.error} retry={() => void view.refetch()} />;
  const defaults = draftOf(view.data.defaults as RiskSettings);
  const { patch, errors } = patchOf(settings!, draft!);
  const changed = Object.keys(patch).length > 0;
  const valid = Object.keys(errors).length === 0;
  const hasOverrides = Object.keys(view.data.overrides).length > 0;
  return (
    <section className="settings-section" aria-labelledby="risk-title">
      <header className="settings-section-header">
        <div>
          <h2 id="risk-title">Deal risk</h2>
          <p>How the 0–100 risk score is made. Check the effect on the right before saving; the backtest under Reports shows how well the score predicts.</p>
        </div>
      </header>
      <form
        className="risk-layout"
        onSubmit={(e) => {
          e.preventDefault();
          if (changed && valid) save.mutate(patch);
        }}
      >
        <div className="risk-fields">
          {groups.map((g) => (
            <fieldset key={g.id} className="risk-group">
              <legend>{g.title}</legend>
              <p className="risk-group-text">{g.text}</p>
              <div className="risk-grid">
                {riskFields.filter((f) => f.group === g.id).map((f) => (
                  <NumberField key={f.id} field={f} value={draft![f.id] ?? ''} error={errors[f.id]} defaultText={defaults[f.id]!} onChange={(v) => setDraft({ ...draft!, [f.id]: v })} />
                ))}
              </div>
            </fieldset>
          ))}
          <div className="form-actions">
            <Button kind="primary" type="submit" disabled={!changed || !valid} busy={save.isPending}>Save and rescore</Button>
            <Button disabled={!changed} onClick={() => setDraft(draftOf(settings!))}>Undo changes</Button>
            {hasOverrides && <Button kind="ghost" busy={reset.isPending} onClick={() => reset.mutate(undefined)}>Restore defaults</Button>}
          </div>
        </div>
        <aside className="risk-preview-box" aria-label="Effect of the change">
          <h3>Effect on open deals</h3>
          {valid ? <Preview patch={patch} /> : <p className="preview-idle">Fix the highlighted numbers to see the effect.</p>}
        </aside>
      </form>
    </section>
  );
}
