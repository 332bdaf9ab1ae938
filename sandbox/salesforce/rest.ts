// The REST API under /services/data/vNN.0: query and queryAll with cursors, sObject describe and
// CRUD, collections, get updated / get deleted, limits; usage counted into Sforce-Limit-Info.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Clock } from '../shared/options.ts';
import type { SalesforceAuth } from './auth.ts';
import { allColumns, runSoql, toWire, type Column } from './query.ts';
import type { FieldDef } from './schema.ts';
import { parseSoql } from './soql.ts';
import { formatSalesforceDateTime, parseSalesforceDateTime, SfError, type SalesforceStore } from './store.ts';

export interface SalesforceLimits { dailyApiRequests: number; concurrency: number; latencyMs: number }
interface Cursor { type: string; ids: string[]; columns: Column[]; batchSize: number; lastUsed: number; includeDeleted: boolean }
type Env = { Variables: { userId: string; version: string } };

const cursorIdleMs = 15 * 60_000;
const day = 86_400_000;

export class SalesforceRest {
  usage = { day: 0, count: 0 };
  cursors = new Map<string, Cursor>();

  constructor(
    private readonly store: SalesforceStore,
    private readonly auth: SalesforceAuth,
    private readonly clock: Clock,
    readonly limits: SalesforceLimits,
    private readonly inFlight: { count: number },
  ) {}

  used(): number {
    return Math.floor(this.clock() / day) === this.usage.day ? this.usage.count : 0;
  }

