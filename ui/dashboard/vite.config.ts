// `npm run build:web` builds the web app for managers and admins (ui/dashboard) into
// dist/web/dashboard, which the API serves at /app/. `npx vite --config ui/dashboard/vite.config.ts`
// serves it with hot reload and forwards /api to a running API (VITE_API_URL, default
// http://localhost:8787), so the cookie session stays same-origin.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/dashboard', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The reports page (and chart.js with it) is its own chunk, loaded when it is opened.
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': process.env.VITE_API_URL ?? 'http://localhost:8787' },
  },
});
