// The web app's entry point: one QueryClient, the typed API client on the page's own origin (the
// cookie session), toasts, and the routes of app.tsx.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiContext, createDashboardClient, isApiError } from './api.ts';
import { App } from './app.tsx';
import { readBoardView } from './board/board-filters.ts';
import { boardQueryOptions } from './board/board-page.tsx';
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

// The board is the heaviest page and the one most opened: its deals are asked for while the session
// is checked, not after (signed out, the answer is a 401 the page never shows).
if (window.location.pathname === '/app/board') {
  void queryClient.prefetchQuery(boardQueryOptions(api, readBoardView(new URLSearchParams(window.location.search))));
}

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
