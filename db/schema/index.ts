// The whole data model, split by domain. Tenant tables carry org_id and are protected by
// row-level security, enabled in the hand-written parts of db/migrations (policies, the app_user
// role, grants, the contact search trigger) so it reads as plain SQL.
import * as auth from './auth.ts';
import * as automation from './automation.ts';
import * as billing from './billing.ts';
import * as crm from './crm.ts';
import * as emails from './emails.ts';
import * as events from './events.ts';
import * as imports from './imports.ts';
import * as notifications from './notifications.ts';
import * as notify from './notify.ts';
import * as onboarding from './onboarding.ts';
import * as protection from './protection.ts';
import * as records from './records.ts';
import * as risk from './risk.ts';
import * as tenancy from './tenancy.ts';
import * as tracking from './tracking.ts';
import * as webhooks from './webhooks.ts';

export * from './auth.ts';
export * from './automation.ts';
export * from './billing.ts';
export * from './crm.ts';
export * from './emails.ts';
export * from './events.ts';
export * from './imports.ts';
export * from './notifications.ts';
export * from './notify.ts';
export * from './onboarding.ts';
export * from './protection.ts';
export * from './records.ts';
export * from './risk.ts';
export * from './tenancy.ts';
export * from './tracking.ts';
export * from './webhooks.ts';

const { orgId: _orgId, ...tenancyTables } = tenancy;
export const schema = { ...auth, ...tenancyTables, ...records, ...emails, ...risk, ...notifications, ...notify, ...tracking, ...events, ...protection, ...webhooks, ...billing, ...crm, ...imports, ...automation, ...onboarding };
