// The CSV exports' query parameters: each list's own filters (so the page's current filters export
// as they are), without paging, which the export does itself.
import { z } from 'zod';
import { ActivityListQuery } from './activities.ts';
import { CompanyListQuery } from './companies.ts';
import { ContactListQuery } from './contacts.ts';
import { DateOnly } from './common.ts';
import { DealListQuery } from './deals.ts';

const paging = { limit: true, cursor: true, deleted: true } as const;

export const ContactExportQuery = ContactListQuery.omit(paging).strict();
export const CompanyExportQuery = CompanyListQuery.omit(paging).strict();
export const ActivityExportQuery = ActivityListQuery.omit(paging).strict();
export const DealsExportQuery = DealListQuery.omit({ ...paging, status: true })
  .extend({
    status: z.enum(['open', 'won', 'lost', 'all']).default('all'),
    closedSince: DateOnly.optional().meta({ description: 'Won and lost deals only when closed on or after this day (the board\'s closedSince exports exactly the board\'s deals)' }),
  })
  .strict();

export type ContactExportQuery = z.infer<typeof ContactExportQuery>;
export type CompanyExportQuery = z.infer<typeof CompanyExportQuery>;
export type ActivityExportQuery = z.infer<typeof ActivityExportQuery>;
export type DealsExportQuery = z.infer<typeof DealsExportQuery>;
