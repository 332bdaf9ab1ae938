// `npm run build:web`: the demo inbox page (ui/demo-inbox) into dist/web/demo-inbox, which the API
// serves at /demo/inbox/. `npx vite --config ui/vite.config.ts` serves it with hot reload and
// forwards /api to a running API (VITE_API_URL, default http://localhost:8787).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./demo-inbox', import.meta.url)),
  base: '/demo/inbox/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web/demo-inbox', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: { '/api': process.env.VITE_API_URL ?? 'http://localhost:8787' },
  },
});
