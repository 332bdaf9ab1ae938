// The web app's entry point: one QueryClient, the typed API client on the page's own origin (the
// cookie session), toasts, and the routes of app.tsx.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiContext, createDashboardClient, isApiError } from './api.ts';
import { App } from './app.tsx';
import { ToastProvider } from './shell/ui.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 20_000,
      // A refusal (not found, forbidden, bad filter) will not change by asking again.
      retry: (failures, err) => failures < 2 && !(isApiError(err) && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const api = createDashboardClient({ baseUrl: window.location.origin });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={api}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </ApiContext.Provider>
    </QueryClientProvider>
  </StrictMode>,
);