  routes(): Hono<Env> {
    const app = new Hono<Env>({ strict: false });
    app.onError((error) => {
      if (error instanceof SfError) return errorResponse(error);
      return errorResponse(new SfError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${error.message}`));
    });

    app.use('/services/data/*', async (c, next) => {
      const token = c.req.header('authorization')?.replace(/^(Bearer|OAuth)\s+/i, '');
      const session = this.auth.check(token);
      if (!session) throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      const today = Math.floor(this.clock() / day);
      if (this.usage.day !== today) this.usage = { day: today, count: 0 };
      const usage = () => `api-usage=${this.usage.count}/${this.limits.dailyApiRequests}`;
      const refuse = (message: string) => {
        const response = errorResponse(new SfError(403, 'REQUEST_LIMIT_EXCEEDED', message));
        response.headers.set('Sforce-Limit-Info', usage());
        return response;
      };
      if (this.usage.count >= this.limits.dailyApiRequests) return refuse('TotalRequests Limit exceeded.');
      if (this.inFlight.count > this.limits.concurrency) return refuse('ConcurrentPerOrgLongTxn Limit exceeded.');
      this.usage.count++;
      c.set('userId', session.userId);
      await next();
      c.res.headers.set('Sforce-Limit-Info', usage());
    });
    app.get('/services/data', (c) => c.json([{ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' }]));

    const v = '/services/data/:version{v[0-9]+\\.0}';
    const version = (c: Context<Env>) => c.req.param('version')!.slice(1);

    app.get(`${v}/limits`, (c) => c.json({
      DailyApiRequests: { Max: this.limits.dailyApiRequests, Remaining: Math.max(0, this.limits.dailyApiRequests - this.usage.count) },
      ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
      DataStorageMB: { Max: 1024, Remaining: 1000 },
    }));

    const query = (includeDeleted: boolean) => (c: Context<Env>) => {
      const soql = parseSoql(c.req.query('q') ?? '');
      const result = runSoql(this.store, soql, includeDeleted);
      if (soql.count) return c.json({ totalSize: result.ids.length, done: true, records: [] });
      const requested = Number(/batchSize=(\d+)/i.exec(c.req.header('sforce-query-options') ?? '')?.[1] ?? 2000);
      const batchSize = Math.min(2000, Math.max(200, requested));
      const cursor: Cursor = { type: result.type, ids: result.ids, columns: result.columns, batchSize, lastUsed: this.clock(), includeDeleted };
      const id = `01g5g${randomBytes(8).toString('hex')}`;
      if (result.ids.length > batchSize) this.cursors.set(id, cursor);
      return c.json(this.page(cursor, id, 0, version(c)));
    };
    app.get(`${v}/query`, query(false));
    app.get(`${v}/queryAll`, query(true));
    const more = (c: Context<Env>) => {
      const locator = c.req.param('locator')!;
      const dash = locator.lastIndexOf('-');
      const cursor = this.cursors.get(locator.slice(0, dash));
      const position = Number(locator.slice(dash + 1));
      if (!cursor || this.clock() - cursor.lastUsed > cursorIdleMs || !Number.isInteger(position)) throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      cursor.lastUsed = this.clock();
      return c.json(this.page(cursor, locator.slice(0, dash), position, version(c)));
    };
    app.get(`${v}/query/:locator`, more);
    app.get(`${v}/queryAll/:locator`, more);

    app.get(`${v}/sobjects`, (c) => c.json({
      encoding: 'UTF-8', maxBatchSize: 200,
      sobjects: [...this.store.objects.values()].map((o) => ({ name: o.name, label: o.label, labelPlural: o.labelPlural, keyPrefix: o.keyPrefix, createable: o.createable, updateable: o.createable, deletable: o.createable, queryable: true, custom: false })),
    }));
    app.get(`${v}/sobjects/:type/describe`, (c) => c.json(this.describe(c.req.param('type'))));
    app.get(`${v}/sobjects/:type/updated`, (c) => {
      const type = this.store.object(c.req.param('type')).name;
      const { start, end } = this.window(c, 30);
      const ids = this.store.all(type, true).filter((r) => !r.IsDeleted && (r.SystemModstamp as number) >= start && (r.SystemModstamp as number) < end).map((r) => r.Id);
      return c.json({ ids, latestDateCovered: formatSalesforceDateTime(end) });
    });
    app.get(`${v}/sobjects/:type/deleted`, (c) => {
      const type = this.store.object(c.req.param('type')).name;
      const { start, end } = this.window(c, 15);
      const deletedRecords = this.store.deletions
        .filter((d) => d.type === type && d.deletedDate >= start && d.deletedDate < end && this.store.get(type, d.id, true)?.IsDeleted)
        .map((d) => ({ id: d.id, deletedDate: formatSalesforceDateTime(d.deletedDate) }));
      return c.json({ deletedRecords, earliestDateAvailable: formatSalesforceDateTime(this.clock() - 15 * day), latestDateCovered: formatSalesforceDateTime(end) });
    });
    app.get(`${v}/sobjects/:type`, (c) => {
      const object = this.store.object(c.req.param('type'));
      return c.json({ objectDescribe: { name: object.name, label: object.label, keyPrefix: object.keyPrefix, createable: object.createable }, recentItems: [] });
    });
    app.post(`${v}/sobjects/:type`, async (c) => {
      const id = this.store.insert(c.req.param('type'), await body(c), c.get('userId'));
      return c.json({ id, success: true, errors: [] }, 201);
    });
    app.get(`${v}/sobjects/:type/:id`, (c) => {
      const type = this.store.object(c.req.param('type')).name;
      const record = this.store.get(type, c.req.param('id'));
      if (!record) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return c.json(toWire(this.store, type, record, this.columns(type, c.req.query('fields')), version(c)));
    });
    app.patch(`${v}/sobjects/:type/:id`, async (c) => {
      this.store.update(c.req.param('type'), c.req.param('id'), await body(c), c.get('userId'));
      return c.body(null, 204);
    });
    app.delete(`${v}/sobjects/:type/:id`, (c) => {
      this.store.remove(c.req.param('type'), c.req.param('id'));
      return c.body(null, 204);
    });

    app.post(`${v}/composite/sobjects`, async (c) => c.json(this.collection(await body(c), (r) => this.store.insert(recordType(r), r, c.get('userId')))));
    app.patch(`${v}/composite/sobjects`, async (c) => c.json(this.collection(await body(c), (r) => {
      const id = String(r.id ?? r.Id ?? '');
      if (!id) throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      this.store.update(recordType(r), id, r, c.get('userId'));
      return id;
    })));
    app.delete(`${v}/composite/sobjects`, (c) => {
      const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean);
      const records = ids.map((id) => ({ id, attributes: { type: this.store.typeOfId(id) ?? '' } }));
      return c.json(this.collection({ allOrNone: c.req.query('allOrNone') === 'true', records }, (r) => {
        const type = this.store.typeOfId(String(r.id));
        if (!type) throw new SfError(400, 'MALFORMED_ID', `malformed id ${String(r.id)}`);
        this.store.remove(type, String(r.id));
        return String(r.id);
      }));
    });
    app.get(`${v}/composite/sobjects/:type`, (c) => {
      const type = this.store.object(c.req.param('type')).name;
      const columns = this.columns(type, c.req.query('fields'));
      const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean);
      return c.json(ids.map((id) => {
        const record = this.store.get(type, id);
        return record ? toWire(this.store, type, record, columns, version(c)) : null;
      }));
    });
    return app;
  }

  private page(cursor: Cursor, id: string, position: number, version: string) {
    const slice = cursor.ids.slice(position, position + cursor.batchSize);
    // Later pages re-read their rows: a record deleted since the query started is left out of
    // them (queryAll shows it with IsDeleted true), so a page can be short of batchSize.
    const records = slice
      .map((rid) => this.store.get(cursor.type, rid, cursor.includeDeleted))
      .filter((r) => r !== undefined)
      .map((r) => toWire(this.store, cursor.type, r, cursor.columns, version));
    const next = position + cursor.batchSize;
    const done = next >= cursor.ids.length;
    if (done) this.cursors.delete(id);
    return { totalSize: cursor.ids.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${next}` }), records };
  }

