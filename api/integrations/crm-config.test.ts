import { describe, expect, it } from 'vitest';
import { crmConfig, type CrmEnv } from './crm-config.ts';

const base: CrmEnv = {
  env: 'development',
  authSecret: 'a-development-secret-of-32-characters!!',
  SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
  HUBSPOT_API_BASE_URL: 'https://api.hubapi.com',
  CRM_SANDBOX_SALESFORCE_URL: 'http://127.0.0.1:8801',
  CRM_SANDBOX_HUBSPOT_URL: 'http://127.0.0.1:8802/',
  CRM_RATE_HEADROOM: 0.2,
};
const keys = JSON.stringify({ currentKeyId: 'k2', keys: { k1: 'x'.repeat(32), k2: 'y'.repeat(32) } });

describe('crmConfig', () => {
  it('in development: a key derived from AUTH_SECRET, the sandboxes offered, the real providers by default', () => {
    const config = crmConfig(base);
    expect(config.keyring.currentKeyId).toBe('dev');
    expect(crmConfig(base).keyring).toEqual(config.keyring); // the same after a restart
    expect(config.sandbox?.hubspot).toEqual({ apiBaseUrl: 'http://127.0.0.1:8802', authorizeUrl: 'http://127.0.0.1:8802/oauth/authorize', app: expect.any(Object) });
    expect(config.live.hubspot.authorizeUrl).toBe('https://app.hubspot.com/oauth/authorize');
    expect(config.live.salesforce).toEqual({ loginUrl: 'https://login.salesforce.com', app: null });
  });

  it('in production: requires CRM_TOKEN_KEYS and never offers the sandboxes', () => {
    expect(() => crmConfig({ ...base, env: 'production' })).toThrow(/CRM_TOKEN_KEYS: required in production/);
    const config = crmConfig({ ...base, env: 'production', CRM_TOKEN_KEYS: keys });
    expect(config.sandbox).toBeNull();
    expect(config.keyring.currentKeyId).toBe('k2');
    expect(() => crmConfig({ ...base, env: 'production', CRM_TOKEN_KEYS: keys, CRM_SANDBOX: 'true' })).toThrow(/CRM_SANDBOX: the sandbox connections are never offered in production/);
  });

  it.each([
    ['not JSON', '{k1', /CRM_TOKEN_KEYS: not valid JSON/],
    ['a short key', JSON.stringify({ currentKeyId: 'k1', keys: { k1: 'short' } }), /CRM_TOKEN_KEYS.keys.k1/],
    ['a current key that is not in keys', JSON.stringify({ currentKeyId: 'k9', keys: { k1: 'x'.repeat(32) } }), /currentKeyId/],
  ])('refuses CRM_TOKEN_KEYS that is %s', (_label, value, message) => {
    expect(() => crmConfig({ ...base, CRM_TOKEN_KEYS: value })).toThrow(message);
  });

  it('takes an OAuth app only with both its id and secret; a stand-in as the live HubSpot serves its own consent page', () => {
    expect(() => crmConfig({ ...base, SALESFORCE_CLIENT_ID: 'id' })).toThrow(/SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET: set both/);
    const config = crmConfig({ ...base, SALESFORCE_CLIENT_ID: 'id', SALESFORCE_CLIENT_SECRET: 'secret', HUBSPOT_API_BASE_URL: 'http://hubspot.internal:9000' });
    expect(config.live.salesforce.app).toEqual({ clientId: 'id', clientSecret: 'secret' });
    expect(config.live.hubspot.authorizeUrl).toBe('http://hubspot.internal:9000/oauth/authorize');
  });
});
