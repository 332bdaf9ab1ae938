// CRM v3 objects (basic, batch, search), properties, pipelines, owners and v4 associations, behind
// bearer auth and the rate limits; errors in HubSpot's body format.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { HubSpotAuth } from './auth.ts';
import { defaultProperties, objectTypes, type ObjectType } from './schema.ts';
import { search, type SearchRequest } from './search.ts';
import { HsError, iso, type HubSpotStore, type HsRecord } from './store.ts';

export function hubspotError(error: HsError): Response {
  return Response.json({ status: 'error', message: error.message, correlationId: randomUUID(), category: error.category, ...error.extra }, { status: error.status });
}

const batchLimit = 100;

export function crmRoutes(store: HubSpotStore, auth: HubSpotAuth): Hono {
  const app = new Hono();
  app.onError((error) => hubspotError(error instanceof HsError ? error : new HsError(500, 'INTERNAL_ERROR', `Internal error: ${error.message}`)));

  for (const prefix of ['/crm/*']) {
    app.use(prefix, async (c, next) => {
      const caller = auth.authenticate(c.req.header('authorization'));
      if ('error' in caller) throw new HsError(401, caller.error, caller.message);
      const isSearch = c.req.method === 'POST' && c.req.path.endsWith('/search');
      const { refused, headers } = auth.spend(caller, isSearch);
      if (refused) {
        const response = Response.json({ status: 'error', message: refused.message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: refused.policyName, category: 'RATE_LIMITS' }, { status: 429 });
        for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
        return response;
      }
      await next();
      for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    });
  }

  const typeOf = (c: Context) => store.type(c.req.param('objectType')!);
  const listParam = (c: Context, name: string) => c.req.queries(name)?.flatMap((v) => v.split(',')).filter(Boolean);
  const wire = (record: HsRecord, properties: string[] | undefined, withHistory: string[] | undefined, associations: string[] | undefined) => {
    const names = properties?.length ? properties : defaultProperties[record.type];
    const out: Record<string, unknown> = {
      id: record.id,
      properties: Object.fromEntries(names.filter((n) => store.property(record.type, n)).map((n) => [n, record.properties[n] ?? null])),
      createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt), archived: record.archived,
      ...(record.archivedAt ? { archivedAt: iso(record.archivedAt) } : {}),
    };
    if (withHistory?.length) {
      const historyOf = (n: string) => record.history[n] ?? (record.properties[n] ? [{ value: record.properties[n]!, timestamp: record.createdAt, sourceType: 'CRM_UI' }] : []);
      out.propertiesWithHistory = Object.fromEntries(withHistory.filter((n) => store.property(record.type, n)).map((n) => [n, historyOf(n).map((h) => ({ value: h.value, timestamp: iso(h.timestamp), sourceType: h.sourceType }))]));
    }
    if (associations?.length) {
      const found = associations.map((name) => store.type(name)).map((toType) => [toType, store.associated(record.type, record.id, toType)] as const).filter(([, ids]) => ids.length);
      if (found.length) out.associations = Object.fromEntries(found.map(([toType, ids]) => [toType, { results: ids.map((id) => ({ id, type: `${objectTypes[record.type].singular}_to_${objectTypes[toType].singular}` })) }]));
    }
    return out;
  };
  const body = async <T>(c: Context): Promise<T> => {
    try {
      return (await c.req.json()) as T;
    } catch {
      throw new HsError(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1');
    }
  };
  const inputsOf = <T>(input: { inputs?: T[] }) => {
    if (!Array.isArray(input.inputs)) throw new HsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: inputs must be an array');
    if (input.inputs.length > batchLimit) throw new HsError(400, 'VALIDATION_ERROR', `Batch input limit is ${batchLimit}, got ${input.inputs.length}`);
    return input.inputs;
  };
  const batchReply = (c: Context, results: unknown[], errors: HsError[], okStatus: 200 | 201, startedAt: string) => {
    const reply = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString(), ...(errors.length ? { numErrors: errors.length, errors: errors.map((e) => ({ status: 'error', category: e.category, message: e.message, ...e.extra })) } : {}) };
    return c.json(reply, errors.length ? 207 : okStatus);
  };

  // ---- v3 objects
  app.get('/crm/v3/objects/:objectType', (c) => {
    const type = typeOf(c);
    const limit = Math.min(100, Math.max(1, Number(c.req.query('limit') ?? 10)));
    const after = c.req.query('after');
    const archived = c.req.query('archived') === 'true';
    // Ids only grow and records are kept in insertion order, so the list is already in id order.
    const all = store.all(type, archived);
    const start = after ? all.findIndex((r) => Number(r.id) > Number(after)) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const more = start >= 0 && start + limit < all.length;
    const last = page[page.length - 1];
    return c.json({
      results: page.map((r) => wire(r, listParam(c, 'properties'), listParam(c, 'propertiesWithHistory'), listParam(c, 'associations'))),
      ...(more && last ? { paging: { next: { after: last.id, link: `${new URL(c.req.url).origin}/crm/v3/objects/${type}?after=${last.id}` } } } : {}),
    });
  });
  app.post('/crm/v3/objects/:objectType/search', async (c) => {
    const type = typeOf(c);
    const request = await body<SearchRequest>(c);
    const { total, page, nextAfter } = search(store.all(type), request, (name) => store.property(type, name));
    return c.json({ total, results: page.map((r) => wire(r, request.properties, undefined, undefined)), ...(nextAfter ? { paging: { next: { after: nextAfter } } } : {}) });
  });
  app.post('/crm/v3/objects/:objectType/merge', async (c) => {
    const type = typeOf(c);
    const input = await body<{ primaryObjectId?: string; objectIdToMerge?: string }>(c);
    const record = store.merge(type, String(input.primaryObjectId ?? ''), String(input.objectIdToMerge ?? ''), 'INTEGRATION');
    return c.json(wire(record, Object.keys(record.properties), undefined, undefined));
  });
  app.post('/crm/v3/objects/:objectType/batch/read', async (c) => {
    const type = typeOf(c);
    const startedAt = new Date().toISOString();
    const input = await body<{ inputs?: Array<{ id: string }>; properties?: string[]; propertiesWithHistory?: string[]; archived?: boolean }>(c);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const { id } of inputsOf(input)) {
      try {
        results.push(wire(store.get(type, String(id), input.archived ?? false), input.properties, input.propertiesWithHistory, undefined));
      } catch {
        missing.push(String(id));
      }
    }
    const errors = missing.length ? [new HsError(404, 'OBJECT_NOT_FOUND', `Could not get some ${type} objects, they may be deleted or not exist. Check that ids are valid.`, { context: { ids: missing } })] : [];
    return batchReply(c, results, errors, 200, startedAt);
  });
  app.post('/crm/v3/objects/:objectType/batch/create', async (c) => {
    const type = typeOf(c);
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(await body<{ inputs?: Array<{ properties?: Record<string, unknown>; associations?: AssociationInput[] }> }>(c));
    // Invalid property values refuse the whole batch, as HubSpot does; nothing is written.
    const created = store.atomically(() => inputs.map((input) => {
      const record = store.create(type, input.properties ?? {}, 'INTEGRATION');
      for (const a of input.associations ?? []) associateFromInput(store, type, record.id, a);
      return record;
    }));
    return batchReply(c, created.map((r) => wire(r, Object.keys(r.properties), undefined, undefined)), [], 201, startedAt);
  });
  app.post('/crm/v3/objects/:objectType/batch/update', async (c) => {
    const type = typeOf(c);
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(await body<{ inputs?: Array<{ id: string; properties?: Record<string, unknown> }> }>(c));
    const missing = inputs.filter((i) => !store.records.get(type)!.get(String(i.id)) || store.records.get(type)!.get(String(i.id))!.archived).map((i) => String(i.id));
    const updated = store.atomically(() => inputs.filter((i) => !missing.includes(String(i.id))).map((i) => store.update(type, String(i.id), i.properties ?? {}, 'INTEGRATION')));
    const errors = missing.length ? [new HsError(404, 'OBJECT_NOT_FOUND', `Could not update some ${type} objects, they may be deleted or not exist.`, { context: { ids: missing } })] : [];
    return batchReply(c, updated.map((r) => wire(r, Object.keys(r.properties), undefined, undefined)), errors, 200, startedAt);
  });
  app.post('/crm/v3/objects/:objectType/batch/archive', async (c) => {
    const type = typeOf(c);
    for (const { id } of inputsOf(await body<{ inputs?: Array<{ id: string }> }>(c))) store.archive(type, String(id), 'INTEGRATION');
    return c.body(null, 204);
  });
  app.get('/crm/v3/objects/:objectType/:id', (c) => {
    const type = typeOf(c);
    const record = store.get(type, c.req.param('id'), c.req.query('archived') === 'true');
    return c.json(wire(record, listParam(c, 'properties'), listParam(c, 'propertiesWithHistory'), listParam(c, 'associations')));
  });
  app.post('/crm/v3/objects/:objectType', async (c) => {
    const type = typeOf(c);
    const input = await body<{ properties?: Record<string, unknown>; associations?: AssociationInput[] }>(c);
    const record = store.atomically(() => {
      const created = store.create(type, input.properties ?? {}, 'INTEGRATION');
      for (const a of input.associations ?? []) associateFromInput(store, type, created.id, a);
      return created;
    });
    return c.json(wire(record, Object.keys(record.properties), undefined, undefined), 201);
  });
  app.patch('/crm/v3/objects/:objectType/:id', async (c) => {
    const type = typeOf(c);
    const record = store.update(type, c.req.param('id'), (await body<{ properties?: Record<string, unknown> }>(c)).properties ?? {}, 'INTEGRATION');
    return c.json(wire(record, Object.keys(record.properties), undefined, undefined));
  });
  app.delete('/crm/v3/objects/:objectType/:id', (c) => {
    store.archive(typeOf(c), c.req.param('id'), 'INTEGRATION');
    return c.body(null, 204);
  });

  // ---- properties, pipelines, owners
  const propertyWire = (type: ObjectType) => (p: NonNullable<ReturnType<HubSpotStore['property']>>, i: number) => ({
    name: p.name, label: p.label, type: p.type, fieldType: p.fieldType, description: '', groupName: p.groupName,
    options: (p.options ?? []).map((o, n) => ({ label: o.label, value: o.value, displayOrder: n, hidden: false })),
    displayOrder: i, calculated: false, externalOptions: false, hasUniqueValue: p.hasUniqueValue ?? false, hidden: false, hubspotDefined: true, formField: true, archived: false,
    modificationMetadata: { archivable: !p.readOnly, readOnlyDefinition: true, readOnlyValue: p.readOnly ?? false },
    createdAt: '2019-08-06T02:41:08.029Z', updatedAt: '2019-08-06T02:41:08.029Z', ...(type === 'deals' && p.name === 'dealstage' ? { referencedObjectType: 'PIPELINE_STAGE' } : {}),
  });
  app.get('/crm/v3/properties/:objectType', (c) => {
    const type = typeOf(c);
    return c.json({ results: store.properties[type].map(propertyWire(type)) });
  });
  app.get('/crm/v3/properties/:objectType/:name', (c) => {
    const type = typeOf(c);
    const index = store.properties[type].findIndex((p) => p.name === c.req.param('name'));
    if (index < 0) throw new HsError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${c.req.param('name')}`);
    return c.json(propertyWire(type)(store.properties[type][index]!, index));
  });
  const pipelineWire = (p: HubSpotStore['pipelines'][number], i: number) => ({
    id: p.id, label: p.label, displayOrder: i, archived: false, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z',
    stages: p.stages.map((s, n) => ({
      id: s.id, label: s.label, displayOrder: n, archived: false, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT', createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z',
      metadata: { isClosed: String(s.isClosed), probability: s.probability },
    })),
  });
  app.get('/crm/v3/pipelines/:objectType', (c) => c.json({ results: typeOf(c) === 'deals' ? store.pipelines.map(pipelineWire) : [] }));
  app.get('/crm/v3/pipelines/:objectType/:pipelineId', (c) => {
    const index = store.pipelines.findIndex((p) => p.id === c.req.param('pipelineId'));
    if (typeOf(c) !== 'deals' || index < 0) throw new HsError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${c.req.param('pipelineId')}`);
    return c.json(pipelineWire(store.pipelines[index]!, index));
  });
  const ownerWire = (o: HubSpotStore['owners'][number]) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, userId: o.userId, createdAt: iso(o.createdAt), updatedAt: iso(o.createdAt), archived: false, teams: [] });
  // @hubspot/api-client asks for /crm/v3/owners/ (with the slash), as HubSpot documents it.
  const listOwners = (c: Context) => {
    const email = c.req.query('email')?.toLowerCase();
    const limit = Math.min(500, Number(c.req.query('limit') ?? 100));
    const owners = store.owners.filter((o) => !email || o.email.toLowerCase() === email);
    const start = c.req.query('after') ? owners.findIndex((o) => o.id === c.req.query('after')) + 1 : 0;
    const page = owners.slice(start, start + limit);
    return c.json({ results: page.map(ownerWire), ...(start + limit < owners.length ? { paging: { next: { after: page[page.length - 1]!.id } } } : {}) });
  };
  app.get('/crm/v3/owners', listOwners);
  app.get('/crm/v3/owners/', listOwners);
  app.get('/crm/v3/owners/:ownerId', (c) => {
    const owner = store.owners.find((o) => o.id === c.req.param('ownerId'));
    if (!owner) throw new HsError(404, 'OBJECT_NOT_FOUND', `Owner ${c.req.param('ownerId')} not found`);
    return c.json(ownerWire(owner));
  });

  // ---- v4 associations
  const spec = (from: ObjectType, to: ObjectType) => ({ category: 'HUBSPOT_DEFINED', typeId: store.associationTypeId(from, to), label: null });
  app.get('/crm/v4/associations/:fromType/:toType/labels', (c) => c.json({ results: [spec(store.type(c.req.param('fromType')), store.type(c.req.param('toType')))] }));
  app.get('/crm/v4/objects/:fromType/:fromId/associations/:toType', (c) => {
    const [from, to] = [store.type(c.req.param('fromType')), store.type(c.req.param('toType'))];
    store.get(from, c.req.param('fromId'));
    const ids = store.associated(from, c.req.param('fromId'), to).sort((a, b) => Number(a) - Number(b));
    const limit = Math.min(500, Number(c.req.query('limit') ?? 500));
    const start = c.req.query('after') ? Number(c.req.query('after')) : 0;
    const page = ids.slice(start, start + limit);
    return c.json({ results: page.map((id) => ({ toObjectId: Number(id), associationTypes: [spec(from, to)] })), ...(start + limit < ids.length ? { paging: { next: { after: String(start + limit) } } } : {}) });
  });
  app.put('/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId', (c) => {
    const [from, to] = [store.type(c.req.param('fromType')), store.type(c.req.param('toType'))];
    store.associate(from, c.req.param('fromId'), to, c.req.param('toId'));
    const now = new Date().toISOString();
    return c.json({ status: 'COMPLETE', results: [{ from: { id: c.req.param('fromId') }, to: { id: c.req.param('toId') }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: store.associationTypeId(from, to) } }], startedAt: now, completedAt: now });
  });
  app.put('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (c) => {
    const [from, to] = [store.type(c.req.param('fromType')), store.type(c.req.param('toType'))];
    store.associate(from, c.req.param('fromId'), to, c.req.param('toId'));
    return c.json({ fromObjectTypeId: objectTypes[from].id, fromObjectId: Number(c.req.param('fromId')), toObjectTypeId: objectTypes[to].id, toObjectId: Number(c.req.param('toId')), labels: [] }, 201);
  });
  app.delete('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (c) => {
    store.dissociate(store.type(c.req.param('fromType')), c.req.param('fromId'), store.type(c.req.param('toType')), c.req.param('toId'));
    return c.body(null, 204);
  });
  app.post('/crm/v4/associations/:fromType/:toType/batch/read', async (c) => {
    const [from, to] = [store.type(c.req.param('fromType')), store.type(c.req.param('toType'))];
    const startedAt = new Date().toISOString();
    const results = inputsOf(await body<{ inputs?: Array<{ id: string }> }>(c))
      .map(({ id }) => ({ from: { id: String(id) }, to: store.associated(from, String(id), to).map((toId) => ({ toObjectId: Number(toId), associationTypes: [spec(from, to)] })) }))
      .filter((r) => r.to.length);
    return batchReply(c, results, [], 200, startedAt);
  });
  const batchAssociate = (okStatus: 200 | 201) => async (c: Context) => {
    const [from, to] = [store.type(c.req.param('fromType')!), store.type(c.req.param('toType')!)];
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(await body<{ inputs?: Array<{ from: { id: string }; to: { id: string } }> }>(c));
    const results: unknown[] = [];
    const errors: HsError[] = [];
    for (const input of inputs) {
      try {
        store.associate(from, String(input.from.id), to, String(input.to.id));
        results.push({ fromObjectTypeId: objectTypes[from].id, fromObjectId: Number(input.from.id), toObjectTypeId: objectTypes[to].id, toObjectId: Number(input.to.id), labels: [] });
      } catch (error) {
        if (error instanceof HsError) errors.push(error);
        else throw error;
      }
    }
    return batchReply(c, results, errors, okStatus, startedAt);
  };
  app.post('/crm/v4/associations/:fromType/:toType/batch/create', batchAssociate(201));
  app.post('/crm/v4/associations/:fromType/:toType/batch/associate/default', batchAssociate(200));
  app.post('/crm/v4/associations/:fromType/:toType/batch/archive', async (c) => {
    const [from, to] = [store.type(c.req.param('fromType')), store.type(c.req.param('toType'))];
    for (const input of inputsOf(await body<{ inputs?: Array<{ from: { id: string }; to: Array<{ id: string }> }> }>(c))) {
      for (const target of input.to ?? []) store.dissociate(from, String(input.from.id), to, String(target.id));
    }
    return c.body(null, 204);
  });
  return app;
}

interface AssociationInput { to: { id: string }; types?: Array<{ associationCategory: string; associationTypeId: number }> }

/** v3 create's `associations`: the target type follows from the association type id. */
function associateFromInput(store: HubSpotStore, type: ObjectType, id: string, input: AssociationInput): void {
  const typeId = input.types?.[0]?.associationTypeId;
  const toType = (Object.keys(objectTypes) as ObjectType[]).find((t) => store.associationTypeId(type, t) === typeId);
  if (!toType) throw new HsError(400, 'VALIDATION_ERROR', `Unknown association type id ${String(typeId)} from ${type}`);
  store.associate(type, id, toType, String(input.to.id));
}
