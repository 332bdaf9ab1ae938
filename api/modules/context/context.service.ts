// Everything the sidebar shows for a thread, in one call: who these people are, their companies,
// their open deals, the latest activities, the open tasks and the thread's tracked messages.
//
// It is the hottest read in the product (every thread a rep opens), so it is one statement that
// builds its JSON answer in Postgres, kept in the function context_lookup() (db/functions/context-lookup.sql) so
// its plan is cached per connection: one round trip and no planning instead of eight queries.
// The shapes are the same as the record endpoints' (core/schemas); api_ts() prints times as they do.
import { sql } from 'drizzle-orm';
import { normalizeEmail } from '../../../core/email-address.ts';
import { seesAllDealsAndActivities } from '../../../core/roles.ts';
import type { ThreadContext } from '../../../core/schemas/context.ts';
import { rowsOf } from '../../../db/client.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { trackedSummaries } from '../tracking/tracking-summaries.service.ts';

// drizzle turns a JS array parameter into a row, so spell out the array.
const textArray = (values: string[]) => (values.length ? sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]` : sql`array[]::text[]`);

export async function threadContext(s: Scope, rawEmails: string[], messageIds: string[] = []): Promise<ThreadContext> {
  const emails = [...new Set(rawEmails.map(normalizeEmail).filter((e): e is string => e !== null))];
  const [row] = rowsOf<{ result: Omit<ThreadContext, 'unknownEmails' | 'tracking'> }>(
    await s.db.execute(
      sql`select context_lookup(${s.orgId}::uuid, ${textArray(emails)}, ${s.actor.userId}::uuid, ${seesAllDealsAndActivities(s.actor)}::boolean) as result`,
    ),
  );
  const context = row!.result;
  const known = new Set(context.contacts.map((c) => c.email.toLowerCase()));
  // Beside context_lookup() rather than inside it: tracked messages are keyed by host message ids,
  // not by the participants the function starts from.
  const tracking = messageIds.length ? await trackedSummaries(s, { messageIds }) : [];
  return { ...context, unknownEmails: emails.filter((e) => !known.has(e)), tracking };
}
