// The one place that knows which CRMs exist.
import type { CrmConfig } from './crm-config.ts';
import { hubSpotProvider } from './hubspot/provider.ts';
import type { CrmProvider, CrmProviderId } from './provider.ts';
import { salesforceProvider } from './salesforce/provider.ts';

export type CrmProviders = Readonly<Record<CrmProviderId, CrmProvider>>;

export const createCrmProviders = (config: Pick<CrmConfig, 'salesforceApiVersion'>): CrmProviders => ({
  salesforce: salesforceProvider(config.salesforceApiVersion),
  hubspot: hubSpotProvider(),
});
