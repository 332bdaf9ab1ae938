// The six routes every record type has (list, create, get, update, delete, restore), declared once.
// Each resource file passes its schemas and service functions.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import type { Actor } from '../../../core/roles.ts';
import { IdParam, page } from '../../../core/schemas/common.ts';
import type { Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, goneResponse, jsonBody, jsonContent } from '../../platform/http/openapi.ts';

interface RecordService<Q, C, U, R> {
  list: (tx: Tx, actor: Actor, query: Q) => Promise<{ data: R[]; nextCursor: string | null }>;
  create: (tx: Tx, actor: Actor, input: C) => Promise<R>;
  get: (tx: Tx, actor: Actor, id: string) => Promise<R>;
  update: (tx: Tx, actor: Actor, id: string, patch: U) => Promise<R>;
  remove: (tx: Tx, actor: Actor, id: string) => Promise<void>;
  restore: (tx: Tx, actor: Actor, id: string) => Promise<R>;
}

interface RecordSchemas {
  item: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
  query: z.ZodObject;
}

export function recordRoutes<Q, C, U, R>(
  options: { path: string; tag: string; noun: string; schemas: RecordSchemas; createDescription?: string },
  service: RecordService<Q, C, U, R>,
) {
  const { path, tag, noun, schemas } = options;
  const tags = [tag];
  const app = new OpenAPIHono<AppEnv>();
  const run = <T>(c: { var: AppEnv['Variables'] }, work: (tx: Tx, actor: Actor) => Promise<T>) =>
    withTenant(c.var.deps.db, c.var.actor.orgId, (tx) => work(tx, c.var.actor));

  app.openapi(
    createRoute({
      method: 'get', path, tags, summary: `List ${noun}s`,
      request: { query: schemas.query },
      responses: { 200: jsonContent(page(schemas.item), `A page of ${noun}s`), ...errorResponses },
    }),
    async (c) => c.json(await run(c, (tx, actor) => service.list(tx, actor, c.req.valid('query') as Q)) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path, tags, summary: `Create a ${noun}`, description: options.createDescription,
      request: jsonBody(schemas.create),
      responses: { 201: jsonContent(schemas.item, 'Created'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await run(c, (tx, actor) => service.create(tx, actor, c.req.valid('json') as C)) as never, 201),
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${path}/{id}`, tags, summary: `Get a ${noun}`,
      request: { params: IdParam },
      responses: { 200: jsonContent(schemas.item, `The ${noun}`), ...errorResponses },
    }),
    async (c) => c.json(await run(c, (tx, actor) => service.get(tx, actor, c.req.valid('param').id)) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'patch', path: `${path}/{id}`, tags, summary: `Update a ${noun}`,
      request: { params: IdParam, ...jsonBody(schemas.update) },
      responses: { 200: jsonContent(schemas.item, 'Updated'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await run(c, (tx, actor) => service.update(tx, actor, id, c.req.valid('json') as U)) as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete', path: `${path}/{id}`, tags, summary: `Delete a ${noun} (an admin can restore it for 30 days)`,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await run(c, (tx, actor) => service.remove(tx, actor, c.req.valid('param').id));
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${path}/{id}/restore`, tags, summary: `Restore a deleted ${noun} (admins, within 30 days)`,
      request: { params: IdParam },
      responses: { 200: jsonContent(schemas.item, 'Restored'), ...errorResponses, ...conflictResponse, ...goneResponse },
    }),
    async (c) => c.json(await run(c, (tx, actor) => service.restore(tx, actor, c.req.valid('param').id)) as never, 200),
  );
  return app;
}
