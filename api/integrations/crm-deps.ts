// What the CRM code needs at run time, built once from the configuration (the server) or by a
// test (pointing the sandbox endpoints at stand-ins it started).
import type { CrmAccess, CrmProviderId } from './provider.ts';
import type { CrmConfig, CrmEndpoints } from './crm-config.ts';
import { createCrmProviders, type CrmProviders } from './registry.ts';
import { TokenVault } from './token-vault.ts';

export interface CrmDeps {
  config: CrmConfig;
  providers: CrmProviders;
  vault: TokenVault;
  /** Refreshes in flight in this process, by connection: callers wait for the one running. */
  refreshing: Map<string, Promise<CrmAccess>>;
}

export const createCrmDeps = (config: CrmConfig): CrmDeps => ({
  config,
  providers: createCrmProviders(config),
  vault: new TokenVault(config.keyring),
  refreshing: new Map(),
});

/** The endpoints a connection talks to: the stand-ins for a sandbox connection, else the real ones. */
export function endpointsFor(deps: CrmDeps, sandbox: boolean): CrmEndpoints | null {
  return sandbox ? deps.config.sandbox : deps.config.live;
}

/** May a direct Salesforce token make us call this instance URL? Salesforce's own hosts, or the configured login host. */
export function acceptableInstanceUrl(deps: CrmDeps, provider: CrmProviderId, url: string, sandbox: boolean): boolean {
  const endpoints = endpointsFor(deps, sandbox);
  if (!endpoints || provider !== 'salesforce') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(endpoints.salesforce.loginUrl).origin) return true;
  if (sandbox) return false;
  return parsed.protocol === 'https:' && /(^|\.)(salesforce\.com|force\.com|salesforce\.mil|cloudforce\.com)$/.test(parsed.hostname);
}
