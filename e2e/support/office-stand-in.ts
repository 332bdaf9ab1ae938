// The stand-in office.js the Outlook browser tests serve at Microsoft's CDN address (page.route):
// outlook-addin/office/fake-office.ts (written to @types/office-js), bundled into one classic script
// that installs it as `Office` with the fixture the test put in `window.__officeFixture`
// (office-stand-in.entry.ts).
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

export const officeJsUrl = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

const entry = fileURLToPath(new URL('./office-stand-in.entry.ts', import.meta.url));

let bundled: Promise<string> | null = null;

/** The script, built once per test run. */
export function officeStandIn(): Promise<string> {
  bundled ??= (async () => {
    const result = (await build({
      configFile: false,
      logLevel: 'warn',
      build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'OfficeStandIn' } },
    })) as Rolldown.RolldownOutput[] | Rolldown.RolldownOutput;
    const output = Array.isArray(result) ? result[0]! : result;
    const chunk = output.output.find((o) => o.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('The Office stand-in did not build');
    return chunk.code;
  })();
  return bundled;
}
