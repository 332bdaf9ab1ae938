// The filters every list of deals shares (the deal list, the board, the table's CSV export), as
// query parameters. Apart from the other deal schemas so deals.ts and board.ts can both use them.
import { z } from 'zod';
import { DateOnly, Id, shortText } from './common.ts';

// The risk bands, as core/risk/types.ts names them (schemas/risk.ts imports deals.ts, which imports this).
const RiskBand = z.enum(['low', 'medium', 'high']);
const Percent = z.coerce.number().int().min(0).max(100);
const Cents = z.coerce.number().int().min(0).max(1e15);

/** Filters on deals, as query parameters: every one optional, all of them ANDed. */
export const dealFilterFields = {
  q: z.string().max(200).optional().meta({ description: 'Words the deal\'s name must contain, each matched at the start of a word (case-insensitive)' }),
  ownerId: Id.optional(),
  teamId: Id.optional().meta({ description: 'Deals owned by members of this team' }),
  stage: Id.optional(),
  minProbability: Percent.optional(),
  maxProbability: Percent.optional(),
  minValueCents: Cents.optional(),
  maxValueCents: Cents.optional(),
  closeFrom: DateOnly.optional().meta({ description: 'Expected close date on or after this day' }),
  closeTo: DateOnly.optional().meta({ description: 'Expected close date on or before this day' }),
  risk: RiskBand.optional().meta({ description: 'Open deals whose stored risk is in this band' }),
  source: shortText(100).optional().meta({ description: 'Where the deal came from, exactly as stored (e.g. inbound, referral)' }),
};
export const DealFilters = z.object(dealFilterFields);
export type DealFilters = z.infer<typeof DealFilters>;

