// Reading stored risk: the at-risk lists for the sidebar and dashboard, one deal's explanation.
import { and, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/roles.ts';
import type { AtRiskQuery } from '../../core/schemas/risk.ts';
import type { Tx } from '../../db/client.ts';
import { dealRisk, deals, memberships } from '../../db/schema.ts';
import { getDeal, presentDeals, selectDeals } from './deals.service.ts';

/**
 * Whose deals and activities a scope covers, as owner ids; null means the whole organization.
 * Reps: only their own, whatever they ask. scope=me: the actor's. scope=team: a manager in a team
 * sees the team's members; other managers, admins and readonly members the whole organization.
 */
export async function ownerIdsInScope(tx: Tx, actor: Actor, scope: AtRiskQuery['scope']): Promise<string[] | null> {
  if (actor.role === 'rep' || scope === 'me') return [actor.userId];
  if (actor.role !== 'manager') return null;
  const [me] = await tx.select({ teamId: memberships.teamId }).from(memberships).where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, actor.userId)));
  if (!me?.teamId) return null;
  const team = await tx.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, actor.orgId), eq(memberships.teamId, me.teamId)));
  return team.map((m) => m.userId);
}

async function ownersInScope(tx: Tx, actor: Actor, scope: AtRiskQuery['scope']): Promise<SQL | undefined> {
  const ids = await ownerIdsInScope(tx, actor, scope);
  return ids === null ? undefined : inArray(deals.ownerId, ids);
}

export async function dealsAtRisk(tx: Tx, actor: Actor, q: AtRiskQuery) {
  const bands = q.minBand === 'high' ? (['high'] as const) : (['medium', 'high'] as const);
  const rows = await selectDeals(tx)
    .where(
      and(
        eq(deals.orgId, actor.orgId),
        isNull(deals.deletedAt),
        isNull(deals.outcome),
        inArray(dealRisk.band, [...bands]),
        await ownersInScope(tx, actor, q.scope),
      ),
    )
    .orderBy(desc(dealRisk.score), desc(deals.valueCents), desc(deals.id))
    .limit(q.limit);
  return { data: await presentDeals(tx, rows) };
}

export async function dealRiskExplanation(tx: Tx, actor: Actor, id: string) {
  const deal = await getDeal(tx, actor, id);
  return { dealId: deal.id, dealName: deal.name, risk: deal.risk };
}
