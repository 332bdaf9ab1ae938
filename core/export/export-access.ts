// Who may export what. Admins, managers and readonly members export everything they can read (the
// whole organization); reps export only the records they own, contacts and companies included
// (they read shared contacts and companies, but a rep walking off with the whole address book is
// what export rules exist to stop). Pure, so the matrix is a table test.
import type { Actor } from '../roles.ts';

export const exportKinds = ['contacts', 'companies', 'deals', 'activities'] as const;
export type ExportKind = (typeof exportKinds)[number];

/** all: every row the list shows; own: only the actor's own rows (ownerId = the actor). */
export type ExportReach = 'all' | 'own';

export const exportReach = (actor: Actor): ExportReach => (actor.role === 'rep' ? 'own' : 'all');

/** An export's owner filter for this actor: the asked-for owner, forced to themselves for reps. Null: refused. */
export function ownerFilterFor(actor: Actor, askedOwnerId: string | undefined): { ownerId: string | undefined } | null {
  if (exportReach(actor) === 'all') return { ownerId: askedOwnerId };
  if (!actor.userId) return null;
  if (askedOwnerId && askedOwnerId !== actor.userId) return null;
  return { ownerId: actor.userId };
}

/** Exports of at least this many rows notify the admins (EXPORT_NOTIFY_ROWS overrides it). */
export const DEFAULT_EXPORT_NOTIFY_ROWS = 1000;
