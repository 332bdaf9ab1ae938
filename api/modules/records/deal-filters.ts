// The deal filters (core/schemas/deal-filters.ts) in SQL, for the deal list, the board and the
// export. core/deals/filters.ts is the same predicate in plain code (the web app's live updates use
// it); deal-board.test.ts holds the two equal.
import { eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { DealFilters } from '../../../core/schemas/deal-filters.ts';
import { searchWords } from '../../../core/search.ts';
import { deals } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

/** Each word must start a word of the deal's name (the name's words are split on anything not a letter or digit). */
const nameWords = (q: string | undefined) =>
  searchWords(q ?? '').map((w) => sql`position(${` ${w}`} in ' ' || regexp_replace(lower(${deals.name}), '[^[:alnum:]]+', ' ', 'g')) > 0`);

export function dealFilterConditions(s: Scope, f: DealFilters): (SQL | undefined)[] {
  return [
    ...nameWords(f.q),
    f.ownerId ? eq(deals.ownerId, f.ownerId) : undefined,
    f.teamId ? sql`${deals.ownerId} in (select m.user_id from memberships m where m.org_id = ${s.orgId} and m.team_id = ${f.teamId})` : undefined,
    f.stage ? eq(deals.stageId, f.stage) : undefined,
    f.minProbability !== undefined ? gte(deals.probability, f.minProbability) : undefined,
    f.maxProbability !== undefined ? lte(deals.probability, f.maxProbability) : undefined,
    f.minValueCents !== undefined ? gte(deals.valueCents, f.minValueCents) : undefined,
    f.maxValueCents !== undefined ? lte(deals.valueCents, f.maxValueCents) : undefined,
    f.closeFrom ? gte(deals.expectedCloseDate, f.closeFrom) : undefined,
    f.closeTo ? lte(deals.expectedCloseDate, f.closeTo) : undefined,
    f.risk ? sql`exists (select 1 from deal_risk r where r.org_id = ${s.orgId} and r.deal_id = ${deals.id} and r.band = ${f.risk})` : undefined,
    f.source ? eq(deals.source, f.source) : undefined,
  ];
}
