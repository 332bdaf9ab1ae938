// The web app's one way to the API: the typed client of ui/api-client (openapi-fetch, types
// generated from the API's OpenAPI document) on the page's own origin, where the browser sends the
// cookie session itself, with the organization the person chose (X-Org-Id) added to every request.
// Components reach it through React context, so tests give them a client over a fake network.
import { createContext, useContext } from 'react';
import { call, createApiClient, type ApiClient } from '../api-client/api-client.ts';
import { ApiError, isApiError } from '../api-client/api-error.ts';

export { call, ApiError, isApiError };
export type { ApiClient };

const ORG_KEY = 'inbox-crm:organization';

/** The organization chosen in this browser (people in several pick one); null: their first. */
export function chosenOrganization(): string | null {
  try {
    return window.localStorage.getItem(ORG_KEY);
  } catch {
    return null;
  }
}

export function chooseOrganization(orgId: string | null) {
  try {
    if (orgId) window.localStorage.setItem(ORG_KEY, orgId);
    else window.localStorage.removeItem(ORG_KEY);
  } catch {
    /* private mode: the choice lasts this page */
  }
}

export function createDashboardClient(options: { baseUrl: string; fetch?: typeof fetch; organization?: () => string | null }): ApiClient {
  const client = createApiClient({ baseUrl: options.baseUrl, fetch: options.fetch });
  const organization = options.organization ?? chosenOrganization;
  client.use({
    onRequest({ request }) {
      const org = organization();
      if (org) request.headers.set('X-Org-Id', org);
      return request;
    },
  });
  return client;
}

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

/** What a person reads when something failed: the API's own message, or what to do about no answer. */
export function errorMessage(err: unknown): string {
  if (isApiError(err)) {
    if (err.code === 'OFFLINE') return 'The CRM cannot be reached. Check your connection; we will try again.';
    if (err.code === 'RATE_LIMITED') return 'Too many requests in a short time. Wait a moment and try again.';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Saves text as a file (CSV exports), named `filename`. */
export function download(text: string, filename: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
