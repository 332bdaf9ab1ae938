// Starts the whole product on a configuration: migrate, seed the demo organization on an empty
// database, start the scheduled jobs, serve the API (and the demo inbox). `npm start` and the
// browser tests both use it.
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { seedDemoData } from '../db/demo-data.ts';
import { organizations } from '../db/schema/index.ts';
import { createApp } from './app.ts';
import { createCrmDeps } from './integrations/crm-deps.ts';
import { consumers, jobsFor } from './registry.ts';
import { listenChannel, openEventStream } from './platform/events/stream.ts';
import { inTenant, systemClock } from './platform/tenancy/scope.ts';
import { systemActor } from '../core/roles.ts';
import { startScheduler } from './platform/jobs/scheduler.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from './runtime.ts';
import { createPasswordUser } from './modules/identity/accounts.service.ts';
import { recomputeRisk } from './modules/risk/risk.service.ts';
import { HitBuffer } from './modules/tracking/hit-buffer.ts';
import { LiveHub } from './modules/live/live-hub.ts';
import { billingDeps } from './modules/billing/stripe-client.ts';
import { RateLimiter } from './platform/http/rate-limiter.ts';
import { DELIVERIES_CHANNEL, startDeliverySender, WEBHOOK_TIMEOUT_MS } from './modules/webhooks/delivery-sender.ts';
import { EndpointSecrets } from './modules/webhooks/endpoint-secrets.ts';
import { TokenVault } from './integrations/token-vault.ts';
import { MailSender } from './modules/mail/mail-sender.ts';
import { folderTransport, smtpTransport } from './modules/mail/transport.ts';

export interface RunningServer {
  url: string;
  port: number;
  /** Whether this start created the demo organization. */
  seeded: boolean;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const busy = embeddedDatabaseInUse(config);
  if (busy) throw new Error(`Another server (pid ${busy}) is using the embedded database in ${config.dataDir}. Stop it, or set DATA_DIR to another folder.`);
  const { database, auth } = await openRuntime(config, log);
  const release = claimEmbeddedDatabase(config);

  let seeded = false;
  if (config.demoData) {
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
    if (row?.n === 0) {
      const demo = await seedDemoData(database.db, { now: new Date(), createUser: async (u) => (await createPasswordUser({ db: database.db, auth, clock: systemClock }, u)).userId });
      // Seeded rows bypass the services, so score the open deals once here.
      await inTenant(database.db, systemClock, systemActor(demo.orgId), (s) => recomputeRisk(s, 'all-open'));
      seeded = true;
      log.info('demo organization created', { orgId: demo.orgId, users: demo.users.map((u) => `${u.email} (${u.role})`) });
    }
  }

  // Every committed change, announced by the database: wakes the events dispatcher at once.
  const stream = await openEventStream(database, log);
  // After migrations and the seed, so the first runs find scored deals. JOBS=false turns it off.
  const scheduler = config.jobs
    ? await startScheduler({ database, databaseUrl: config.databaseUrl, jobs: jobsFor(config), consumers, log, stream, pollingIntervalSeconds: 2 })
    : null;

  // Mail queued in mail_outbox goes out from here (JOBS=false: another process sends it). Without
  // SMTP_URL (development only; config refuses it in production) it is kept in DATA_DIR/mail for /dev/mail.
  const mailer = config.jobs
    ? new MailSender({
        db: database.db,
        transport: config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : folderTransport(config.mail.folder),
        from: config.mail.from,
        publicUrl: config.publicUrl,
        unsubscribeSecret: config.mail.unsubscribeSecret,
        log,
      })
    : null;
  mailer?.start();
  if (!config.mail.smtpUrl) log.warn('no SMTP_URL: mail is kept in the data folder, see /dev/mail', { folder: config.mail.folder });

  // Webhook and Slack deliveries the events' fan-out wrote, posted with retries (JOBS=false: another process sends them).
  // Signing secrets and Slack URLs are sealed at rest with the CRM tokens' keyring (CRM_TOKEN_KEYS).
  const outbound = { policy: config.webhooks, timeoutMs: WEBHOOK_TIMEOUT_MS, secrets: new EndpointSecrets(new TokenVault(config.crm.keyring)) };
  const sender = config.jobs
    ? startDeliverySender({ ...outbound, db: database.db, clock: systemClock, log, publicUrl: config.publicUrl, announcements: (onNew) => listenChannel(database, DELIVERIES_CHANNEL, onNew) })
    : null;

  // Its first settle pass also classifies hits a previous run wrote but had not settled yet.
  const hits = new HitBuffer({ db: database.db, log });
  hits.start();
  // Rate limits counted in Postgres, shared with every other process on the database.
  const limiter = new RateLimiter(database.db, { log });
  const protection = { trustedOrigins: config.trustedOrigins, trustProxy: config.trustProxy, limiter, limits: config.rateLimits, revealVerificationUrl: config.revealVerificationUrl };
  // Browsers following changes live (GET /api/v1/events), fed by this process's event stream.
  const live = new LiveHub({ db: database.db, clock: systemClock, log }, stream);
  const app = createApp(
    { db: database.db, auth, log, clock: systemClock, publicUrl: config.publicUrl, tracking: { ...config.tracking, hits, limiter }, protection, live, crm: createCrmDeps(config.crm), webhooks: outbound, billing: config.billing ? billingDeps(config.billing) : undefined, exports: { notifyAdminsAtRows: config.exportNotifyRows }, jobs: scheduler ?? undefined, mail: { unsubscribeSecret: config.mail.unsubscribeSecret, devFolder: config.mail.smtpUrl || config.env === 'production' ? undefined : config.mail.folder } },
    { demoInbox: config.demoInbox, outlook: { addinId: config.outlookAddinId } },
  );
  // TLS_CERT_FILE/TLS_KEY_FILE: https here (Outlook loads add-in pages only over https).
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, ...(config.tls ? { createServer: createHttpsServer, serverOptions: config.tls } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${config.tls ? 'https' : 'http'}://localhost:${port}`,
    port,
    seeded,
    close: async () => {
      // Live streams never end by themselves: end them, or closing the server would wait for them.
      live.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // After the last request, first (a shutdown may be cut short): tracking hits still in memory are written.
      await hits.drain();
      log.info('tracking hits drained', { ...hits.counters });
      await limiter.close();
      await sender?.stop();
      await mailer?.stop();
      // Running jobs finish (up to 30 s) while the database is still open.
      await scheduler?.stop().catch((err: unknown) => log.error('job scheduler did not stop cleanly', { error: String(err) }));
      await stream.close();
      await database.close().catch(() => undefined);
      release();
    },
  };
}
