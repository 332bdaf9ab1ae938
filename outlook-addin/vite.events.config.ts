// The add-in's event script (launchevent.js): the Smart Alerts on-send handler and the compose
// command. Classic Outlook on Windows runs it in a JavaScript-only runtime that loads exactly one
// file and knows no modules, so it is built as a single classic script (IIFE), after vite.config.ts
// (which empties dist/web/outlook first).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  publicDir: false,
  build: {
    outDir: here('../dist/web/outlook'),
    emptyOutDir: false,
    sourcemap: false,
    // The JavaScript-only runtime is an older engine: no syntax newer than ES2017 there.
    target: 'es2017',
    lib: { entry: here('./pages/events.ts'), formats: ['iife'], name: 'InboxCrmEvents', fileName: () => 'launchevent.js' },
  },
});
