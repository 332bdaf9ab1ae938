// Conventions for the Gmail features (one feature per file, refined-github style): each file says
// what it is and how to check it by hand, is started by inboxsdk.ts and is described in the README.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = new URL('.', import.meta.url).pathname;
const read = (path: string) => readFileSync(path, 'utf8');
const features = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && read(join(dir, f)).startsWith('// Feature:'))
  .sort();

it('are these', () => {
  expect(features).toEqual(['compose-tracking.ts', 'sender-views.ts', 'sent-labels.ts']);
});

it.each(features)('%s says how to check it by hand, is started by inboxsdk.ts and is in the README', (file) => {
  expect(read(join(dir, file))).toMatch(/\/\/ Check by hand:/);
  expect(read(join(dir, 'inboxsdk.ts'))).toContain(`from './${file}'`);
  expect(read(join(dir, '..', 'README.md'))).toContain(`gmail/${file}`);
});
