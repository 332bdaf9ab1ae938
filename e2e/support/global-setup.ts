// Browser tests need Debian's chromium. Locally they are skipped, loudly, when it is missing; in CI
// a missing browser is a failure, never a silent skip.
import { chromiumAvailable, chromiumPath } from './browser.ts';

export default function setup() {
  if (chromiumAvailable) return;
  const message = `No browser at ${chromiumPath}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** Browser tests skipped. ${message}\n`);
}
