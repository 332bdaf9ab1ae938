// The sentence a rep reads when a call failed, by the error's code (never by its text).
import type { ApiError } from '../api-client/api-error.ts';

export function describeError(error: ApiError): string {
  switch (error.code) {
    case 'OFFLINE':
      return 'The CRM cannot be reached. Changes you make are kept and sent when it is back.';
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again.';
    case 'FORBIDDEN':
      return `You are not allowed to do this: ${error.message}`;
    case 'RATE_LIMITED':
      return 'The CRM is busy. Trying again shortly.';
    case 'INTERNAL':
      return 'The CRM had a problem on its side. Try again in a moment.';
    case 'BAD_RESPONSE':
      return 'The CRM sent an answer the sidebar cannot read.';
    default:
      return error.message;
  }
}
