// Salesforce's errors (REST error arrays via jsforce's HttpApiError, per-record save errors of
// sObject collections, OAuth token-endpoint errors, socket failures) as the sync's domain codes.
import { CrmSyncError, type SyncError, type SyncErrorCode } from '../../../core/sync/errors.ts';
import { isNetworkFailure } from '../network-errors.ts';

const byErrorCode: Record<string, SyncErrorCode> = {
  REQUEST_LIMIT_EXCEEDED: 'rate_limited',
  TOO_MANY_REQUESTS: 'rate_limited',
  INVALID_SESSION_ID: 'auth_revoked',
  INVALID_AUTH_HEADER: 'auth_revoked',
  invalid_grant: 'auth_revoked',
  inactive_user: 'auth_revoked',
  inactive_org: 'auth_revoked',
  INSUFFICIENT_ACCESS: 'permission_missing',
  INSUFFICIENT_ACCESS_OR_READONLY: 'permission_missing',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'permission_missing',
  API_DISABLED_FOR_ORG: 'permission_missing',
  API_CURRENTLY_DISABLED: 'permission_missing',
  FUNCTIONALITY_NOT_ENABLED: 'permission_missing',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'permission_missing',
  invalid_client: 'permission_missing',
  invalid_client_id: 'permission_missing',
  INVALID_FIELD: 'field_missing',
  NO_SUCH_COLUMN: 'field_missing',
  INVALID_TYPE: 'field_missing',
  NOT_FOUND: 'not_found',
  ENTITY_IS_DELETED: 'not_found',
  INVALID_CROSS_REFERENCE_KEY: 'not_found',
  // The query cursor expired: the pull resumes from its checkpoint's stamp instead.
  INVALID_QUERY_LOCATOR: 'not_found',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'validation_rejected',
  REQUIRED_FIELD_MISSING: 'validation_rejected',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'validation_rejected',
  STRING_TOO_LONG: 'validation_rejected',
  INVALID_EMAIL_ADDRESS: 'validation_rejected',
  DUPLICATE_VALUE: 'validation_rejected',
  DUPLICATES_DETECTED: 'validation_rejected',
  FIELD_INTEGRITY_EXCEPTION: 'validation_rejected',
  MALFORMED_ID: 'validation_rejected',
  JSON_PARSER_ERROR: 'validation_rejected',
  invalid_request: 'validation_rejected',
  UNKNOWN_EXCEPTION: 'temporarily_unavailable',
  SERVER_UNAVAILABLE: 'temporarily_unavailable',
  QUERY_TIMEOUT: 'temporarily_unavailable',
  UNABLE_TO_LOCK_ROW: 'temporarily_unavailable',
};

function byStatus(status: number): SyncErrorCode {
  if (status === 401) return 'auth_revoked';
  if (status === 403) return 'permission_missing';
  if (status === 404) return 'not_found';
  if (status === 420 || status === 429) return 'rate_limited';
  if (status >= 500) return 'temporarily_unavailable';
  return 'validation_rejected';
}

/** One error of a REST error array or a save result: `{errorCode|statusCode, message, fields}`. */
export function parseSalesforceErrorEntry(entry: { errorCode?: string; statusCode?: string; message?: string; fields?: string[] }): SyncError {
  const providerCode = entry.errorCode ?? entry.statusCode ?? 'UNKNOWN';
  const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(providerCode);
  const code = byErrorCode[providerCode] ?? (httpStatus ? byStatus(Number(httpStatus[1])) : 'validation_rejected');
  return {
    code,
    message: entry.message ?? providerCode,
    providerCode,
    ...(httpStatus ? { status: Number(httpStatus[1]) } : {}),
    ...(entry.fields?.length ? { fields: entry.fields } : {}),
  };
}

/** Anything jsforce (or the network under it) threw. */
export function parseSalesforceError(error: unknown): SyncError {
  if (error instanceof CrmSyncError) return error;
  if (isNetworkFailure(error)) return { code: 'temporarily_unavailable', message: (error as Error).message ?? 'network failure' };
  const e = error as { name?: string; errorCode?: string; message?: string; data?: unknown };
  // jsforce wraps a failed refresh: the refresher's own CrmSyncError message is kept in it.
  if (typeof e.message === 'string' && e.message.startsWith('Unable to refresh session due to:')) {
    return { code: 'auth_revoked', message: e.message, providerCode: 'REFRESH_FAILED' };
  }
  if (e.errorCode === 'MULTIPLE_API_ERRORS' && Array.isArray(e.data) && e.data.length > 0) return parseSalesforceErrorEntry(e.data[0] as never);
  const providerCode = e.errorCode ?? e.name;
  if (typeof providerCode === 'string' && providerCode !== 'Error') return parseSalesforceErrorEntry({ errorCode: providerCode, message: e.message, fields: (e.data as { fields?: string[] } | undefined)?.fields });
  return { code: 'temporarily_unavailable', message: e.message ?? String(error) };
}
