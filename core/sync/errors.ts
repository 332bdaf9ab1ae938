// What can go wrong talking to a CRM, in the few words the sync acts on. Each provider has one
// parser (api/integrations/<provider>/errors.ts) that turns its wire errors into these; the retry
// policy (retry-policy.ts) decides what to do with them.
export const syncErrorCodes = [
  'rate_limited',
  'temporarily_unavailable',
  'auth_revoked',
  'permission_missing',
  'field_missing',
  'validation_rejected',
  'not_found',
] as const;

export type SyncErrorCode = (typeof syncErrorCodes)[number];

export interface SyncError {
  code: SyncErrorCode;
  /** The provider's own words, kept for the admin (run log, conflict journal). */
  message: string;
  /** The provider's own code (e.g. REQUEST_LIMIT_EXCEEDED, RATE_LIMIT/TEN_SECONDLY_ROLLING). */
  providerCode?: string;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** How long the provider asked us to wait, when it said. */
  retryAfterMs?: number;
  /** The CRM fields the error names (a missing field, a rejected value). */
  fields?: string[];
}

/** Thrown by provider clients once a wire error has been parsed. */
export class CrmSyncError extends Error implements SyncError {
  readonly code: SyncErrorCode;
  readonly providerCode?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly fields?: string[];
  constructor(error: SyncError) {
    super(error.message);
    this.name = 'CrmSyncError';
    this.code = error.code;
    this.providerCode = error.providerCode;
    this.status = error.status;
    this.retryAfterMs = error.retryAfterMs;
    this.fields = error.fields;
  }
}

export const isSyncErrorCode = (value: unknown): value is SyncErrorCode => (syncErrorCodes as readonly unknown[]).includes(value);
