// Change detection since the last sync. Each synced record keeps the values both sides agreed on
// at the last sync (the baseline); a side "changed" a field when its value differs from that
// baseline, whatever its modification date says (a CRM touching SystemModstamp without changing a
// mapped field changes nothing for us). Values compare as JSON-ish scalars, so 5 and "5" differ but
// a trimmed, equal string does not count as a change.
export type FieldValues = Readonly<Record<string, unknown>>;

/** Whether two field values mean the same (null, undefined and '' all mean "empty"). */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === '' ? null : typeof v === 'string' ? v.trim() : v);
  const x = norm(a);
  const y = norm(b);
  if (x === y) return true;
  if (x instanceof Date || y instanceof Date) return new Date(x as string).getTime() === new Date(y as string).getTime();
  return typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y);
}

/** The fields among `fields` whose current value differs from the baseline. No baseline: every non-empty field. */
export function changedFields(baseline: FieldValues | null, current: FieldValues, fields: readonly string[]): string[] {
  return fields.filter((f) => (baseline ? !sameValue(baseline[f], current[f]) : !sameValue(null, current[f])));
}

/**
 * Whether a record was modified after the checkpoint, by its modification stamp (Salesforce
 * SystemModstamp, HubSpot lastmodifieddate). Equal stamps count as modified: pulls use `>=` on the
 * checkpoint, since two records can share a millisecond and the second may not have been read.
 */
export function modifiedSince(stamp: Date | string | null, checkpoint: Date | string | null): boolean {
  if (!checkpoint) return true;
  if (!stamp) return false;
  return new Date(stamp).getTime() >= new Date(checkpoint).getTime();
}
