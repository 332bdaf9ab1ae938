// `npm run build:web` builds the Outlook add-in into dist/web/outlook, which the API serves at
// /outlook/ (api/modules/outlook): the read-mode task pane and the compose pane (React pages), and,
// copied as they are from outlook-addin/public, the icons and the two pages that only load office.js
// and the event script (commands.html, launchevent.html). The event script itself, launchevent.js,
// is built by vite.events.config.ts: classic Outlook on Windows runs it alone, so it must be one file.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./pages'),
  // Relative, so the pages work under a PUBLIC_URL with a path as well.
  base: './',
  publicDir: here('./public'),
  plugins: [react()],
  build: {
    outDir: here('../dist/web/outlook'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: { taskpane: here('./pages/taskpane.html'), compose: here('./pages/compose.html') },
    },
  },
});
