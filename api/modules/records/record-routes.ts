// The six routes every record type has (list, create, get, update, delete, restore), declared once.
// Each resource file passes its schemas and service functions.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import { IdParam, page } from '../../../core/schemas/common.ts';
import type { AppEnv } from '../../env.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { conflictResponse, errorResponses, goneResponse, jsonBody, jsonContent } from '../../platform/http/openapi.ts';

interface RecordService<Q, C, U, R> {
  list: (s: Scope, query: Q) => Promise<{ data: R[]; nextCursor: string | null }>;
  create: (s: Scope, input: C) => Promise<R>;
  get: (s: Scope, id: string) => Promise<R>;
  update: (s: Scope, id: string, patch: U) => Promise<R>;
  remove: (s: Scope, id: string) => Promise<void>;
  restore: (s: Scope, id: string) => Promise<R>;
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
  const run = inRequestTenant;

  app.openapi(
    createRoute({
      method: 'get', path, tags, summary: `List ${noun}s`,
      request: { query: schemas.query },
      responses: { 200: jsonContent(page(schemas.item), `A page of ${noun}s`), ...errorResponses },
    }),
    async (c) => c.json(await run(c, (s) => service.list(s, c.req.valid('query') as Q)) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path, tags, summary: `Create a ${noun}`, description: options.createDescription,
      request: jsonBody(schemas.create),
      responses: { 201: jsonContent(schemas.item, 'Created'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await run(c, (s) => service.create(s, c.req.valid('json') as C)) as never, 201),
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${path}/{id}`, tags, summary: `Get a ${noun}`,
      request: { params: IdParam },
      responses: { 200: jsonContent(schemas.item, `The ${noun}`), ...errorResponses },
    }),
    async (c) => c.json(await run(c, (s) => service.get(s, c.req.valid('param').id)) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'patch', path: `${path}/{id}`, tags, summary: `Update a ${noun}`,
      request: { params: IdParam, ...jsonBody(schemas.update) },
      responses: { 200: jsonContent(schemas.item, 'Updated'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await run(c, (s) => service.update(s, id, c.req.valid('json') as U)) as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete', path: `${path}/{id}`, tags, summary: `Delete a ${noun} (an admin can restore it for 30 days)`,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await run(c, (s) => service.remove(s, c.req.valid('param').id));
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${path}/{id}/restore`, tags, summary: `Restore a deleted ${noun} (admins, within 30 days)`,
      request: { params: IdParam },
      responses: { 200: jsonContent(schemas.item, 'Restored'), ...errorResponses, ...conflictResponse, ...goneResponse },
    }),
    async (c) => c.json(await run(c, (s) => service.restore(s, c.req.valid('param').id)) as never, 200),
  );
  return app;
}
