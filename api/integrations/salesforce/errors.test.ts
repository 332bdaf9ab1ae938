import { describe, expect, it } from 'vitest';
import { parseSalesforceError, parseSalesforceErrorEntry } from './errors.ts';

// Shaped as jsforce 3.10.16 throws them (HttpApiError: name = errorCode, data = the body entry).
const apiError = (errorCode: string, message = 'm', data: unknown = { errorCode, message }) =>
  Object.assign(new Error(message), { name: errorCode, errorCode, data });
const oauthError = (error: string) => Object.assign(new Error('expired access/refresh token'), { name: error });

describe('parseSalesforceError', () => {
  it.each([
    ['REQUEST_LIMIT_EXCEEDED (403)', apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'rate_limited'],
    ['INVALID_SESSION_ID', apiError('INVALID_SESSION_ID', 'Session expired or invalid'), 'auth_revoked'],
    ['a refresh that failed inside jsforce', new Error('Unable to refresh session due to: expired access/refresh token'), 'auth_revoked'],
    ['invalid_grant from the token endpoint', oauthError('invalid_grant'), 'auth_revoked'],
    ['INSUFFICIENT_ACCESS', apiError('INSUFFICIENT_ACCESS'), 'permission_missing'],
    ['INVALID_FIELD', apiError('INVALID_FIELD', "No such column 'Region__c' on entity 'Account'"), 'field_missing'],
    ['NOT_FOUND', apiError('NOT_FOUND'), 'not_found'],
    ['ENTITY_IS_DELETED', apiError('ENTITY_IS_DELETED'), 'not_found'],
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION', apiError('FIELD_CUSTOM_VALIDATION_EXCEPTION'), 'validation_rejected'],
    ['UNKNOWN_EXCEPTION (500)', apiError('UNKNOWN_EXCEPTION'), 'temporarily_unavailable'],
    ['SERVER_UNAVAILABLE (503)', apiError('SERVER_UNAVAILABLE'), 'temporarily_unavailable'],
    ['a bare 502 without a Salesforce body', apiError('ERROR_HTTP_502', '<html>'), 'temporarily_unavailable'],
    ['a bare 429', apiError('ERROR_HTTP_429'), 'rate_limited'],
    ['a bare 404', apiError('ERROR_HTTP_404'), 'not_found'],
    ['a reset socket', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'temporarily_unavailable'],
    ['a body cut off mid-way', new SyntaxError('Unexpected end of JSON input'), 'temporarily_unavailable'],
    ['several errors: the first decides', apiError('MULTIPLE_API_ERRORS', 'Multiple errors', [{ errorCode: 'INVALID_FIELD', message: 'x' }, { errorCode: 'NOT_FOUND', message: 'y' }]), 'field_missing'],
  ])('%s → %s', (_label, error, code) => {
    expect(parseSalesforceError(error).code).toBe(code);
  });

  it('keeps the provider code and message for the admin', () => {
    expect(parseSalesforceError(apiError('INVALID_SESSION_ID', 'Session expired or invalid'))).toEqual({
      code: 'auth_revoked',
      message: 'Session expired or invalid',
      providerCode: 'INVALID_SESSION_ID',
    });
  });
});

describe('parseSalesforceErrorEntry (a record of an sObject collection)', () => {
  it.each([
    [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }, { code: 'validation_rejected', fields: ['LastName'] }],
    [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }, { code: 'not_found' }],
    [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access', fields: [] }, { code: 'temporarily_unavailable' }],
  ])('%j', (entry, expected) => {
    expect(parseSalesforceErrorEntry(entry)).toMatchObject({ ...expected, providerCode: entry.statusCode, message: entry.message });
  });
});
