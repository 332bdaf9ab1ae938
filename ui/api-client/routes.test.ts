import { describe, expect, it } from 'vitest';
import { matchRoute, type ApiRoute } from './routes.ts';

const routes = [
  ['get', '/context'],
  ['patch', '/deals/{id}'],
  ['post', '/tracking/messages/{id}/sent'],
] as const satisfies readonly ApiRoute[];

describe('matchRoute', () => {
  it.each([
    ['GET', '/context', ['get', '/context']],
    ['get', '/context', ['get', '/context']],
    ['PATCH', '/deals/00000000-0000-4000-8000-000000000001', ['patch', '/deals/{id}']],
    ['POST', '/tracking/messages/abc/sent', ['post', '/tracking/messages/{id}/sent']],
    ['POST', '/context', null], // the path, another method
    ['GET', '/deals/d1', null],
    ['PATCH', '/deals', null], // a parameter is a whole segment…
    ['PATCH', '/deals/', null], // …never an empty one
    ['PATCH', '/deals/d1/history', null],
    ['PATCH', '/deals/..', null], // nor a dot segment, plain or encoded
    ['PATCH', '/deals/%2e%2e', null],
    ['PATCH', '/deals/%2E', null],
    ['PATCH', '/deals/a%2Fb', null], // nor one that decodes to two
    ['PATCH', '/deals/%E0%A4%A', null], // nor one that does not decode
    ['GET', '/context/', null],
    ['GET', '/contextual', null],
  ])('%s %s → %j', (method, path, expected) => {
    expect(matchRoute(routes, method, path)).toEqual(expected);
  });
});
