// The Chrome extension (Manifest V3). Sources live in extension/; `npm run build:ext` writes
// dist/extension/chrome-mv3, which loads unpacked. See extension/README.md.
import { createRequire } from 'node:module';
import { defineConfig } from 'wxt';

const require = createRequire(import.meta.url);

/**
 * Public half of a key pair whose private half was thrown away: it only pins the extension id to
 * aemccbpimgdcpgajbnomcckikdemnmgc for unpacked builds (so API allow-lists and e2e tests can
 * name it). Drop it for a Chrome Web Store upload, which assigns its own id.
 */
const manifestKey =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApXtZ2bNfn3o7WVJ/hGPKg2Iua582NJGP8Hu5d4p4hTNTADTBGemFIg1TAJ7PIXHbZg9zf0GibrmLcevsrRy9Grl9VniXjvXjjm6EoRMNvfV5oAiyTOKaYwB4ogN9U1KW5HW21AiEvEi2HayWwVU9OirzC876gE3gMxpXoXwZ50danKj7ewQXnigOpQDu0TijrXgRgk1Kbo6pjGXd4OoDpkx5vhmdr+p/ex9mZR9D63pXO0+jS1Sap1j4wRk49HhgT+1kzS9zTywYX6S6NyL/SC5/tR9bOkEC06lRkLrZ5tR85xXKpWmIP5WE8WrQcALZ2O/RklmRIy5yKzvqan/pCQIDAQAB';

/**
 * INBOX_CRM_E2E=1 builds a test-only variant that holds access to a local API from install:
 * headless Chromium cannot answer Chrome's permission prompt. Never ship that build.
 */
const e2eLocalApi = process.env.INBOX_CRM_E2E === '1' ? ['http://localhost/*', 'http://127.0.0.1/*'] : [];

export default defineConfig({
  srcDir: 'extension',
  entrypointsDir: 'entrypoints', // relative to srcDir
  publicDir: 'extension/public', // relative to the root, unlike entrypointsDir
  modulesDir: 'extension/modules',
  // The test-only build (see above) goes elsewhere, so it is never the one a person loads.
  outDir: process.env.INBOX_CRM_E2E === '1' ? 'dist/extension-e2e' : 'dist/extension',
  modules: ['@wxt-dev/module-react'],
  // ui/ and core/ are shared with the dashboard and the Outlook add-in, where WXT's auto-imports do
  // not exist; every file imports what it uses.
  imports: false,
  manifest: {
    name: 'Inbox CRM',
    description: 'Your CRM beside every Gmail thread: contacts, companies, deals and tasks, with emails logged for you.',
    key: manifestKey,
    // notifications + alarms: a browser notification when a tracked email is first opened by a
    // person, polled once a minute while signed in (extension/README.md, "Permissions").
    permissions: ['storage', 'scripting', 'notifications', 'alarms'],
    // InboxSDK injects pageWorld.js into Gmail's main world through chrome.scripting.
    host_permissions: ['https://mail.google.com/*', ...e2eLocalApi],
    // The API origin is asked for at run time (options page), for that one origin only. Plain
    // http is allowed for a local API only: the session token never crosses the network in clear.
    optional_host_permissions: ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'],
    action: { default_title: 'Inbox CRM' },
    // The Gmail content script frames sidebar.html in InboxSDK's panel. Only the page itself is
    // listed, and for Gmail only: its scripts and styles are loaded by the page, from the
    // extension's own origin, which needs no listing.
    web_accessible_resources: [{ resources: ['sidebar.html'], matches: ['https://mail.google.com/*'] }],
  },
  hooks: {
    // InboxSDK's background listener injects a file named exactly pageWorld.js from the extension root.
    'build:publicAssets': (_wxt, files) => {
      files.push({ absoluteSrc: require.resolve('@inboxsdk/core/pageWorld.js'), relativeDest: 'pageWorld.js' });
    },
  },
});
