import { z } from 'zod';
import { Activity } from './activities.ts';
import { Company } from './companies.ts';
import { Contact } from './contacts.ts';
import { Deal } from './deals.ts';

export const ContextQuery = z.object({
  emails: z
    .string()
    .max(5000)
    .transform((raw) => raw.split(',').map((e) => e.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(320)).min(1).max(50))
    .meta({ description: 'Comma-separated addresses of the thread\'s participants' }),
});

export const ThreadContext = z
  .object({
    contacts: z.array(Contact),
    unknownEmails: z.array(z.string()).meta({ description: 'Addresses that match no contact' }),
    companies: z.array(Company),
    deals: z.array(Deal).meta({ description: 'Open deals of these contacts and their companies' }),
    activities: z.array(Activity).meta({ description: 'Latest activities, newest first' }),
    tasks: z.array(Activity).meta({ description: 'Open tasks, soonest due first' }),
  })
  .meta({ id: 'ThreadContext' });

export type ThreadContext = z.infer<typeof ThreadContext>;
