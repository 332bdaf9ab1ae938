// The layout's rules, checked on every file instead of left to review:
//   - dependencies point one way: core ← db ← api; core ← ui ← extension / outlook-addin;
//     inside api, modules use the platform and never the other way round;
//   - ui/ never touches a host (InboxSDK, Office.js, chrome/browser extension APIs, WXT);
//   - only api/config.ts reads process.env;
//   - feature code reaches tenant tables only through its Scope: no withTenant, no transactions,
//     no scoped-builder escape hatch in api/modules (the few places that run before a tenant is
//     known are listed below with their reason);
//   - no import cycles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const layers = ['core', 'db', 'api', 'ui', 'extension', 'outlook-addin', 'sandbox', 'scripts', 'e2e', 'test-support'] as const;
type Layer = (typeof layers)[number];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = layers.flatMap((layer) => {
  try {
    return sourceFiles(join(root, layer));
  } catch {
    return []; // a layer that does not exist yet
  }
});
const rel = (path: string) => relative(root, path);
const layerOf = (path: string) => rel(path).split('/')[0] as Layer;
const isTest = (path: string) => /\.(test|e2e)\.tsx?$/.test(path) || /\/test-[\w-]+\.tsx?$/.test(path) || /\/fake-[\w-]+\.tsx?$/.test(path);

const sources = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

interface Import {
  from: string;
  specifier: string;
  /** The file it resolves to, for relative imports. */
  target: string | null;
  typeOnly: boolean;
}

const imports: Import[] = files.flatMap((file) => {
  const found: Import[] = [];
  for (const m of sources.get(file)!.matchAll(importPattern)) {
    const specifier = (m[1] ?? m[2] ?? m[3])!;
    const target = specifier.startsWith('.') ? resolve(dirname(file), specifier) : null;
    found.push({ from: file, specifier, target, typeOnly: /^\s*(import|export)\s+type\s/.test(m[0]) });
  }
  return found;
});

/** Which layers each layer's production code may import (tests, which ship nowhere, may use fixtures from anywhere). */
const allowed: Record<Layer, Layer[]> = {
  core: ['core'],
  db: ['core', 'db'],
  api: ['core', 'db', 'api'],
  ui: ['core', 'ui'],
  extension: ['core', 'ui', 'extension'],
  'outlook-addin': ['core', 'ui', 'outlook-addin'],
  sandbox: ['core', 'sandbox'],
  scripts: [...layers],
  e2e: [...layers],
  'test-support': [...layers],
};

describe('the layout rules', () => {
  it('finds the code it checks', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(imports.length).toBeGreaterThan(1000);
  });

  it('keeps dependencies pointing one way between layers', () => {
    const wrong = imports
      .filter((i) => i.target && layers.includes(layerOf(i.target)))
      .filter((i) => {
        const from = layerOf(i.from);
        const to = layerOf(i.target!);
        return !isTest(i.from) && !allowed[from].includes(to);
      })
      .map((i) => `${rel(i.from)} imports ${rel(i.target!)}`);
    expect(wrong).toEqual([]);
  });

  it('keeps api/platform independent of the feature modules', () => {
    const wrong = imports
      .filter((i) => i.target && rel(i.from).startsWith('api/platform/') && !isTest(i.from) && rel(i.target).startsWith('api/modules/'))
      .map((i) => `${rel(i.from)} imports ${rel(i.target!)}`);
    expect(wrong).toEqual([]);
  });

  it('keeps ui/ free of host APIs: InboxSDK, Office.js, chrome/browser extension APIs, WXT', () => {
    const hostPackages = /^(@inboxsdk\/|wxt(\/|$)|#imports|webextension-polyfill|@types\/office-js|office-addin)/;
    const wrong: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === 'ui')) {
      const code = sources.get(file)!.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const i of imports.filter((x) => x.from === file)) if (hostPackages.test(i.specifier)) wrong.push(`${rel(file)} imports ${i.specifier}`);
      if (/\b(chrome|browser)\.(runtime|storage|tabs|scripting|notifications|action)\b/.test(code)) wrong.push(`${rel(file)} calls an extension API`);
      if (/\bOffice\.(context|onReady|actions|EventType)\b/.test(code)) wrong.push(`${rel(file)} calls Office.js`);
    }
    expect(wrong).toEqual([]);
  });

  it('reads process.env only in api/config.ts, under api/', () => {
    const wrong = files
      .filter((f) => layerOf(f) === 'api' && !isTest(f) && rel(f) !== 'api/config.ts')
      .filter((f) => /process\.env\b/.test(sources.get(f)!.replace(/\/\/.*$/gm, '')))
      .map(rel);
    expect(wrong).toEqual([]);
  });

  it('reaches tenant tables from feature code (api/modules, api/integrations) only through a Scope', () => {
    // Work that runs before there is a tenant, each with its reason.
    const beforeTenant: Record<string, string> = {
      'api/modules/identity/accounts.service.ts': 'signing in and resolving an API key or session to its organization',
      'api/modules/identity/admin-cli.ts': 'the operator command creates organizations',
      'api/modules/tracking/tracking-public.routes.ts': 'a pixel or click resolves its token to an organization',
      'api/modules/tracking/hit-buffer.ts': 'batched hits of many organizations, each written in its own tenant scope',
      'api/modules/tracking/tracking-hits.service.ts': 'the settle pass finds which organizations have hits to classify',
      'api/modules/tracking/tracking.service.ts': 'a public opt-out resolves its token to an organization',
      'api/modules/risk/backtest-cli.ts': 'the operator command names the organization',
    };
    const escapes = /\bwithTenant\(|\bscopedDb\(|\.transaction\(/;
    const wrong = files
      .filter((f) => (rel(f).startsWith('api/modules/') || rel(f).startsWith('api/integrations/')) && !isTest(f) && !(rel(f) in beforeTenant))
      .filter((f) => escapes.test(sources.get(f)!) || /from ['"][./]+\/db\/tenant\.ts['"]/.test(sources.get(f)!))
      .map(rel);
    expect(wrong).toEqual([]);
  });

  it('has no import cycles (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    const resolveFile = (target: string) => [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].find((p) => sources.has(p));
    for (const i of imports) {
      if (!i.target || i.typeOnly) continue;
      const to = resolveFile(i.target);
      if (to) graph.set(i.from, [...(graph.get(i.from) ?? []), to]);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, 'visiting');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].map(rel).join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
