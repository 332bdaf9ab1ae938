// The OpenAPI document, generated from the same zod schemas that validate requests, and a
// browsable reference (Swagger UI, served from the installed package so it works offline).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Inbox CRM API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/assets/init.js"></script>
</body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#api', deepLinking: true, persistAuthorization: true });`;

export function docsRoutes(api: OpenAPIHono<AppEnv>) {
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A session token (POST /api/v1/session) or an API key (crm_…)',
  });
  let document: unknown;
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => {
      document ??= api.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Inbox CRM API',
          version: '1.0.0',
          description: 'Contacts, companies, deals, activities and tasks for the inbox sidebar and the dashboard. Errors are { error: { code, message, details? } }.',
        },
        servers: [{ url: '/api/v1' }],
        security: [{ bearerAuth: [] }],
      });
      return c.json(document);
    })
    .get('/docs', (c) => c.html(page))
    .get('/docs/assets/init.js', (c) => c.body(init, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
    .get('/docs/assets/:file', async (c) => {
      const file = c.req.param('file');
      const type = assets[file];
      if (!type) return c.notFound();
      return c.body(await readFile(join(swaggerDir, file)), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
    });
}
