// A route list is `[method, path template]` pairs typed against the generated `paths`. It gives a
// client that can call those routes and no others (PathsOf), and answers whether a request is one
// of them (matchRoute): so what a caller may call and what a relay lets through are one list.
import type { HttpMethod, PathWith } from './api-types.ts';
import type { paths } from './openapi.d.ts';

export type ApiRoute = { [M in HttpMethod]: readonly [M, PathWith<M>] }[HttpMethod];

type MethodsOf<R extends ApiRoute, P> = Extract<R, readonly [HttpMethod, P]>[0];
type AnyMethod = HttpMethod | 'options' | 'head' | 'trace';

/** The part of `paths` a route list allows: its paths, with only its methods on each. */
export type PathsOf<R extends ApiRoute> = {
  [P in R[1]]: { parameters: paths[P]['parameters'] } & { [M in MethodsOf<R, P>]: paths[P][M] } & { [M in Exclude<AnyMethod, MethodsOf<R, P>>]?: never };
};

const isDotSegment = (segment: string) => {
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === '.' || decoded === '..' || decoded.includes('/');
  } catch {
    return true; // not even valid percent-encoding
  }
};

/**
 * The route of `routes` that `method` and `path` (relative to /api/v1, without the query) are, or
 * null. A `{param}` takes one whole segment, never an empty one or a dot segment (encoded or not).
 */
export function matchRoute<R extends ApiRoute>(routes: readonly R[], method: string, path: string): R | null {
  const segments = path.split('/');
  return (
    routes.find(([routeMethod, template]) => {
      if (routeMethod !== method.toLowerCase()) return false;
      const parts = template.split('/');
      return (
        parts.length === segments.length &&
        parts.every((part, i) => {
          const segment = segments[i]!;
          return part.startsWith('{') ? segment !== '' && !isDotSegment(segment) : part === segment;
        })
      );
    }) ?? null
  );
}
