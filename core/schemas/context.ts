import { z } from 'zod';
import { Activity } from './activities.ts';
import { Company } from './companies.ts';
import { Contact } from './contacts.ts';
import { DealWithRisk } from './risk.ts';
import { TrackedMessageSummary } from './tracking.ts';

export const ContextQuery = z.object({
  emails: z
    .string()
    .max(5000)
    .transform((raw) => raw.split(',').map((e) => e.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(320)).min(1).max(50))
    .meta({ description: 'Comma-separated addresses of the thread\'s participants' }),
  messageIds: z
    .string()
    .max(20_000)
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(998)).max(100))
    .optional()
    .meta({ description: 'Comma-separated host message ids of the thread\'s messages: their tracking summaries come back in `tracking`' }),
});

export const ThreadContext = z
  .object({
    contacts: z.array(Contact),
    unknownEmails: z.array(z.string()).meta({ description: 'Addresses that match no contact' }),
    companies: z.array(Company),
    deals: z.array(DealWithRisk).meta({ description: 'Open deals of these contacts and their companies' }),
    activities: z.array(Activity).meta({ description: 'Latest activities, newest first' }),
    tasks: z.array(Activity).meta({ description: 'Open tasks, soonest due first' }),
    tracking: z.array(TrackedMessageSummary).meta({ description: 'Tracked messages among `messageIds` that you may see; empty without them' }),
  })
  .meta({ id: 'ThreadContext' });

export type ThreadContext = z.infer<typeof ThreadContext>;
