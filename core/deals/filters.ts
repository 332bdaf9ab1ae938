// The deal filters of the board, the deal table and their CSV export, as a pure predicate. The API
// applies the same filters in SQL (api/modules/records/deal-board.service.ts; a test holds the two
// equal); the web app uses this one to decide whether a deal changed by someone else still belongs
// on the board it shows, without asking the API again.
import type { BoardDeal, DealFilters } from '../schemas/board.ts';
import { searchWords } from '../search.ts';

export interface FilterContext {
  /** The team of a member (null: none). */
  teamOf: (userId: string) => string | null;
}

/** Words of a deal's name as the API splits them: lower-cased, on anything not a letter or digit. */
const nameWordsOf = (name: string) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

export function dealMatchesFilters(deal: BoardDeal, f: DealFilters, ctx: FilterContext): boolean {
  if (f.q) {
    const words = nameWordsOf(deal.name);
    if (!searchWords(f.q).every((w) => words.some((word) => word.startsWith(w)))) return false;
  }
  if (f.ownerId && deal.ownerId !== f.ownerId) return false;
  if (f.teamId && (deal.ownerId === null || ctx.teamOf(deal.ownerId) !== f.teamId)) return false;
  if (f.stage && deal.stage !== f.stage) return false;
  if (f.minProbability !== undefined && deal.probability < f.minProbability) return false;
  if (f.maxProbability !== undefined && deal.probability > f.maxProbability) return false;
  if (f.minValueCents !== undefined && deal.valueCents < f.minValueCents) return false;
  if (f.maxValueCents !== undefined && deal.valueCents > f.maxValueCents) return false;
  if (f.closeFrom && (deal.expectedCloseDate === null || deal.expectedCloseDate < f.closeFrom)) return false;
  if (f.closeTo && (deal.expectedCloseDate === null || deal.expectedCloseDate > f.closeTo)) return false;
  if (f.risk && deal.risk?.band !== f.risk) return false;
  if (f.source && deal.source !== f.source) return false;
  return true;
}

/** How many filters are set: the count on the filter button. */
export const activeFilterCount = (f: DealFilters): number =>
  Object.entries(f).filter(([key, value]) => key !== 'q' && value !== undefined && value !== '').length;
