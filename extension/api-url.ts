// The API address the extension talks to, and the one host permission it needs.

export const fallbackApiUrl = 'http://localhost:8787';

/** Plain http only for an API on this computer: elsewhere the bearer token would cross the network in clear. */
const localHosts = new Set(['localhost', '127.0.0.1']);

export type ApiUrlCheck = { ok: true; apiUrl: string; origin: string } | { ok: false; message: string };

/** Accepts "http://localhost:8787", "https://crm.example.com/", ".../api/v1"; answers the base without a trailing slash. */
export function checkApiUrl(input: string): ApiUrlCheck {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, message: 'Enter a full address, for example https://crm.example.com' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'The address must start with https://' };
  if (url.protocol === 'http:' && !localHosts.has(url.hostname)) {
    return { ok: false, message: 'Use https:// (plain http:// is allowed for localhost and 127.0.0.1 only)' };
  }
  if (url.username || url.password || url.search || url.hash) return { ok: false, message: 'Enter the address without a user name, query or #fragment' };
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return { ok: true, apiUrl: url.origin + path, origin: url.origin };
}

/** The match pattern to ask for: this origin only. */
export const permissionPatternFor = (origin: string) => `${origin}/*`;
