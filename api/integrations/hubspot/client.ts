// The HubSpot client set up the one way the sync uses it: our base path (the real API or a
// stand-in) and no retries of its own, since one policy (core/sync/retry-policy.ts) decides those.
import { Client } from '@hubspot/api-client';
import type { HubSpotEndpoints } from '../crm-config.ts';

export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.deals.read',
];

export const hubSpotClient = (endpoints: HubSpotEndpoints, accessToken?: string) =>
  new Client({ ...(accessToken ? { accessToken } : {}), basePath: endpoints.apiBaseUrl, numberOfApiCallRetries: 0 });
