// Tracking configuration: base URL, signing keys, retention, proxy trust.
import { describe, expect, it } from 'vitest';
import { loadConfig, trackingRetentionDays } from './config.ts';

const SECRET = 'auth-secret-that-is-long-enough-0123456789';
const base = { AUTH_SECRET: SECRET, DATA_DIR: '/tmp/inbox-crm-config-test', PUBLIC_URL: 'https://crm.example.com' };
const KEYS = JSON.stringify({ currentKeyId: 'k2', keys: { k1: 'k1-secret-0123456789abcdef0123456789abcdef', k2: 'k2-secret-0123456789abcdef0123456789abcdef' } });

describe('tracking configuration', () => {
  it('defaults to the public URL, a dev key derived from AUTH_SECRET, 90 days, no proxy', () => {
    const { tracking } = loadConfig(base);
    expect(tracking).toMatchObject({ baseUrl: 'https://crm.example.com', retentionDays: 90, trustProxy: false });
    expect(tracking.keyring.currentKeyId).toBe('dev');
    // The same secret gives the same key: links in mail already sent survive a restart.
    expect(loadConfig(base).tracking.keyring).toEqual(tracking.keyring);
    expect(loadConfig({ ...base, AUTH_SECRET: `${SECRET}x` }).tracking.keyring).not.toEqual(tracking.keyring);
  });

  it('reads its own base URL, keyring, retention and proxy trust', () => {
    const { tracking } = loadConfig({ ...base, TRACKING_BASE_URL: 'https://t.example.com/', TRACKING_KEYS: KEYS, TRACKING_RETENTION_DAYS: '30', TRACKING_TRUST_PROXY: 'true' });
    expect(tracking).toMatchObject({ baseUrl: 'https://t.example.com', retentionDays: 30, trustProxy: true });
    expect(tracking.keyring.currentKeyId).toBe('k2');
    expect(trackingRetentionDays({ TRACKING_RETENTION_DAYS: '30' })).toBe(30);
    expect(trackingRetentionDays({})).toBe(90);
  });

  it.each([
    ['keys that are not JSON', { TRACKING_KEYS: 'k1=abc' }, /TRACKING_KEYS: not valid JSON/],
    ['a current key missing from the ring', { TRACKING_KEYS: JSON.stringify({ currentKeyId: 'k3', keys: { k1: 'k1-secret-0123456789abcdef0123456789abcdef' } }) }, /TRACKING_KEYS.currentKeyId/],
    ['a short secret', { TRACKING_KEYS: JSON.stringify({ currentKeyId: 'k1', keys: { k1: 'short' } }) }, /TRACKING_KEYS.keys.k1/],
    ['no keys in production', { NODE_ENV: 'production' }, /TRACKING_KEYS: required in production/],
    ['a base URL with a query', { TRACKING_BASE_URL: 'https://t.example.com/?x=1' }, /TRACKING_BASE_URL/],
    ['a retention of 0 days', { TRACKING_RETENTION_DAYS: '0' }, /TRACKING_RETENTION_DAYS/],
  ])('refuses to start with %s', (_name, env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('starts in production with keys', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production', TRACKING_KEYS: KEYS, CRM_TOKEN_KEYS: KEYS, SMTP_URL: 'smtp://mail.example.com:587' }).tracking.keyring.currentKeyId).toBe('k2');
  });
});
