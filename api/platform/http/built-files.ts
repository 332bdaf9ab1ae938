// Serving a folder built by Vite (the web app, the demo inbox, the Outlook add-in) under a path of
// the API, on @hono/node-server's serveStatic: it refuses "..", encoded slashes and other escapes
// from the folder, guesses the type from the extension and answers HEAD and ranges. This adds what
// the three have in common: their page's security headers on every file, hashed assets (Vite puts a
// content hash in every name under assets/) cached for good and the rest revalidated, and a page that
// says how to build the folder when it is missing. Files are looked up per request, so building
// while the server runs needs no restart.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

export interface BuiltFilesOptions {
  /** The build folder. */
  root: string;
  /** Where it is mounted, e.g. '/app'. */
  basePath: string;
  /** Sent with every file (the page's Content-Security-Policy and the like). */
  headers: Record<string, string>;
  /** The page answered for the folder itself (`basePath/`); index.html by default. */
  index?: string;
}

export const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

const cacheOf = (relative: string) => (relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');

/**
 * Answers a file of the build under `basePath/`, or hands on to the next handler when there is no
 * such file (the caller then answers 404, or its app's page for a path of a single-page app).
 */
export function builtFiles(options: BuiltFilesOptions): MiddlewareHandler {
  const root = resolve(options.root);
  const prefix = `${options.basePath}/`;
  // The folder goes into the rewritten path, not `root`: serveStatic would warn at start about a
  // folder not built yet, which is a state this serves (with notBuiltResponse). It has refused
  // "..", "//" and encoded characters in the path before it rewrites it.
  const files = serveStatic({ index: options.index, rewriteRequestPath: (path) => join(root, path.slice(prefix.length)) });
  return async (c, next) => {
    if (!c.req.path.startsWith(prefix)) return next();
    // serveStatic hands on (here: to nothing) when it has no file; then the caller's next handler answers.
    const res = await files(c, async () => {});
    if (!(res instanceof Response)) return next();
    const relative = c.req.path.slice(prefix.length);
    res.headers.set('Cache-Control', cacheOf(relative));
    for (const [name, value] of Object.entries(options.headers)) res.headers.set(name, value);
    return res;
  };
}

/** The answer while the folder has not been built: what to run, never cached. */
export function notBuiltResponse(what: string, headers: Record<string, string>): Response {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${what} not built</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>The ${what.toLowerCase()} has not been built yet</h1>
<p>Run <code>npm run build:web</code> in the project folder, then reload this page.
(<code>npm start</code> builds it before starting the server.)</p>
</body></html>`;
  return new Response(page, { status: 503, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}
