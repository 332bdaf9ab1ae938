// For component tests against the real API (an in-memory app on its own database): the providers a
// signed-in page has, with the browser's network replaced by the app itself under the caller's
// session, and the URL held in memory (`history` lists where the page went). Import it after
// happy-dom's page is set up (see board/board-page.test.tsx).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { Caller, TestApp } from '../../test-support/app.ts';
import { ApiContext, createDashboardClient } from './api.ts';
import { SessionProvider } from './session.tsx';
import { ToastProvider } from './shell/ui.tsx';
import type { Me } from './types.ts';

// A real API on a busy machine (CI on Postgres, other suites alongside) can take more than
// testing-library's default second to answer; the page is waited for longer, never assumed.
configure({ asyncUtilTimeout: 5000 });

export async function signedIn(t: TestApp, caller: Caller, path: string) {
  const { hook, history } = memoryLocation({ path, record: true });
  const me = (await t.request('GET', '/api/v1/me', { as: caller })).body as Me;
  const fetchAsCaller: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${caller.token}`);
    return Promise.resolve(t.app.request(String(input), { ...init, headers }));
  };
  const api = createDashboardClient({ baseUrl: 'http://localhost:8787', fetch: fetchAsCaller, organization: () => null });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={api}>
        <ToastProvider>
          <Router hook={hook}>
            <SessionProvider me={me}>{children}</SessionProvider>
          </Router>
        </ToastProvider>
      </ApiContext.Provider>
    </QueryClientProvider>
  );
  return { wrapper, queryClient, me, history };
}
