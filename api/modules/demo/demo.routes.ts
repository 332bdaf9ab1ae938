// The demo inbox page (ui/demo-inbox, built by `npm run build:web` into dist/web/demo-inbox) at
// /demo/inbox/. Files are read per request, so building while the server runs needs no restart;
// a missing build answers a page that says how to make it.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';

export const DEMO_INBOX_PATH = '/demo/inbox';
export const defaultDemoInboxDir = fileURLToPath(new URL('../../../dist/web/demo-inbox', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

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

const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo inbox not built</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>The demo inbox has not been built yet</h1>
<p>Run <code>npm run build:web</code> in the project folder, then reload this page.
(<code>npm start</code> builds it before starting the server.)</p>
</body></html>`;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
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

  const serve = async (relative: string) => {
    if (!(await isFile(resolve(root, 'index.html')))) {
      return new Response(notBuilt, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...pageHeaders } });
    }
    const file = resolve(root, relative || 'index.html');
    // resolve() has folded any "..": what is left must still be inside the build folder.
    if (!file.startsWith(root + sep) || !(await isFile(file))) return null;
    const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Vite puts a content hash in every name under assets/, so those never change.
    const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return new Response(await readFile(file), { status: 200, headers: { 'Content-Type': type, 'Cache-Control': cache, ...pageHeaders } });
  };

  return new Hono<AppEnv>()
    .get(DEMO_INBOX_PATH, (c) => c.redirect(`${DEMO_INBOX_PATH}/${new URL(c.req.url).search}`, 301))
    .get(`${DEMO_INBOX_PATH}/*`, async (c) => {
      let relative: string;
      try {
        relative = decodeURIComponent(c.req.path.slice(DEMO_INBOX_PATH.length + 1));
      } catch {
        return c.notFound();
      }
      if (relative.includes('\0') || relative.includes('\\')) return c.notFound();
      return (await serve(relative)) ?? c.notFound();
    });
}
