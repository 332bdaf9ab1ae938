// Composes the API: auth, one router per resource under /api/v1, the OpenAPI document and its
// reference page. Everything the handlers need comes in through createApp, so tests build an app
// on their own database.
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../core/errors.ts';
import { demoInboxEnabled } from './config.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { errorBody, handleError, validationFailed } from './platform/http/errors.ts';
import { authenticate } from './modules/identity/authenticate.middleware.ts';
import { idempotency } from './platform/http/idempotency.ts';
import { limitCredentialAttempts } from './platform/http/protection.ts';
import { requestGuard } from './platform/http/request-guard.ts';
import { accountRoutes, publicAccountRoutes } from './modules/identity/account.routes.ts';
import { activityRoutes, taskRoutes } from './modules/records/activities.routes.ts';
import { companyRoutes } from './modules/records/companies.routes.ts';
import { contactRoutes } from './modules/records/contacts.routes.ts';
import { contextRoutes } from './modules/context/context.routes.ts';
import { dealRoutes } from './modules/records/deals.routes.ts';
import { dealBoardRoutes } from './modules/records/deal-board.routes.ts';
import { adminRoutes } from './modules/records/admin.routes.ts';
import { liveRoutes } from './modules/live/live.routes.ts';
import { emailRoutes } from './modules/emails/emails.routes.ts';
import { pipelineRoutes } from './modules/pipelines/pipelines.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { notificationPreferenceRoutes } from './modules/notification-preferences/notification-preferences.routes.ts';
import { devMailRoutes, unsubscribeRoutes } from './modules/mail/mail-public.routes.tsx';
import { reportRoutes } from './modules/reports/reports.routes.ts';
import { riskRoutes } from './modules/risk/risk.routes.ts';
import { trackingPublicRoutes } from './modules/tracking/tracking-public.routes.ts';
import { trackingRoutes } from './modules/tracking/tracking.routes.ts';
import { slackRoutes } from './modules/slack/slack.routes.ts';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.ts';
import { workflowRoutes } from './modules/automation/workflows.routes.ts';
import { docsRoutes } from './platform/http/docs.routes.ts';
import { crmRoutes } from './modules/crm/crm.routes.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { onboardingRoutes } from './modules/onboarding/onboarding.routes.ts';
import { importRoutes, IMPORT_UPLOAD_PATH } from './modules/imports/imports.routes.ts';
import type { Context } from 'hono';
import { billingGuard } from './modules/billing/billing-guard.middleware.ts';
import { billingRoutes } from './modules/billing/billing.routes.ts';
import { billingWebhookRoutes } from './modules/billing/billing-webhook.routes.ts';
import { demoInboxRoutes, type DemoInboxRouteOptions } from './modules/demo/demo.routes.ts';
import { outlookRoutes, type OutlookRouteOptions } from './modules/outlook/outlook.routes.ts';
import { dashboardRoutes, type DashboardRouteOptions } from './modules/dashboard/dashboard.routes.ts';

const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** The demo inbox page at /demo/inbox/: on, off, or on from another build folder (tests). Default: DEMO_INBOX. */
  demoInbox?: boolean | DemoInboxRouteOptions;
  /** The web app at /app/ (and / leading to it): on (default), off, or from another build folder (tests). */
  dashboard?: boolean | DashboardRouteOptions;
  /** The Outlook add-in at /outlook/ and its manifest: the add-in id (OUTLOOK_ADDIN_ID) and, in tests, another build folder. */
  outlook?: Omit<OutlookRouteOptions, 'publicUrl'>;
}

export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: (result, c) => (result.success ? undefined : validationFailed(result.error, c)) });
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`), 404));
  // The pixel, click and opt-out paths, on the tracking base URL's path (the root by default). First,
  // ahead of every middleware: the pixel is the hottest path and needs none of them.
  if (deps.tracking) app.route(new URL(deps.tracking.baseUrl).pathname.replace(/\/$/, '') || '/', trackingPublicRoutes(deps.db, deps.tracking));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // A CSV upload (POST /api/v1/imports) is streamed, with its own size limit and encoding checks (api/modules/imports/csv-reader.ts).
  const streamedUpload = (c: Context) => c.req.method === 'POST' && c.req.path === IMPORT_UPLOAD_PATH;
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`); } });
  app.use('/api/*', (c, next) => (streamedUpload(c) ? next() : limitBody(c, next)));
  // Non-UTF-8 bodies and NUL characters are refused here, for every route at once.
  app.use('/api/*', (c, next) => (streamedUpload(c) ? next() : requestGuard(c, next)));

  // better-auth's own endpoints (cookie sign-in, sign-up, verification, password changes) count
  // against the same credential limits as /api/v1's.
  app.use('/api/auth/*', limitCredentialAttempts);
  app.on(['GET', 'POST'], '/api/auth/*', (c) => deps.auth.handler(c.req.raw));

  const v1 = new OpenAPIHono<AppEnv>({ defaultHook: (result, c) => (result.success ? undefined : validationFailed(result.error, c)) });
  for (const path of ['/signup', '/session', '/invitations/accept']) v1.use(path, limitCredentialAttempts);
  v1.route('/', publicAccountRoutes);
  // Stripe's webhook signs the raw body and carries no session: ahead of authentication.
  if (deps.billing) v1.route('/', billingWebhookRoutes(deps.billing));
  v1.route('/', docsRoutes(v1));
  v1.use('*', authenticate);
  v1.use('*', idempotency);
  // With billing on: a read-only organization's writes and writes past the plan's limits are refused here.
  v1.use('*', billingGuard);
  v1.route('/', accountRoutes);
  // riskRoutes and dealBoardRoutes before dealRoutes: /deals/at-risk, /deals/board, … must not be taken for /deals/{id}.
  for (const routes of [contactRoutes, companyRoutes, riskRoutes, dealBoardRoutes, dealRoutes, activityRoutes, taskRoutes, emailRoutes, contextRoutes, pipelineRoutes, notificationRoutes, notificationPreferenceRoutes, reportRoutes, adminRoutes, liveRoutes, webhookRoutes, slackRoutes, crmRoutes, exportRoutes, onboardingRoutes, workflowRoutes, importRoutes]) {
    v1.route('/', routes);
  }
  if (deps.tracking) v1.route('/', trackingRoutes(deps.tracking));
  v1.route('/', billingRoutes(deps.billing));
  app.route('/api/v1', v1);


  if (deps.mail) app.route('/', unsubscribeRoutes(deps.mail.unsubscribeSecret));
  if (deps.mail?.devFolder) app.route('/', devMailRoutes(deps.mail.devFolder));

  const dashboard = options.dashboard ?? true;
  if (dashboard) app.route('/', dashboardRoutes(dashboard === true ? {} : dashboard));

  app.route('/', outlookRoutes({ publicUrl: deps.publicUrl, ...options.outlook }));

  const demoInbox = options.demoInbox ?? demoInboxEnabled();
  if (demoInbox) {
    const imageOrigins = deps.tracking ? [new URL(deps.tracking.baseUrl).origin] : [];
    app.route('/', demoInboxRoutes({ imageOrigins, ...(demoInbox === true ? {} : demoInbox) }));
  }
  return app;
}

