// With billing on, every write is checked here, in one place: a read-only organization (a failed
// payment past its grace period) refuses all writes but those that lead to paying, and the writes a
// plan limits (new contacts, deals, members, features) are refused past the plan's limit. Reads
// are never refused, and nothing already stored is hidden: only new writes past a limit fail.
import type { MiddlewareHandler } from 'hono';
import type { FeatureName, LimitName } from '../../../core/billing/plans.ts';
import type { AppEnv } from '../../env.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { assertMayAdd, assertMayUse, assertWritable } from './billing.service.ts';

type Check = { limit: LimitName } | { feature: FeatureName };

// method + path (under /api/v1) → what it would add. Other modules' creating routes join this table.
const checks: { method: string; path: RegExp; check: Check }[] = [
  { method: 'POST', path: /^\/contacts$/, check: { limit: 'contacts' } },
  { method: 'POST', path: /^\/contacts\/[^/]+\/restore$/, check: { limit: 'contacts' } },
  { method: 'POST', path: /^\/deals$/, check: { limit: 'openDeals' } },
  { method: 'POST', path: /^\/deals\/[^/]+\/restore$/, check: { limit: 'openDeals' } },
  { method: 'POST', path: /^\/invitations$/, check: { limit: 'members' } },
  { method: 'POST', path: /^\/members\/[^/]+\/reactivate$/, check: { limit: 'members' } },
  { method: 'PATCH', path: /^\/risk\/settings$/, check: { feature: 'riskSettings' } },
  { method: 'PUT', path: /^\/risk\/settings$/, check: { feature: 'riskSettings' } },
  { method: 'POST', path: /^\/risk\/settings\/preview$/, check: { feature: 'riskSettings' } },
  { method: 'POST', path: /^\/webhooks(\/|$)/, check: { feature: 'webhooks' } },
  { method: 'POST', path: /^\/slack(\/|$)/, check: { feature: 'slack' } },
  { method: 'POST', path: /^\/workflows(\/|$)/, check: { feature: 'workflows' } },
  { method: 'POST', path: /^\/(crm|integrations)(\/|$)/, check: { feature: 'crmSync' } },
];

// What a read-only organization may still do: pay (billing), sign out.
const alwaysAllowed = [/^\/billing(\/|$)/, /^\/session$/];

export const billingGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (!c.var.deps.billing || method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
  const path = c.req.path.replace(/^\/api\/v1/, '');
  if (alwaysAllowed.some((p) => p.test(path))) return next();
  const check = checks.find((k) => k.method === method && k.path.test(path))?.check;
  await inRequestTenant(c, async (s) => {
    await assertWritable(s);
    if (check && 'limit' in check) await assertMayAdd(s, check.limit);
    if (check && 'feature' in check) await assertMayUse(s, check.feature);
  });
  return next();
};
