// `npm start`: the product on one machine. Outside production it first starts the provider
// stand-ins (sandbox/: Salesforce, HubSpot, Slack, Stripe) and points the API at them, so a
// newcomer can connect a "sandbox" CRM, post to a Slack channel and upgrade through a checkout
// without any account; then the API itself (api/server.ts). Settings given in the environment win.
// In production (NODE_ENV=production) nothing here starts and the API runs alone.
import { devSandboxPorts, startDevSandboxes } from '../sandbox/index.ts';

const env = process.env;
if (env.NODE_ENV !== 'production' && env.SANDBOXES !== 'false') {
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 8787}`).replace(/\/$/, '');
  // Billing through the Stripe stand-in only when no real Stripe account is configured.
  const stripeWebhook = env.STRIPE_SECRET_KEY ? undefined : { url: `${publicUrl}/api/v1/billing/stripe-webhook`, secret: 'whsec_sandbox_development_only' };
  try {
    const sandboxes = await startDevSandboxes({ stripeWebhook });
    env.CRM_SANDBOX_SALESFORCE_URL ??= sandboxes.salesforce.url;
    env.CRM_SANDBOX_HUBSPOT_URL ??= sandboxes.hubspot.url;
    // The Slack stand-in listens on this machine: development lets webhooks reach it.
    env.WEBHOOKS_ALLOW_LOCALHOST ??= 'true';
    if (sandboxes.stripe && stripeWebhook) {
      env.STRIPE_API_URL = sandboxes.stripe.url;
      env.STRIPE_SECRET_KEY = 'sk_test_sandbox_development_only';
      env.STRIPE_WEBHOOK_SECRET = stripeWebhook.secret;
    }
    console.log(`Sandboxes (development only): Salesforce ${sandboxes.salesforce.url}, HubSpot ${sandboxes.hubspot.url}, Stripe ${sandboxes.stripe?.url ?? 'off (STRIPE_SECRET_KEY is set)'}
  Slack incoming-webhook URL to paste into Settings → Slack: ${sandboxes.slackWebhookUrl}`);
  } catch (err) {
    // Another `npm start` may hold the ports: the API still starts, its sandbox connections use that one's.
    console.warn(`Sandboxes not started (ports ${Object.values(devSandboxPorts).join(', ')}): ${err instanceof Error ? err.message : err}`);
  }
}

await import('../api/server.ts');
