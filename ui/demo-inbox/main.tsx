// Entry of the demo inbox page (built by `npm run build:web`, served by the API at /demo/inbox/).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIndexedDbStore, withMemoryFallback } from '../sidebar/cache.ts';
import { DemoInbox, type DemoInboxDeps } from './app.tsx';

const deps: DemoInboxDeps = {
  baseUrl: window.location.origin,
  storage: window.sessionStorage,
  // One database per user, so one user's cached threads and queued changes never reach another.
  createStore: (email) => withMemoryFallback(createIndexedDbStore({ databaseName: `inbox-crm-demo:${email.toLowerCase()}` })),
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DemoInbox deps={deps} />
  </StrictMode>,
);
