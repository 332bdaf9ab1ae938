// Small helpers so route files declare bodies and responses in one line each.
import type { z } from 'zod';
import { ErrorBody } from '../../../core/schemas/common.ts';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const error = (description: string) => jsonContent(ErrorBody, description);

export const errorResponses = {
  400: error('Invalid input: VALIDATION_FAILED (including text holding \\u0000), INVALID_JSON or INVALID_REFERENCE'),
  401: error('Not signed in'),
  403: error('FORBIDDEN: signed in, but the role does not allow this; CROSS_SITE_REQUEST: a change sent with the session cookie from a page on another origin'),
  404: error('No such record in this organization'),
  415: error('UNSUPPORTED_MEDIA_TYPE: the body is declared in a charset other than UTF-8'),
  429: {
    ...error('RATE_LIMITED: too many requests from this API key, user, address or network; retry after Retry-After seconds'),
    headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer' as const } } },
  },
} as const;

export const conflictResponse = { 409: error('Conflicts with an existing record') } as const;
export const goneResponse = { 410: error('Deleted more than 30 days ago; it can no longer be restored') } as const;
