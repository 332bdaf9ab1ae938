// A fetch that answers like the CRM API (status codes and `{ error: { code, message } }` bodies as
// api/errors.ts writes them), for the background's tests. It records every request it sees.

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  credentials?: RequestCredentials;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });

export const demoAccount = {
  user: { id: '00000000-0000-4000-8000-000000000001', name: 'Rita Rep', email: 'rep1@demo.test' },
  organization: { id: '00000000-0000-4000-8000-0000000000aa', name: 'Demo Co' },
  role: 'rep',
};

export class FakeApi {
  readonly requests: SeenRequest[] = [];
  /** 'down': connection refused; 'hang': never answers (until the caller's signal aborts). */
  mode: 'up' | 'down' | 'hang' = 'up';
  readonly tokens = new Set<string>();
  private issued = 0;

  constructor(readonly origin = 'http://localhost:8787') {}

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    this.requests.push({ method: init?.method ?? 'GET', url: url.href, headers, body: typeof init?.body === 'string' ? init.body : null, credentials: init?.credentials });
    if (this.mode === 'down' || url.origin !== this.origin) throw new TypeError('fetch failed');
    if (this.mode === 'hang') {
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    return this.route(init?.method ?? 'GET', url, headers.authorization, typeof init?.body === 'string' ? init.body : null);
  };

  private route(method: string, url: URL, authorization: string | undefined, body: string | null): Response {
    const path = url.pathname;
    if (method === 'POST' && path === '/api/v1/session') {
      const input = JSON.parse(body ?? '{}') as { email?: string; password?: string };
      if (!input.password || input.password.length < 8) return json(400, { error: { code: 'VALIDATION_FAILED', message: 'password: Too small', details: [] } });
      if (input.email !== demoAccount.user.email || input.password !== 'demo-password') return error(401, 'UNAUTHENTICATED', 'Wrong email or password');
      const token = `tok-${++this.issued}`;
      this.tokens.add(token);
      return json(200, { token, ...demoAccount });
    }
    const token = authorization?.replace(/^Bearer /, '');
    if (!token || !this.tokens.has(token)) return error(401, 'UNAUTHENTICATED', 'Sign in first');
    if (method === 'DELETE' && path === '/api/v1/session') {
      this.tokens.delete(token);
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && path === '/api/v1/me') return json(200, { ...demoAccount, organizations: [{ ...demoAccount.organization, role: 'rep' }] });
    if (method === 'GET' && path === '/api/v1/context') {
      const emails = (url.searchParams.get('emails') ?? '').split(',');
      return json(200, { contacts: [], unknownEmails: emails, companies: [], deals: [], activities: [], tasks: [] });
    }
    if (method === 'PATCH' && path.startsWith('/api/v1/deals/')) return error(404, 'NOT_FOUND', 'Deal not found');
    return error(404, 'NOT_FOUND', 'No such route');
  }
}
