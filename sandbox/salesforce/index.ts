// startSalesforceSandbox: a local Salesforce that jsforce can connect to (OAuth, REST, faults,
// limits), seeded with deterministic data. Development and tests only.
import { Hono } from 'hono';
import { submitConsent } from '../shared/consent.ts';
import { controlRoutes } from '../shared/control-routes.ts';
import { FaultBook, type Fault } from '../shared/faults.ts';
import { volumeCounts, type SandboxOptions, type Volume } from '../shared/options.ts';
import { serveSandbox, type CallRecord } from '../shared/server.ts';
import { SalesforceAuth, SALESFORCE_SANDBOX_ORG_ID } from './auth.ts';
import { errorResponse, SalesforceRest, type SalesforceLimits } from './rest.ts';
import type { FieldType } from './schema.ts';
import { seedSalesforce } from './seed.ts';
import { SalesforceStore, SfError, type RejectIf, type SfRecord } from './store.ts';

export { SALESFORCE_SANDBOX_CLIENT, SALESFORCE_SANDBOX_ORG_ID } from './auth.ts';

export interface SalesforceSandboxOptions extends SandboxOptions {
  limits?: Partial<SalesforceLimits>;
  /** Refuse an authorization code flow without a PKCE challenge (default true). */
  requirePkce?: boolean;
}

export interface SalesforceSandbox {
  url: string;
  control: SalesforceControl;
  close(): Promise<void>;
}

export type SalesforceControl = ReturnType<typeof makeControl>;

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const clock = options.clock ?? Date.now;
  const limits: SalesforceLimits = { dailyApiRequests: 15_000, concurrency: 25, latencyMs: 0, ...options.limits };
  const store = new SalesforceStore(clock);
  const seeding = { seed: options.seed ?? 1, volume: options.volume ?? ('small' as Volume) };
  seedSalesforce(store, seeding.seed, volumeCounts(seeding.volume), clock());
  const adminUserId = () => store.all('User')[0]?.Id as string;
  const auth = new SalesforceAuth(clock, { requirePkce: options.requirePkce ?? true, userId: adminUserId });
  const faults = new FaultBook();
  const calls: CallRecord[] = [];
  const inFlight = { count: 0 };
  const rest = new SalesforceRest(store, auth, clock, limits, inFlight);
  const app = new Hono({ strict: false });
  let url = '';
  const control = makeControl({ store, auth, faults, calls, rest, limits, seeding, clock, adminUserId, url: () => url });
  app.route('/', auth.routes(() => url));
  app.route('/', controlRoutes(control, controlActions));
  app.get('/id/:org/:user', (c) => {
    const auth = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    if (!control.sessionUser(auth)) return errorResponse(new SfError(403, 'Bad_OAuth_Token', 'Bad_OAuth_Token'));
    const user = store.get('User', c.req.param('user'));
    if (!user) return errorResponse(new SfError(404, 'NOT_FOUND', 'The requested resource does not exist'));
    return c.json({ id: `${url}/id/${SALESFORCE_SANDBOX_ORG_ID}/${user.Id}`, user_id: user.Id, organization_id: SALESFORCE_SANDBOX_ORG_ID, username: user.Username, display_name: user.Name, email: user.Email, active: true });
  });
  app.route('/', rest.routes());
  const server = await serveSandbox(app.fetch, options.port ?? 0, {
    faults, clock, calls, inFlight, latencyMs: () => limits.latencyMs,
    faultResponse: (status) => errorResponse(faultError(status)),
  });
  url = server.url;
  return { url, control, close: server.close };
}

