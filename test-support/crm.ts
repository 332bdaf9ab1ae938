// CRM settings for tests: a fixed token keyring, the real providers' addresses (never called
// unless a test connects), and, when given, the stand-ins a test started as the sandbox.
import { createCrmDeps, type CrmDeps } from '../api/integrations/crm-deps.ts';
import { sandboxEndpoints } from '../api/integrations/crm-config.ts';

export const testCrmKeyring = { currentKeyId: 't1', keys: { t1: 'test-crm-token-key-0123456789abcdef' } };

export function crmTestDeps(sandbox?: { salesforceUrl: string; hubspotUrl: string }): CrmDeps {
  return createCrmDeps({
    keyring: testCrmKeyring,
    live: {
      salesforce: { loginUrl: 'https://login.salesforce.com', app: null },
      hubspot: { apiBaseUrl: 'https://api.hubapi.com', authorizeUrl: 'https://app.hubspot.com/oauth/authorize', app: null },
    },
    sandbox: sandbox ? sandboxEndpoints(sandbox.salesforceUrl, sandbox.hubspotUrl) : null,
    headroomShare: 0.2,
    salesforceApiVersion: '62.0',
  });
}
