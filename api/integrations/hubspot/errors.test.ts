import { describe, expect, it } from 'vitest';
import { parseHubSpotError } from './errors.ts';

// Shaped as @hubspot/api-client 14.0.1 throws them: ApiException {code, body, headers}.
const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });
const error = (category: string, message: string, extra: object = {}) => ({ status: 'error', message, correlationId: 'c0ffee', category, ...extra });

describe('parseHubSpotError', () => {
  it.each([
    ['429 ten-secondly', apiException(429, error('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', { policyName: 'TEN_SECONDLY_ROLLING' }), { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }), { code: 'rate_limited', retryAfterMs: 10_000, providerCode: 'RATE_LIMITS/TEN_SECONDLY_ROLLING' }],
    ['429 secondly (search)', apiException(429, error('RATE_LIMITS', 'You have reached your secondly limit.', { policyName: 'SECONDLY' })), { code: 'rate_limited', retryAfterMs: 1000 }],
    ['429 daily', apiException(429, error('RATE_LIMITS', 'You have reached your daily limit.', { policyName: 'DAILY' })), { code: 'rate_limited', providerCode: 'RATE_LIMITS/DAILY' }],
    ['401 expired token', apiException(401, error('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 2 minute(s) ago.')), { code: 'auth_revoked', providerCode: 'EXPIRED_AUTHENTICATION' }],
    ['401 invalid token', apiException(401, error('INVALID_AUTHENTICATION', 'Authentication credentials not found.')), { code: 'auth_revoked' }],
    ['403 missing scopes', apiException(403, error('MISSING_SCOPES', 'This app hasn\'t been granted all required scopes')), { code: 'permission_missing' }],
    ['404', apiException(404, error('OBJECT_NOT_FOUND', 'resource not found')), { code: 'not_found' }],
    ['400 missing property', apiException(400, error('VALIDATION_ERROR', 'Property values were not valid', { errors: [{ code: 'PROPERTY_DOESNT_EXIST', message: 'Property "region" does not exist', context: { propertyName: ['region'] } }] })), { code: 'field_missing', fields: ['region'] }],
    ['400 invalid value', apiException(400, error('VALIDATION_ERROR', 'Property values were not valid', { errors: [{ code: 'INVALID_OPTION', context: { propertyName: ['industry'] } }] })), { code: 'validation_rejected', fields: ['industry'] }],
    ['409 duplicate', apiException(409, error('CONFLICT', 'Contact already exists. Existing ID: 512')), { code: 'validation_rejected' }],
    ['502 with an HTML body', apiException(502, '<html>Bad gateway</html>'), { code: 'temporarily_unavailable' }],
    ['a body given as JSON text', apiException(429, JSON.stringify(error('RATE_LIMITS', 'x', { policyName: 'TEN_SECONDLY_ROLLING' }))), { code: 'rate_limited', retryAfterMs: 10_000 }],
    ['token endpoint: a revoked refresh token', apiException(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' }), { code: 'auth_revoked' }],
    ['a connection reset', Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), { code: 'temporarily_unavailable' }],
  ])('%s', (_label, thrown, expected) => {
    expect(parseHubSpotError(thrown)).toMatchObject(expected);
  });
});
