// For the settings' component tests: the real typed client over a fake network (the only mock is
// at the network edge), which answers per "METHOD /path" and records what was sent.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { ApiContext, createDashboardClient } from '../api.ts';
import { SessionProvider } from '../session.tsx';
import { ToastProvider } from '../shell/ui.tsx';
import type { Me, Role } from '../types.ts';

export interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
}

type Handler = (req: Sent) => { status?: number; body: unknown } | unknown;

export const ORG = '11111111-1111-4111-8111-111111111111';
export const ME = '22222222-2222-4222-8222-222222222222';

export function meAs(role: Role): Me {
  return {
    user: { id: ME, name: 'Alex Admin', email: 'alex@acme.test' },
    organization: { id: ORG, name: 'Acme' },
    role,
    organizations: [{ id: ORG, name: 'Acme', role }],
    emailVerified: true,
  } as Me;
}

export function fakeNetwork(routes: Record<string, Handler>) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const req: Sent = { method: init?.method ?? 'GET', path, query: url.searchParams, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    sent.push(req);
    const key = Object.keys(routes).find((k) => {
      const [method, pattern] = k.split(' ');
      return method === req.method && new RegExp(`^${pattern!.replace(/:[a-z]+/gi, '[^/]+')}$`).test(path);
    });
    if (!key) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: `No fake for ${req.method} ${path}` } }), { status: 404 });
    const answer = routes[key]!(req) as { status?: number; body?: unknown } | undefined;
    const status = answer && typeof answer === 'object' && 'status' in answer ? answer.status! : 200;
    const body = answer && typeof answer === 'object' && 'status' in answer ? answer.body : answer;
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent, writes: () => sent.filter((s) => s.method !== 'GET') };
}

export function renderWith(ui: ReactNode, options: { network: ReturnType<typeof fakeNetwork>; role?: Role; path?: string }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const api = createDashboardClient({ baseUrl: 'http://crm.test', fetch: options.network.fetch, organization: () => ORG });
  const { hook } = memoryLocation({ path: options.path ?? '/' });
  return render(
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={api}>
        <ToastProvider>
          <Router hook={hook}>
            <SessionProvider me={meAs(options.role ?? 'admin')}>{ui}</SessionProvider>
          </Router>
        </ToastProvider>
      </ApiContext.Provider>
    </QueryClientProvider>,
  );
}
