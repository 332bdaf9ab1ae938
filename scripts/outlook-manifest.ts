// `npm run outlook:manifest [file]`: writes the Outlook add-in's manifest for sideloading, the same
// XML the API serves at /outlook/manifest.xml, from the same settings (PUBLIC_URL, OUTLOOK_ADDIN_ID).
// Default file: outlook-addin/manifest.xml (not committed: it names one deployment's address).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../api/config.ts';
import { buildOutlookManifest, ManifestConfigError, outlookUrls } from '../core/outlook/manifest.ts';

const config = loadConfig();
const target = resolve(process.argv[2] ?? 'outlook-addin/manifest.xml');
try {
  writeFileSync(target, buildOutlookManifest({ publicUrl: config.publicUrl, addinId: config.outlookAddinId }));
  console.log(`Wrote ${target} for ${outlookUrls(config.publicUrl).base}`);
  console.log('Add it in Outlook: Get add-ins → My add-ins → Add a custom add-in → Add from file (see outlook-addin/README.md).');
} catch (err) {
  if (!(err instanceof ManifestConfigError)) throw err;
  console.error(`No manifest written: ${err.message}`);
  process.exitCode = 1;
}
