// The web app for managers and admins (ui/dashboard, built by `npm run build:web` into
// dist/web/dashboard) at /app/, on the API's own origin so it uses the cookie session. Every path
// under /app/ that is not a built file answers the app's page (its router reads the URL), so links
// to a deal or a filtered board can be bookmarked and shared. `/` leads to /app/, and the links
// invitations carry (/invite?token=…) to the app's page that accepts them.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { builtFiles, isFile, notBuiltResponse } from '../../platform/http/built-files.ts';

export const DASHBOARD_PATH = '/app';
export const defaultDashboardDir = fileURLToPath(new URL('../../../dist/web/dashboard', import.meta.url));

// The app talks to its own origin only (API and live stream); no inline scripts.
const pageHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

export interface DashboardRouteOptions {
  /** The built app; dist/web/dashboard by default. */
  dir?: string;
}

/** Mount with app.route('/', dashboardRoutes()). */
export function dashboardRoutes(options: DashboardRouteOptions = {}) {
  const root = resolve(options.dir ?? defaultDashboardDir);

  const page = async () => {
    const index = resolve(root, 'index.html');
    if (!(await isFile(index))) return notBuiltResponse('Web app', pageHeaders);
    return new Response(await readFile(index), { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...pageHeaders } });
  };

  return new Hono<AppEnv>()
    .get('/', (c) => c.redirect(`${DASHBOARD_PATH}/`, 302))
    .get('/invite', (c) => c.redirect(`${DASHBOARD_PATH}/invite${new URL(c.req.url).search}`, 302))
    .get(DASHBOARD_PATH, (c) => c.redirect(`${DASHBOARD_PATH}/${new URL(c.req.url).search}`, 301))
    .get(`${DASHBOARD_PATH}/*`, builtFiles({ root, basePath: DASHBOARD_PATH, headers: pageHeaders }), async (c) => {
      // A path with a file extension is a file of the build (not there: 404); anything else is a
      // page of the app, whose router reads the URL.
      return extname(c.req.path) ? c.notFound() : page();
    });
}