function faultError(status: number): SfError {
  if (status === 401) return new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  if (status === 403 || status === 429) return new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  if (status === 502 || status === 503) return new SfError(status, 'SERVER_UNAVAILABLE', 'Server is temporarily unavailable; try again later');
  return new SfError(status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567-89 (-1)');
}

const controlActions = [
  'reset', 'seed', 'issueToken', 'expireAccessTokens', 'revokeGrant', 'fault', 'clearFaults', 'records', 'get', 'insert', 'update', 'remove',
  'deleteField', 'renameField', 'retypeField', 'addValidationRule', 'clearValidationRules', 'calls', 'clearCalls', 'counters', 'setLimits',
] as const;

interface Parts {
  store: SalesforceStore; auth: SalesforceAuth; faults: FaultBook; calls: CallRecord[]; rest: SalesforceRest; limits: SalesforceLimits;
  seeding: { seed: number; volume: Volume }; clock: () => number; adminUserId: () => string; url: () => string;
}

function makeControl({ store, auth, faults, calls, rest, limits, seeding, clock, adminUserId, url }: Parts) {
  const wire = (type: string, record: SfRecord | undefined) => record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k, store.field(type, k)?.type === 'datetime' && typeof v === 'number' ? new Date(v).toISOString() : v]));
  return {
    /** Back to the seeded data; clears faults, validation rules, schema changes, cursors, the call log and usage. Tokens stay valid. */
    reset(): void {
      seedSalesforce(store, seeding.seed, volumeCounts(seeding.volume), clock());
      faults.clear();
      calls.length = 0;
      rest.cursors.clear();
      rest.usage = { day: 0, count: 0 };
    },
    seed(next: { seed?: number; volume?: Volume } = {}): void {
      Object.assign(seeding, next);
      this.reset();
    },
    /** A direct token, as an admin would copy from a session: use it with instanceUrl. */
    issueToken(): { accessToken: string; refreshToken: string; instanceUrl: string; id: string } {
      const { accessToken, refreshToken } = auth.issue(adminUserId(), true);
      return { accessToken, refreshToken: refreshToken!, instanceUrl: url(), id: `${url()}/id/${SALESFORCE_SANDBOX_ORG_ID}/${adminUserId()}` };
    },
    sessionUser: (token: string | undefined) => auth.check(token)?.userId ?? null,
    expireAccessTokens: () => auth.expireAccessTokens(),
    revokeGrant: (refreshToken?: string) => auth.revokeGrant(refreshToken),
    fault: (fault: Fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    /** Records as stored (datetimes as ISO strings); deleted ones only with includeDeleted. */
    records: (type: string, options: { includeDeleted?: boolean } = {}) => store.all(type, options.includeDeleted).map((r) => wire(type, r)!),
    get: (type: string, id: string) => wire(type, store.get(type, id, true)) ?? null,
    /** Changes as a Salesforce user would make them (checks, history, modstamps). */
    insert: (type: string, fields: Record<string, unknown>) => store.insert(type, fields, adminUserId()),
    update: (type: string, id: string, fields: Record<string, unknown>) => store.update(type, id, fields, adminUserId()),
    remove: (type: string, id: string) => store.remove(type, id),
    deleteField(type: string, name: string): void {
      const object = store.object(type);
      object.fields = object.fields.filter((f) => f.name !== name);
      for (const record of store.all(object.name, true)) delete record[name];
    },
    renameField(type: string, from: string, to: string): void {
      const object = store.object(type);
      const def = object.fields.find((f) => f.name === from);
      if (!def) throw new Error(`${type} has no field ${from}`);
      def.name = to;
      def.label = to;
      for (const record of store.all(object.name, true)) {
        record[to] = record[from] ?? null;
        delete record[from];
      }
    },
    /** Changes a field's type (values that no longer fit are kept as they are) or its picklist values. */
    retypeField(type: string, name: string, change: { type?: FieldType; options?: string[] }): void {
      const def = store.object(type).fields.find((f) => f.name === name);
      if (!def) throw new Error(`${type} has no field ${name}`);
      if (change.type) def.type = change.type;
      if (change.options) def.picklistValues = change.options;
    },
    addValidationRule: (rule: { type: string; field: string; message: string; rejectIf: RejectIf }) => store.addRule(rule),
    clearValidationRules: () => void (store.rules = []),
    calls: (): CallRecord[] => [...calls],
    clearCalls: () => void (calls.length = 0),
    counters() {
      const byStatus: Record<string, number> = {};
      for (const call of calls) byStatus[call.status] = (byStatus[call.status] ?? 0) + 1;
      return { requests: calls.length, byStatus, apiUsage: rest.used(), dailyApiRequests: limits.dailyApiRequests, openCursors: rest.cursors.size, faultsArmed: faults.list() };
    },
    setLimits: (next: Partial<SalesforceLimits>) => void Object.assign(limits, next),
    /** What the user's browser does on the consent page; returns the redirect Location (code and state, or error). */
    consent: (authorizeUrl: string, decision: 'allow' | 'deny' = 'allow') => submitConsent(authorizeUrl, decision),
  };
}
