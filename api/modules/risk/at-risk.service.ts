// Reading stored risk: the at-risk lists for the sidebar and dashboard, one deal's explanation.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../../core/roles.ts';
import type { AtRiskQuery } from '../../../core/schemas/risk.ts';
import { rowsOf, type Tx } from '../../../db/client.ts';
import { uuidArray, wordArray } from '../../../db/sql-arrays.ts';
import { deals, memberships } from '../../../db/schema/index.ts';
import { getDeal, presentDeals, selectDeals } from '../records/deals.service.ts';

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

export async function dealsAtRisk(tx: Tx, actor: Actor, q: AtRiskQuery) {
  const bands = q.minBand === 'high' ? (['high'] as const) : (['medium', 'high'] as const);
  const owners = await ownerIdsInScope(tx, actor, q.scope);
  // The page's ids first, walking deal_risk_org_rank_idx (score, then the bigger deal), which
  // carries each deal's owner; then the full rows of those few only.
  const page = rowsOf<{ deal_id: string }>(
    await tx.execute(sql`
      select r.deal_id from deal_risk r join deals d on d.org_id = r.org_id and d.id = r.deal_id
      where r.org_id = ${actor.orgId} and r.band = any(${wordArray(bands)}) and d.deleted_at is null and d.outcome is null
        ${owners === null ? sql`` : sql`and r.owner_id = any(${uuidArray(owners)})`}
      order by r.score desc nulls last, r.value_cents desc nulls last, r.deal_id desc nulls last
      limit ${q.limit}`),
  );
  if (page.length === 0) return { data: [] };
  const rows = await selectDeals(tx).where(and(eq(deals.orgId, actor.orgId), inArray(deals.id, page.map((p) => p.deal_id))));
  const order = new Map(page.map((p, i) => [p.deal_id, i]));
  rows.sort((a, b) => order.get(a.deal.id)! - order.get(b.deal.id)!);
  return { data: await presentDeals(tx, rows) };
}

export async function dealRiskExplanation(tx: Tx, actor: Actor, id: string) {
  const deal = await getDeal(tx, actor, id);
  return { dealId: deal.id, dealName: deal.name, risk: deal.risk };
}
