// Checking what the browser did through the API itself, as the demo rep.
import { demoCredentials } from '../../db/demo-data.ts';

export async function apiAs(baseUrl: string, email = demoCredentials.rep, password = demoCredentials.password) {
  const session = await fetch(`${baseUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const { token } = (await session.json()) as { token: string };
  return async <T = any>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? null : await res.json()) as T;
  };
}
