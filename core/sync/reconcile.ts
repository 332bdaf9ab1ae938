// One pulled CRM record against its local twin: what to write locally, what to journal as a
// conflict, what stays to be sent to the CRM, and the new baseline (the values both sides agree on
// after this sync). Field by field through the ownership rules (conflicts.ts); a local edit the
// rules say should win is never overwritten, and its field keeps its old baseline so the edit is
// still seen as the inbox's change next time (for the push).
import type { FieldValues } from './changes.ts';
import { decideField, type FieldDecision } from './conflicts.ts';
import type { Ownership } from './ownership.ts';

export interface ReconcileInput {
  fields: readonly string[];
  ownership: (field: string) => Ownership;
  /** Values agreed at the last sync; null: never synced (a first match of two existing records). */
  baseline: FieldValues | null;
  local: FieldValues;
  /** When the local record last changed (the app keeps no per-field history). */
  localChangedAt: Date | null;
  crm: FieldValues;
  crmChangedAt: Date | null;
}

export type ConflictDecision = Extract<FieldDecision, { action: 'conflict' }>;

export interface Reconciled {
  toLocal: Record<string, unknown>;
  conflicts: ConflictDecision[];
  /** Fields whose local value should go to the CRM (left for the push). */
  toCrm: string[];
  baseline: Record<string, unknown>;
}

export function reconcileRecord(input: ReconcileInput): Reconciled {
  const toLocal: Record<string, unknown> = {};
  const conflicts: ConflictDecision[] = [];
  const toCrm: string[] = [];
  const baseline: Record<string, unknown> = { ...(input.baseline ?? {}) };
  for (const field of input.fields) {
    const decision = decideField({
      field,
      ownership: input.ownership(field),
      baseline: input.baseline ? (input.baseline[field] ?? null) : undefined,
      inbox: { value: input.local[field] ?? null, changedAt: input.localChangedAt },
      crm: { value: input.crm[field] ?? null, changedAt: input.crmChangedAt },
    });
    switch (decision.action) {
      case 'pull':
        toLocal[field] = decision.value;
        baseline[field] = decision.value;
        break;
      case 'push':
        toCrm.push(field);
        break;
      case 'conflict':
        conflicts.push(decision);
        break;
      case 'none':
        // Equal on both sides: that is the new agreement. Not synced: the old one stays.
        if (input.ownership(field) !== 'dont_sync') baseline[field] = input.crm[field] ?? null;
        break;
    }
  }
  return { toLocal, conflicts, toCrm, baseline };
}
