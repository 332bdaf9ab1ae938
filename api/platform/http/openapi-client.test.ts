// ui/api-client/openapi.d.ts is the only place ui/ learns the API's types from. It is generated from
// this app's OpenAPI document and committed; this test regenerates it in memory and fails while the
// committed file says something else, so a change to a route or a schema cannot leave the sidebar,
// the demo inbox and the extension typed against an API that no longer exists.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiTypesPath, apiTypesSource, fetchOpenApiDocument } from '../../../scripts/api-types.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('ui/api-client/openapi.d.ts matches the API’s OpenAPI document', async () => {
  const expected = await apiTypesSource(await fetchOpenApiDocument(t.app));
  const committed = await readFile(apiTypesPath, 'utf8').catch(() => '');
  if (committed !== expected) {
    const differs = [...expected].findIndex((ch, i) => committed[i] !== ch);
    const line = expected.slice(0, differs === -1 ? expected.length : differs).split('\n').length;
    expect.fail(`ui/api-client/openapi.d.ts is stale (first difference on line ${line}): run npm run api:types and commit the result`);
  }
});
