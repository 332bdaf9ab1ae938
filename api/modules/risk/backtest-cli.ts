// `npm run backtest -- --org ORG_ID [--days N]`: the risk backtest on the server's database (same
// DATABASE_URL / DATA_DIR). Prints both AUCs and the win rate per band, then the full result as JSON.
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { organizations } from '../../../db/schema/index.ts';
import { systemActor } from '../../../core/roles.ts';
import { loadConfig } from '../../config.ts';
import { inTenant, systemClock } from '../../platform/tenancy/scope.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from '../../runtime.ts';
import { riskBacktest, type RiskBacktestReport } from './backtest.service.ts';

const usage = 'Usage: npm run backtest -- --org ORG_ID [--days N]   (N: days before close, default 7)';
class UsageError extends Error {}

async function main(argv: string[]): Promise<RiskBacktestReport> {
  const { values } = parseArgs({ args: argv, options: { org: { type: 'string' }, days: { type: 'string' } }, strict: true });
  if (!values.org || !/^[0-9a-f-]{36}$/i.test(values.org)) throw new UsageError('--org must be an organization id');
  const days = values.days === undefined ? 7 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new UsageError('--days must be a whole number from 1 to 365');
  const config = loadConfig();
  const busy = embeddedDatabaseInUse(config);
  if (busy) throw new UsageError(`The server (pid ${busy}) is using the embedded database in ${config.dataDir}; stop it first (or use Postgres via DATABASE_URL).`);
  const { database } = await openRuntime(config);
  const release = claimEmbeddedDatabase(config);
  try {
    const orgId = values.org;
    const [org] = await database.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
    if (!org) throw new UsageError(`No organization ${orgId}`);
    return await inTenant(database.db, systemClock, systemActor(orgId), (s) => riskBacktest(s, { daysBeforeClose: days }));
  } finally {
    await database.close();
    release();
  }
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const auc = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

main(process.argv.slice(2)).then(
  (r) => {
    console.log(`Closed deals: ${r.closedDeals}, scored ${r.daysBeforeClose} days before close: ${r.ours.n} (${r.ours.won} won, ${r.ours.lost} lost, ${r.ours.skipped} skipped)`);
    console.log(`AUC  ours ${auc(r.ours.auc)}   baseline ${auc(r.baseline.auc)}   ours with shuffled outcomes ${auc(r.oursShuffled.auc)}`);
    for (const [name, result] of [['ours', r.ours], ['baseline', r.baseline]] as const) {
      console.log(`Win rate by band (${name}): ${result.bands.map((b) => `${b.band} ${pct(b.winRate)} of ${b.deals}`).join(', ')}`);
    }
    console.log(JSON.stringify(r));
  },
  (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${usage}` : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
