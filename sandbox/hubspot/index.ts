// startHubSpotSandbox: a local HubSpot that @hubspot/api-client can talk to (OAuth, private-app
// tokens, CRM v3/v4, rate limits, webhooks, faults), seeded with deterministic data. Development and tests only.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { submitConsent } from '../shared/consent.ts';
import { controlRoutes } from '../shared/control-routes.ts';
import { FaultBook, type Fault } from '../shared/faults.ts';
import { volumeCounts, type SandboxOptions, type Volume } from '../shared/options.ts';
import { serveSandbox, type CallRecord } from '../shared/server.ts';
import { HubSpotAuth, type HubSpotLimits } from './auth.ts';
import { crmRoutes, hubspotError } from './crm.ts';
import type { PropertyType } from './schema.ts';
import { seedHubSpot } from './seed.ts';
import { HsError, HubSpotStore, iso, type RejectIf } from './store.ts';
import { WebhookSender } from './webhooks.ts';

export { HUBSPOT_SANDBOX_APP } from './auth.ts';

export interface HubSpotSandboxOptions extends SandboxOptions {
  limits?: Partial<HubSpotLimits>;
  portalId?: number;
}

export interface HubSpotSandbox {
  url: string;
  control: HubSpotControl;
  close(): Promise<void>;
}

export type HubSpotControl = ReturnType<typeof makeControl>;

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const clock = options.clock ?? Date.now;
  const portalId = options.portalId ?? 4_000_001;
  const limits: HubSpotLimits = { perTenSeconds: 190, searchPerSecond: 5, daily: 250_000, latencyMs: 0, ...options.limits };
  const store = new HubSpotStore(clock);
  const auth = new HubSpotAuth(clock, limits, portalId);
  const webhooks = new WebhookSender(clock, portalId);
  const seeding = { seed: options.seed ?? 1, volume: options.volume ?? ('small' as Volume) };
  const faults = new FaultBook();
  const calls: CallRecord[] = [];
  const control = makeControl({ store, auth, webhooks, faults, calls, limits, seeding, clock });
  control.reset();
  const app = new Hono();
  app.route('/', auth.routes());
  app.route('/', controlRoutes(control, controlActions));
  app.route('/', crmRoutes(store, auth));
  const server = await serveSandbox(app.fetch, options.port ?? 0, {
    faults, clock, calls, inFlight: { count: 0 }, latencyMs: () => limits.latencyMs,
    faultResponse: (status) => hubspotError(faultError(status)),
  });
  return {
    url: server.url,
    control,
    close: async () => {
      webhooks.close();
      await server.close();
    },
  };
}

