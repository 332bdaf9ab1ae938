// The risk settings an admin edits, as fields a person reads: weights and band thresholds on the
// score's own 0–100 scale (stored as 0..1), days as days. A draft of typed texts becomes the patch
// of only what changed, or the field errors to show; the API checks the rules between fields.
import type { RiskSettings } from '../../../core/risk/settings.ts';

export interface RiskField {
  id: string;
  section: keyof RiskSettings;
  key: string;
  label: string;
  hint: string;
  /** points: 0..1 shown ×100; days: as is. */
  unit: 'points' | 'days';
  group: 'bands' | 'weights' | 'timing';
}

export const riskFields: RiskField[] = [
  { id: 'bands.medium', section: 'bands', key: 'medium', label: 'Medium risk from', hint: 'Score at which a deal turns amber', unit: 'points', group: 'bands' },
  { id: 'bands.high', section: 'bands', key: 'high', label: 'High risk from', hint: 'Score at which a deal turns red', unit: 'points', group: 'bands' },
  { id: 'noReply.weight', section: 'noReply', key: 'weight', label: 'No reply', hint: 'The buyer has gone quiet', unit: 'points', group: 'weights' },
  { id: 'stalled.weight', section: 'stalled', key: 'weight', label: 'Stalled in stage', hint: 'Longer in its stage than won deals were', unit: 'points', group: 'weights' },
  { id: 'engagementDown.weight', section: 'engagementDown', key: 'weight', label: 'Engagement down', hint: 'Fewer emails, calls and meetings than before', unit: 'points', group: 'weights' },
  { id: 'closeDatePassed.weight', section: 'closeDatePassed', key: 'weight', label: 'Close date passed', hint: 'Still open after its expected close date', unit: 'points', group: 'weights' },
  { id: 'singleThreaded.weight', section: 'singleThreaded', key: 'weight', label: 'Single-threaded', hint: 'Only one contact on the deal', unit: 'points', group: 'weights' },
  { id: 'noReply.defaultDays', section: 'noReply', key: 'defaultDays', label: 'Quiet for (days)', hint: 'Days without a reply before it counts, until the team has its own history', unit: 'days', group: 'timing' },
  { id: 'stalled.fallbackDays', section: 'stalled', key: 'fallbackDays', label: 'Stalled after (days)', hint: 'Days in a stage before it counts, where too few deals were won to know the norm', unit: 'days', group: 'timing' },
  { id: 'closeDatePassed.fullAtDays', section: 'closeDatePassed', key: 'fullAtDays', label: 'Overdue in full after (days)', hint: 'Days past the close date at which this sign counts in full', unit: 'days', group: 'timing' },
];

const valueOf = (s: RiskSettings, f: RiskField) => (s[f.section] as unknown as Record<string, number>)[f.key]!;

/** What the inputs show for settings `s`. */
export function draftOf(s: RiskSettings): Record<string, string> {
  return Object.fromEntries(riskFields.map((f) => [f.id, f.unit === 'points' ? String(Math.round(valueOf(s, f) * 1000) / 10) : String(valueOf(s, f))]));
}

export type RiskPatch = Partial<Record<keyof RiskSettings, Record<string, number>>>;

/** The patch of what the draft changes from `s`, or the errors by field id. */
export function patchOf(s: RiskSettings, draft: Record<string, string>): { patch: RiskPatch; errors: Record<string, string> } {
  const patch: RiskPatch = {};
  const errors: Record<string, string> = {};
  for (const f of riskFields) {
    const text = (draft[f.id] ?? '').trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) {
      errors[f.id] = 'Enter a number';
      continue;
    }
    if (f.unit === 'points' && (n < 0 || n > 100)) {
      errors[f.id] = 'From 0 to 100';
      continue;
    }
    if (f.unit === 'days' && (n <= 0 || n > 3650)) {
      errors[f.id] = 'From 1 to 3650 days';
      continue;
    }
    const value = f.unit === 'points' ? Math.round(n * 10) / 1000 : n;
    if (value !== valueOf(s, f)) (patch[f.section] ??= {})[f.key] = value;
  }
  const medium = Number(draft['bands.medium']);
  const high = Number(draft['bands.high']);
  if (!errors['bands.medium'] && !errors['bands.high'] && medium >= high) errors['bands.high'] = 'Must be above medium';
  return { patch, errors };
}
