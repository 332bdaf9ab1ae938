// HubSpot's errors (the client's ApiException {code, body, headers}, token-endpoint errors,
// socket failures) as the sync's domain codes.
import { CrmSyncError, type SyncError, type SyncErrorCode } from '../../../core/sync/errors.ts';
import { isNetworkFailure } from '../network-errors.ts';

interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: string;
  policyName?: string;
  context?: { propertyName?: string[] };
  errors?: { code?: string; message?: string; context?: { propertyName?: string[] } }[];
}

function body(raw: unknown): HubSpotErrorBody {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as HubSpotErrorBody;
    } catch {
      return { message: raw };
    }
  }
  return (raw ?? {}) as HubSpotErrorBody;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const entry = Object.entries(headers as Record<string, string>).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

/** How long a 429 asks us to wait, by its policy (HubSpot sends no Retry-After on most). */
function retryAfterMs(b: HubSpotErrorBody, headers: unknown): number | undefined {
  const retryAfter = Number(header(headers, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const interval = Number(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
  if (b.policyName === 'TEN_SECONDLY_ROLLING') return Number.isFinite(interval) && interval > 0 ? interval : 10_000;
  if (b.policyName === 'SECONDLY' || /secondly limit/i.test(b.message ?? '')) return 1000;
  return undefined;
}

function codeFor(status: number, b: HubSpotErrorBody): SyncErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'auth_revoked';
  if (status === 403) return 'permission_missing';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'temporarily_unavailable';
  const codes = [b.subCategory, ...(b.errors ?? []).map((e) => e.code), b.status];
  if (codes.includes('PROPERTY_DOESNT_EXIST') || /Property .* does not exist/i.test(b.message ?? '')) return 'field_missing';
  // The token endpoint: a refresh token that no longer works is a revoked grant.
  if (b.status === 'BAD_REFRESH_TOKEN' || b.status === 'BAD_GRANT_TYPE') return 'auth_revoked';
  if (b.status === 'BAD_CLIENT_ID' || b.status === 'BAD_CLIENT_SECRET') return 'permission_missing';
  return 'validation_rejected';
}

export function parseHubSpotError(error: unknown): SyncError {
  if (error instanceof CrmSyncError) return error;
  const e = error as { code?: unknown; body?: unknown; headers?: unknown; message?: string };
  if (typeof e?.code === 'number') {
    const b = body(e.body);
    const code = codeFor(e.code, b);
    const fields = [...(b.context?.propertyName ?? []), ...(b.errors ?? []).flatMap((x) => x.context?.propertyName ?? [])];
    const wait = code === 'rate_limited' ? retryAfterMs(b, e.headers) : undefined;
    return {
      code,
      message: b.message ?? `HubSpot answered ${e.code}`,
      providerCode: [b.category ?? b.status, b.policyName ?? b.subCategory].filter(Boolean).join('/') || String(e.code),
      status: e.code,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      ...(fields.length ? { fields } : {}),
    };
  }
  if (isNetworkFailure(error)) return { code: 'temporarily_unavailable', message: e?.message ?? 'network failure' };
  return { code: 'temporarily_unavailable', message: e?.message ?? String(error) };
}
