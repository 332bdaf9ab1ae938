// Starts every provider stand-in for development: `npm start` (scripts/start.ts) and `npm run
// sandbox`. Never in production. SMTP's stand-in is for tests only: development keeps mail in the
// data folder and shows it at /dev/mail.
import { pathToFileURL } from 'node:url';
import { startHubSpotSandbox, type HubSpotSandbox } from './hubspot/index.ts';
import type { Volume } from './shared/options.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from './salesforce/index.ts';
import { startSlackSandbox, type SlackSandbox } from './slack/slack-sandbox.ts';
import { startStripeSandbox, type StripeSandbox } from './stripe/stripe-sandbox.ts';

export interface DevSandboxes {
  salesforce: SalesforceSandbox;
  hubspot: HubSpotSandbox;
  slack: SlackSandbox;
  /** An incoming-webhook URL the Slack stand-in accepts, to paste into Settings → Slack. */
  slackWebhookUrl: string;
  /** Only when asked for (`stripeWebhook`): billing in development goes through it. */
  stripe: StripeSandbox | null;
  close(): Promise<void>;
}

export const devSandboxPorts = { salesforce: 8801, hubspot: 8802, slack: 8803, stripe: 8804 } as const;

export interface DevSandboxOptions {
  volume?: Volume;
  seed?: number;
  /** Where the Stripe stand-in delivers its signed events (the API's webhook endpoint) and the secret. */
  stripeWebhook?: { url: string; secret: string };
}

export async function startDevSandboxes(options: DevSandboxOptions = {}): Promise<DevSandboxes> {
  if (process.env.NODE_ENV === 'production') throw new Error('The provider sandboxes are for development and tests; refusing to start with NODE_ENV=production.');
  const common = { volume: options.volume ?? 'small', seed: options.seed ?? 1 };
  const salesforce = await startSalesforceSandbox({ ...common, port: devSandboxPorts.salesforce });
  const hubspot = await startHubSpotSandbox({ ...common, port: devSandboxPorts.hubspot });
  const slack = await startSlackSandbox({ port: devSandboxPorts.slack });
  const stripe = options.stripeWebhook ? await startStripeSandbox({ port: devSandboxPorts.stripe, webhook: options.stripeWebhook }) : null;
  return {
    salesforce,
    hubspot,
    slack,
    slackWebhookUrl: slack.newWebhookUrl(),
    stripe,
    close: async () => {
      await Promise.all([salesforce.close(), hubspot.close(), slack.close(), stripe?.close()]);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const volume = process.argv.includes('--bench') ? 'bench' : 'small';
  const sandboxes = await startDevSandboxes({ volume });
  console.log(`Salesforce sandbox: ${sandboxes.salesforce.url} (login and instance URL; client id sandbox-salesforce-client)`);
  console.log(`HubSpot sandbox:    ${sandboxes.hubspot.url} (API base and OAuth; client id sandbox-hubspot-client; private app token ${sandboxes.hubspot.control.privateAppToken()})`);
  console.log(`Slack sandbox:      ${sandboxes.slackWebhookUrl} (an incoming-webhook URL it accepts)`);
  console.log('Control API: POST <url>/_sandbox/<action> with a JSON array of arguments (see sandbox/README.md).');
  const stop = () => void sandboxes.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
