// Whose deals and activities a report covers: the role's scope (at-risk.service.ts ownerIdsInScope),
// narrowed by the report's owner and team filters. Never wider than the role allows: a rep asking
// for someone else's numbers gets none, not theirs.
import { and, eq } from 'drizzle-orm';
import { memberships } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { ownerIdsInScope } from '../risk/at-risk.service.ts';

export interface OwnerFilter {
  scope?: 'me' | 'team';
  ownerId?: string;
  teamId?: string;
}

/** Owner ids, or null for the whole organization. An empty list selects nothing. */
export async function ownersForReport(s: Scope, f: OwnerFilter): Promise<string[] | null> {
  let owners = await ownerIdsInScope(s, f.scope ?? 'team');
  const within = (ids: string[]) => (owners === null ? ids : ids.filter((id) => owners!.includes(id)));
  if (f.ownerId) owners = within([f.ownerId]);
  if (f.teamId) {
    const team = await s.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.teamId, f.teamId)));
    owners = within(team.map((m) => m.userId));
  }
  return owners;
}
