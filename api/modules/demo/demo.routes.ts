// The demo inbox page (ui/demo-inbox, built by `npm run build:web` into dist/web/demo-inbox) at
// /demo/inbox/. Files are read per request, so building while the server runs needs no restart;
// a missing build answers a page that says how to make it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { builtFiles, isFile, notBuiltResponse } from '../../platform/http/built-files.ts';

export const DEMO_INBOX_PATH = '/demo/inbox';
export const defaultDemoInboxDir = fileURLToPath(new URL('../../../dist/web/demo-inbox', import.meta.url));

// The page only talks to this origin; the sidebar brings its styles as a <style> element. Images
// may also come from the tracking host: the demo's "Open as the recipient" copy is a blob: page of
// this origin, so it inherits this policy, and its open pixel lives on the tracking host.
function pageHeadersFor(imageOrigins: readonly string[]) {
  const images = ["'self'", 'data:', ...imageOrigins].join(' ');
  return {
    'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src ${images}; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
}

export interface DemoInboxRouteOptions {
  /** The built page; dist/web/demo-inbox by default. */
  dir?: string;
  /** Other origins the page may load images from (the tracking host). */
  imageOrigins?: readonly string[];
}

/** Mount with app.route('/', demoInboxRoutes()). */
export function demoInboxRoutes(options: DemoInboxRouteOptions = {}) {
  const root = resolve(options.dir ?? defaultDemoInboxDir);
  const pageHeaders = pageHeadersFor(options.imageOrigins ?? []);

  return new Hono<AppEnv>()
    .get(DEMO_INBOX_PATH, (c) => c.redirect(`${DEMO_INBOX_PATH}/${new URL(c.req.url).search}`, 301))
    .get(`${DEMO_INBOX_PATH}/*`, builtFiles({ root, basePath: DEMO_INBOX_PATH, headers: pageHeaders }), async (c) => {
      if (!(await isFile(resolve(root, 'index.html')))) return notBuiltResponse('Demo inbox', pageHeaders);
      return c.notFound();
    });
}
