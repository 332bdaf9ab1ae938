// `npm run events:replay -- --from ISO --to ISO [--org ORG_ID] [--consumer NAME ...]`: hands the
// domain events of a time range to their consumers again (see api/platform/events/replay.ts), through the server's
// dispatcher. Prints one line of JSON. With the embedded database, stop the server first; the
// events go out when it starts again.
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { consumers } from './registry.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from './runtime.ts';
import { replayEvents } from './platform/events/replay.ts';

const usage = 'Usage: npm run events:replay -- --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z [--org ORG_ID] [--consumer NAME ...]';
class UsageError extends Error {}

function instant(value: string | undefined, name: string): Date {
  const at = value ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} must be a date and time, e.g. 2026-12-01T00:00:00Z`);
  return at;
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, org: { type: 'string' }, consumer: { type: 'string', multiple: true } },
    strict: true,
  });
  const from = instant(values.from, 'from');
  const to = instant(values.to, 'to');
  if (from >= to) throw new UsageError('--from must be before --to');
  if (values.org && !/^[0-9a-f-]{36}$/i.test(values.org)) throw new UsageError('--org must be an organization id');
  const known = new Set(consumers.map((c) => c.name));
  const unknown = (values.consumer ?? []).filter((c) => !known.has(c));
  if (unknown.length) throw new UsageError(`Unknown consumer ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  const config = loadConfig();
  const busy = embeddedDatabaseInUse(config);
  if (busy) throw new UsageError(`The server (pid ${busy}) is using the embedded database in ${config.dataDir}; stop it first (or use Postgres via DATABASE_URL).`);
  const { database } = await openRuntime(config);
  const release = claimEmbeddedDatabase(config);
  try {
    return await replayEvents(database.db, { from, to, orgId: values.org, consumers: values.consumer });
  } finally {
    await database.close();
    release();
  }
}

main(process.argv.slice(2)).then(
  (result) => console.log(JSON.stringify(result)),
  (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${usage}` : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