  private columns(type: string, fields: string | undefined): Column[] {
    if (!fields) return allColumns(this.store, type);
    return fields.split(',').map((name) => {
      const def = this.store.field(type, name.trim());
      if (!def) throw new SfError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity '${type}'.`);
      return { path: def.name, field: def.name };
    });
  }

  private window(c: Context<Env>, maxDays: number) {
    const start = parseSalesforceDateTime(c.req.query('start') ?? '');
    const end = parseSalesforceDateTime(c.req.query('end') ?? '');
    if (Number.isNaN(start) || Number.isNaN(end)) throw new SfError(400, 'INVALID_REPLICATION_DATE', 'start and end must be dateTimes (yyyy-MM-ddTHH:mm:ss+00:00)');
    if (end <= start) throw new SfError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute');
    if (start < this.clock() - maxDays * day) throw new SfError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${maxDays} days ago`);
    // Seconds are ignored: the window runs from and to whole minutes.
    const minute = 60_000;
    return { start: Math.floor(start / minute) * minute, end: Math.min(Math.floor(end / minute) * minute, Math.floor(this.clock() / minute) * minute) };
  }

  private collection(input: unknown, apply: (record: Record<string, unknown>) => string) {
    const { allOrNone, records } = (input ?? {}) as { allOrNone?: boolean; records?: unknown };
    if (!Array.isArray(records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'records: expected an array');
    if (records.length > 200) throw new SfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
    return this.store.atomically(() => {
      const results = records.map((record: Record<string, unknown>) => {
        try {
          return { id: apply(record), success: true, errors: [] as unknown[] };
        } catch (error) {
          if (!(error instanceof SfError)) throw error;
          return { success: false, errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }] };
        }
      });
      const failed = results.some((r) => !r.success);
      if (!allOrNone || !failed) return { keep: true, result: results };
      const rolledBack = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };
      return { keep: false, result: results.map((r) => (r.success ? { id: r.id, success: false, errors: [rolledBack] } : r)) };
    });
  }

  describe(typeName: string) {
    const object = this.store.object(typeName);
    return {
      name: object.name, label: object.label, labelPlural: object.labelPlural, keyPrefix: object.keyPrefix, custom: false,
      createable: object.createable, updateable: object.createable, deletable: object.createable, queryable: true, retrieveable: true,
      fields: object.fields.map(describeField),
      urls: { describe: `/services/data/v62.0/sobjects/${object.name}/describe`, sobject: `/services/data/v62.0/sobjects/${object.name}` },
    };
  }
}

function describeField(f: FieldDef) {
  return {
    name: f.name, label: f.label, type: f.type, length: f.length ?? 0, createable: f.createable, updateable: f.updateable, nillable: f.nillable,
    defaultedOnCreate: !f.createable && !f.nillable, calculated: f.name === 'Name' && !f.createable, custom: f.name.endsWith('__c'), externalId: false, unique: false,
    idLookup: f.type === 'id' || f.type === 'email', referenceTo: f.referenceTo ?? [], relationshipName: f.type === 'reference' ? f.name.replace(/Id$/, '') : null,
    restrictedPicklist: f.restrictedPicklist ?? false,
    picklistValues: (f.picklistValues ?? []).map((value, i) => ({ active: true, defaultValue: i === 0 && f.name === 'Status', label: value, validFor: null, value })),
    soapType: soapTypes[f.type], precision: f.type === 'currency' ? 18 : 0, scale: f.type === 'currency' ? 2 : 0,
  };
}

const soapTypes: Record<FieldDef['type'], string> = {
  id: 'tns:ID', reference: 'tns:ID', string: 'xsd:string', email: 'xsd:string', phone: 'xsd:string', url: 'xsd:string', textarea: 'xsd:string', picklist: 'xsd:string',
  currency: 'xsd:double', double: 'xsd:double', percent: 'xsd:double', int: 'xsd:int', date: 'xsd:date', datetime: 'xsd:dateTime', boolean: 'xsd:boolean',
};

const recordType = (record: Record<string, unknown>) => {
  const type = (record.attributes as { type?: string } | undefined)?.type;
  if (!type) throw new SfError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  return type;
};

async function body(c: Context<Env>): Promise<Record<string, unknown>> {
  try {
    return (await c.req.json()) as Record<string, unknown>;
  } catch {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
  }
}

export function errorResponse(error: SfError): Response {
  return Response.json([{ message: error.message, errorCode: error.errorCode, fields: error.fields }], { status: error.status });
}