function faultError(status: number): HsError {
  if (status === 429) return new HsError(429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
  if (status === 401) return new HsError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 1 second(s) ago.');
  if (status === 502 || status === 503 || status === 504) return new HsError(status, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again later.');
  return new HsError(status, 'INTERNAL_ERROR', `internal error, reference: ${randomUUID()}`);
}

const controlActions = [
  'reset', 'seed', 'issueToken', 'expireAccessTokens', 'revokeGrant', 'fault', 'clearFaults', 'records', 'get', 'insert', 'update', 'remove',
  'deleteField', 'renameField', 'retypeField', 'addValidationRule', 'clearValidationRules', 'calls', 'clearCalls', 'counters', 'setLimits',
  'subscribeWebhooks', 'unsubscribeWebhooks', 'flushWebhooks', 'webhookDeliveries', 'privateAppToken', 'merge', 'associate',
] as const;

interface Parts {
  store: HubSpotStore; auth: HubSpotAuth; webhooks: WebhookSender; faults: FaultBook; calls: CallRecord[]; limits: HubSpotLimits;
  seeding: { seed: number; volume: Volume }; clock: () => number;
}

function makeControl({ store, auth, webhooks, faults, calls, limits, seeding, clock }: Parts) {
  const wire = (type: string, id: string) => {
    const record = store.records.get(store.type(type))?.get(id);
    return record ? { id: record.id, properties: { ...record.properties }, createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt), archived: record.archived } : null;
  };
  const property = (type: string, name: string) => {
    const def = store.property(store.type(type), name);
    if (!def) throw new Error(`${type} has no property ${name}`);
    return def;
  };
  return {
    /** Back to the seeded data; clears faults, rules, property changes, the call log and rate-limit usage. Tokens and the webhook subscription stay. */
    reset(): void {
      store.listeners = [];
      seedHubSpot(store, seeding.seed, volumeCounts(seeding.volume), clock());
      store.listeners = [webhooks.onChange];
      faults.clear();
      calls.length = 0;
      auth.resetUsage();
    },
    seed(next: { seed?: number; volume?: Volume } = {}): void {
      Object.assign(seeding, next);
      this.reset();
    },
    /** A private-app token: always valid, never expires (what a small team pastes in). */
    privateAppToken: () => auth.privateAppToken,
    /** OAuth tokens without the consent page. */
    issueToken: () => auth.issue(),
    expireAccessTokens: () => auth.expireAccessTokens(),
    revokeGrant: (refreshToken?: string) => auth.revokeGrant(refreshToken),
    fault: (fault: Fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    records: (type: string, options: { includeDeleted?: boolean } = {}) =>
      [...store.records.get(store.type(type))!.values()].filter((r) => options.includeDeleted || !r.archived).map((r) => wire(type, r.id)!),
    get: (type: string, id: string) => wire(type, id),
    /** Changes as a HubSpot user would make them: checked, with history, modification dates and webhooks. */
    insert: (type: string, properties: Record<string, unknown>) => store.create(store.type(type), properties, 'CRM_UI').id,
    update: (type: string, id: string, properties: Record<string, unknown>) => void store.update(store.type(type), id, properties, 'CRM_UI'),
    remove: (type: string, id: string) => store.archive(store.type(type), id, 'CRM_UI'),
    merge: (type: string, primaryId: string, mergeId: string) => store.merge(store.type(type), primaryId, mergeId, 'CRM_UI').id,
    associate: (fromType: string, fromId: string, toType: string, toId: string) => store.associate(store.type(fromType), fromId, store.type(toType), toId),
    deleteField(type: string, name: string): void {
      property(type, name);
      const t = store.type(type);
      store.properties[t] = store.properties[t].filter((p) => p.name !== name);
      for (const record of store.records.get(t)!.values()) delete record.properties[name];
    },
    renameField(type: string, from: string, to: string): void {
      const def = property(type, from);
      def.name = to;
      for (const record of store.records.get(store.type(type))!.values()) {
        record.properties[to] = record.properties[from] ?? null;
        delete record.properties[from];
      }
    },
    /** Changes a property's type or its options (stored values are kept as they are). */
    retypeField(type: string, name: string, change: { type?: PropertyType; options?: string[] }): void {
      const def = property(type, name);
      if (change.type) def.type = change.type;
      if (change.options) def.options = change.options.map((value) => ({ label: value, value }));
    },
    addValidationRule: (rule: { type: string; field: string; message: string; rejectIf: RejectIf }) => store.addRule(rule),
    clearValidationRules: () => void (store.rules = []),
    calls: (): CallRecord[] => [...calls],
    clearCalls: () => void (calls.length = 0),
    counters() {
      const byStatus: Record<string, number> = {};
      for (const call of calls) byStatus[call.status] = (byStatus[call.status] ?? 0) + 1;
      return { requests: calls.length, byStatus, rateLimited: byStatus['429'] ?? 0, limits: { ...limits }, faultsArmed: faults.list(), webhooksQueued: webhooks.queued() };
    },
    setLimits: (next: Partial<HubSpotLimits>) => void Object.assign(limits, next),
    subscribeWebhooks: (subscription: { url: string; events?: string[] }) => webhooks.subscribe(subscription),
    unsubscribeWebhooks: () => webhooks.unsubscribe(),
    flushWebhooks: () => webhooks.flush(),
    webhookDeliveries: () => [...webhooks.deliveries],
    /** What the user's browser does on the consent page; returns the redirect Location (code and state, or error). */
    consent: (authorizeUrl: string, decision: 'allow' | 'deny' = 'allow') => submitConsent(authorizeUrl, decision),
  };
}
