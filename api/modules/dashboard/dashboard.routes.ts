// The web app for managers and admins (ui/dashboard, built by `npm run build:web` into
// dist/web/dashboard) at /app/, on the API's own origin so it uses the cookie session. Every path
// under /app/ that is not a built file answers the app's page (its router reads the URL), so links
// to a deal or a filtered board can be bookmarked and shared. `/` leads to /app/, and the links
// invitations carry (/invite?token=…) to the app's page that accepts them.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';

export const DASHBOARD_PATH = '/app';
export const defaultDashboardDir = fileURLToPath(new URL('../../../dist/web/dashboard', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The app talks to its own origin only (API and live stream); no inline scripts.
const pageHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Inbox CRM web app not built</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>The web app has not been built yet</h1>
<p>Run <code>npm run build:web</code> in the project folder, then reload this page.
(<code>npm start</code> builds it before starting the server.)</p>
</body></html>`;

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

export interface DashboardRouteOptions {
  /** The built app; dist/web/dashboard by default. */
  dir?: string;
}

/** Mount with app.route('/', dashboardRoutes()). */
export function dashboardRoutes(options: DashboardRouteOptions = {}) {
  const root = resolve(options.dir ?? defaultDashboardDir);

  const page = async () => {
    const index = resolve(root, 'index.html');
    if (!(await isFile(index))) return new Response(notBuilt, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...pageHeaders } });
    return new Response(await readFile(index), { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...pageHeaders } });
  };

  return new Hono<AppEnv>()
    .get('/', (c) => c.redirect(`${DASHBOARD_PATH}/`, 302))
    .get('/invite', (c) => c.redirect(`${DASHBOARD_PATH}/invite${new URL(c.req.url).search}`, 302))
    .get(DASHBOARD_PATH, (c) => c.redirect(`${DASHBOARD_PATH}/${new URL(c.req.url).search}`, 301))
    .get(`${DASHBOARD_PATH}/*`, async (c) => {
      let relative: string;
      try {
        relative = decodeURIComponent(c.req.path.slice(DASHBOARD_PATH.length + 1));
      } catch {
        return c.notFound();
      }
      if (relative.includes('\0') || relative.includes('\\')) return c.notFound();
      // A path with a file extension is a file of the build; anything else is a page of the app.
      if (!extname(relative)) return page();
      const file = resolve(root, relative);
      // resolve() has folded any "..": what is left must still be inside the build folder.
      if (!file.startsWith(root + sep) || !(await isFile(file))) return c.notFound();
      const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
      // Vite puts a content hash in every name under assets/, so those never change.
      const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return new Response(await readFile(file), { status: 200, headers: { 'Content-Type': type, 'Cache-Control': cache, ...pageHeaders } });
    });
}
