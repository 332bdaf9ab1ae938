// What to do with one mapped field of one record at sync time, from its ownership and what each
// side changed since the last sync (changes.ts). The answer is a decision (pull the CRM's value,
// push the inbox's, nothing) or a conflict-journal entry with both values for the admin. Nothing
// here ever overwrites a value the rules did not decide on.
import { sameValue } from './changes.ts';
import type { Ownership } from './ownership.ts';

export interface SideValue {
  value: unknown;
  /** When this side last changed the field (or the record, when the CRM keeps no per-field history). */
  changedAt: Date | null;
}

export interface FieldState {
  field: string;
  ownership: Ownership;
  /** The value both sides agreed on at the last sync; undefined: never synced. */
  baseline: unknown;
  inbox: SideValue;
  crm: SideValue;
}

export type FieldDecision =
  | { field: string; action: 'none' }
  | { field: string; action: 'pull'; value: unknown }
  | { field: string; action: 'push'; value: unknown }
  | { field: string; action: 'conflict'; reason: ConflictReason; inboxValue: unknown; crmValue: unknown };

export type ConflictReason =
  /** most_recent with equal or missing timestamps: nothing says which is later. */
  | 'same_time'
  /** read_only changed in the inbox: sending it is not allowed and dropping it would lose a person's edit. */
  | 'read_only_changed_in_inbox'
  /** First sync of a record that exists on both sides with different values, under most_recent without timestamps. */
  | 'no_baseline';

export function decideField(state: FieldState): FieldDecision {
  const { field, ownership, baseline } = state;
  const inboxValue = state.inbox.value;
  const crmValue = state.crm.value;
  if (ownership === 'dont_sync' || sameValue(inboxValue, crmValue)) return { field, action: 'none' };

  const neverSynced = baseline === undefined;
  const inboxChanged = neverSynced ? !sameValue(inboxValue, null) : !sameValue(inboxValue, baseline);
  const crmChanged = neverSynced ? !sameValue(crmValue, null) : !sameValue(crmValue, baseline);
  const pull = { field, action: 'pull', value: crmValue } as const;
  const push = { field, action: 'push', value: inboxValue } as const;
  const conflict = (reason: ConflictReason) => ({ field, action: 'conflict', reason, inboxValue, crmValue }) as const;

  if (ownership === 'read_only') {
    if (inboxChanged && !neverSynced) return conflict('read_only_changed_in_inbox');
    return pull;
  }
  if (inboxChanged && !crmChanged) return push;
  if (crmChanged && !inboxChanged) return pull;
  // Both sides changed (or both hold a value at the first sync).
  if (ownership === 'crm_wins') return pull;
  if (ownership === 'inbox_wins') return push;
  const inboxAt = state.inbox.changedAt?.getTime();
  const crmAt = state.crm.changedAt?.getTime();
  if (inboxAt === undefined || crmAt === undefined) return conflict(neverSynced ? 'no_baseline' : 'same_time');
  if (inboxAt === crmAt) return conflict('same_time');
  return inboxAt > crmAt ? push : pull;
}

/** Decisions for every mapped field of a record: what to write on each side, and the conflicts to journal. */
export function decideRecord(states: readonly FieldState[]) {
  const decisions = states.map(decideField);
  const pick = (action: 'pull' | 'push') =>
    Object.fromEntries(decisions.flatMap((d) => (d.action === action ? [[d.field, d.value]] : [])));
  return {
    toInbox: pick('pull'),
    toCrm: pick('push'),
    conflicts: decisions.filter((d): d is Extract<FieldDecision, { action: 'conflict' }> => d.action === 'conflict'),
  };
}
