// The Outlook add-in, served by the API: its manifest at /outlook/manifest.xml (built from PUBLIC_URL,
// so a deployment's add-in points at itself), its pages, scripts and icons under /outlook/ (built by
// `npm run build:web` into dist/web/outlook), and the well-known file classic Outlook on Windows reads
// before its JavaScript-only on-send runtime may call the API.
//
// Framing: Outlook on the web and the new Outlook on Windows show the task pane (and run the on-send
// page) in an iframe of Outlook's own page, so these pages carry no X-Frame-Options and their
// frame-ancestors list Outlook's hosts; classic Outlook on Windows and Outlook on Mac load them in a
// webview of their own. office.js comes from Microsoft's CDN, as Office requires.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { OUTLOOK_BASE_PATH, outlookFiles } from '../../../core/outlook/addin.ts';
import { baseUrlOf, buildOutlookManifest, ManifestConfigError, outlookUrls } from '../../../core/outlook/manifest.ts';
import type { AppEnv } from '../../env.ts';
import { builtFiles, isFile, notBuiltResponse } from '../../platform/http/built-files.ts';

/** The placeholder launchevent.js carries for the API's public address (outlook-addin/pages/events.ts). */
export const PUBLIC_URL_SLOT = '__INBOX_CRM_PUBLIC_URL__';

export const defaultOutlookDir = fileURLToPath(new URL('../../../dist/web/outlook', import.meta.url));

/** Where Outlook's own pages live: the task pane's frame ancestors (Outlook on the web, new Outlook on Windows). */
export const outlookFrameAncestors = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.live.com',
  'https://outlook.cloud.microsoft',
  'https://*.outlook.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.cloud.microsoft',
  'https://*.officeapps.live.com',
];

// office.js loads its host scripts from the same CDN (and, in places, ajax.aspnetcdn.com), and sends
// its own telemetry; the pane itself talks only to this origin.
const paneHeaders = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self' https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https://appsforoffice.microsoft.com",
    "connect-src 'self' https://appsforoffice.microsoft.com https://*.aria.microsoft.com https://*.events.data.microsoft.com",
    `frame-ancestors 'self' ${outlookFrameAncestors.join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export interface OutlookRouteOptions {
  /** The API's public address (PUBLIC_URL): the manifest's URLs are built from it. */
  publicUrl: string;
  /** OUTLOOK_ADDIN_ID; unset: derived from publicUrl. */
  addinId?: string;
  /** The built add-in; dist/web/outlook by default. */
  dir?: string;
}

/** Mount with app.route('/', outlookRoutes({ publicUrl })). */
export function outlookRoutes(options: OutlookRouteOptions) {
  const root = resolve(options.dir ?? defaultOutlookDir);

  const built = () => isFile(resolve(root, outlookFiles.taskpane));

  // Classic Outlook on Windows runs this script with no page address: it learns the API's here.
  // (Not https: no manifest points here, and the script falls back to its page's address.)
  const eventsScript = async () => {
    const file = resolve(root, outlookFiles.eventsJs);
    if (!(await isFile(file))) return null;
    let base: string | null = null;
    try {
      base = baseUrlOf(options.publicUrl);
    } catch {
      base = null;
    }
    const text = await readFile(file, 'utf8');
    // Its name carries no hash and its URL is in the manifest: revalidated, never cached for good.
    return new Response(base ? text.replaceAll(PUBLIC_URL_SLOT, base) : text, { status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', ...paneHeaders } });
  };

  const manifest = () => {
    try {
      return { xml: buildOutlookManifest({ publicUrl: options.publicUrl, addinId: options.addinId }) };
    } catch (err) {
      if (err instanceof ManifestConfigError) return { problem: err.message };
      throw err;
    }
  };

  return new Hono<AppEnv>()
    .get(`${OUTLOOK_BASE_PATH}/manifest.xml`, (c) => {
      const built = manifest();
      if ('problem' in built) {
        return c.text(`The Outlook add-in manifest cannot be made: ${built.problem}\n`, 503, { 'Cache-Control': 'no-store' });
      }
      return c.body(built.xml, 200, {
        'Content-Type': 'application/xml; charset=utf-8',
        'Content-Disposition': 'inline; filename="inbox-crm-outlook-manifest.xml"',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
    })
    // Classic Outlook on Windows runs the on-send handler as this one script in a JavaScript-only
    // runtime; it may call its own origin only when the origin lists the script here.
    .get('/.well-known/microsoft-officeaddins-allowed.json', (c) => {
      try {
        return c.json({ allowed: [outlookUrls(options.publicUrl).eventsJs] }, 200, { 'Cache-Control': 'no-cache' });
      } catch {
        return c.json({ allowed: [] }, 200, { 'Cache-Control': 'no-cache' });
      }
    })
    .get(OUTLOOK_BASE_PATH, (c) => c.redirect(`${OUTLOOK_BASE_PATH}/`, 301))
    .get(`${OUTLOOK_BASE_PATH}/${outlookFiles.eventsJs}`, async (_c, next) => (await eventsScript()) ?? next())
    // /outlook/ itself: the task pane, which outside Outlook says what it is and links the manifest.
    .get(`${OUTLOOK_BASE_PATH}/*`, builtFiles({ root, basePath: OUTLOOK_BASE_PATH, headers: paneHeaders, index: outlookFiles.taskpane }), async (c) =>
      (await built()) ? c.notFound() : notBuiltResponse('Outlook add-in', paneHeaders),
    );
}
