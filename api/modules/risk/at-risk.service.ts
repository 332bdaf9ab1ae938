// Reading stored risk: the at-risk lists for the sidebar and dashboard, one deal's explanation.
import { eq, inArray, sql } from 'drizzle-orm';
import type { AtRiskQuery } from '../../../core/schemas/risk.ts';
import { rowsOf } from '../../../db/client.ts';
import { uuidArray, wordArray } from '../../../db/sql-arrays.ts';
import { deals, memberships } from '../../../db/schema/index.ts';
import { getDeal, presentDeals, selectDeals } from '../records/deals.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

/**
 * Whose deals and activities a scope covers, as owner ids; null means the whole organization.
 * Reps: only their own, whatever they ask. scope=me: the actor's. scope=team: a manager in a team
 * sees the team's members; other managers, admins and readonly members the whole organization.
 */
export async function ownerIdsInScope(s: Scope, scope: AtRiskQuery['scope']): Promise<string[] | null> {
  const userId = s.actor.userId;
  if (userId === null) return null; // the system sees the organization
  if (s.actor.role === 'rep' || scope === 'me') return [userId];
  if (s.actor.role !== 'manager') return null;
  const [me] = await s.db.select({ teamId: memberships.teamId }).from(memberships).where(eq(memberships.userId, userId));
  if (!me?.teamId) return null;
  const team = await s.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.teamId, me.teamId));
  return team.map((m) => m.userId);
}

export async function dealsAtRisk(s: Scope, q: AtRiskQuery) {
  const bands = q.minBand === 'high' ? (['high'] as const) : (['medium', 'high'] as const);
  const owners = await ownerIdsInScope(s, q.scope);
  // The page's ids first, walking deal_risk_org_rank_idx (score, then the bigger deal), which
  // carries each deal's owner; then the full rows of those few only.
  const page = rowsOf<{ deal_id: string }>(
    await s.db.execute(sql`
      select r.deal_id from deal_risk r join deals d on d.org_id = r.org_id and d.id = r.deal_id
      where r.org_id = ${s.actor.orgId} and r.band = any(${wordArray(bands)}) and d.deleted_at is null and d.outcome is null
        ${owners === null ? sql`` : sql`and r.owner_id = any(${uuidArray(owners)})`}
      order by r.score desc nulls last, r.value_cents desc nulls last, r.deal_id desc nulls last
      limit ${q.limit}`),
  );
  if (page.length === 0) return { data: [] };
  const rows = await selectDeals(s).where(inArray(deals.id, page.map((p) => p.deal_id)));
  const order = new Map(page.map((p, i) => [p.deal_id, i]));
  rows.sort((a, b) => order.get(a.deal.id)! - order.get(b.deal.id)!);
  return { data: await presentDeals(s, rows) };
}

export async function dealRiskExplanation(s: Scope, id: string) {
  const deal = await getDeal(s, id);
  return { dealId: deal.id, dealName: deal.name, risk: deal.risk };
}
