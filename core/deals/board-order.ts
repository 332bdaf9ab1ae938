// The order of a board column's cards under each sort, as the API pages them
// (api/modules/records/deal-board.service.ts orders the same in SQL): the sort's key, then the
// lower-cased name compared code unit by code unit (Postgres `collate "C"`), then the id. One order
// on both sides is what lets the web app put a moved or live card where a later page would have it.
import type { BoardDeal, BoardSort } from '../schemas/board.ts';

type Card = Pick<BoardDeal, 'id' | 'name' | 'valueCents' | 'expectedCloseDate' | 'stageChangedAt' | 'risk'>;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byKey: Record<BoardSort, (a: Card, b: Card) => number> = {
  // No expected close date sorts last, as the API's coalesce to 9999-12-31 does.
  close: (a, b) => byText(a.expectedCloseDate ?? '9999-12-31', b.expectedCloseDate ?? '9999-12-31'),
  value: (a, b) => b.valueCents - a.valueCents,
  // Unscored last.
  risk: (a, b) => (b.risk?.score ?? -1) - (a.risk?.score ?? -1),
  // Longest in its stage first: the earliest stage change.
  age: (a, b) => byText(a.stageChangedAt, b.stageChangedAt),
  name: () => 0,
};

export function compareCards(sort: BoardSort): (a: Card, b: Card) => number {
  const key = byKey[sort];
  return (a, b) => key(a, b) || byText(a.name.toLowerCase(), b.name.toLowerCase()) || byText(a.id, b.id);
}
