import { describe, expect, it } from 'vitest';
import { CrmTokenKeyring, TokenVault } from './token-vault.ts';

const k1 = 'first-secret-0123456789abcdefghijklmnop';
const k2 = 'second-secret-0123456789abcdefghijklmno';

describe('TokenVault', () => {
  const vault = new TokenVault({ currentKeyId: 'k1', keys: { k1 } });

  it('seals a token so that the stored text does not contain it, and opens it again', () => {
    const sealed = vault.seal('00Dxx!AQ4AQ.secret-token', 'conn-1/access');
    expect(sealed).not.toContain('secret-token');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(vault.open(sealed, 'conn-1/access')).toBe('00Dxx!AQ4AQ.secret-token');
  });

  it('seals the same token differently each time (a fresh IV)', () => {
    expect(vault.seal('same', 'c/access')).not.toBe(vault.seal('same', 'c/access'));
  });

  it.each([
    ['moved to another connection', (s: string) => s, 'conn-2/access'],
    ['moved to the other token column', (s: string) => s, 'conn-1/refresh'],
    ['altered', (s: string) => s.slice(0, -3) + (s.endsWith('AAA') ? 'BBB' : 'AAA'), 'conn-1/access'],
    ['not a sealed value at all', () => 'plain-token', 'conn-1/access'],
  ])('refuses a value %s', (_label, change, context) => {
    const sealed = vault.seal('token', 'conn-1/access');
    expect(() => vault.open(change(sealed), context)).toThrow();
  });

  it('rotates: a new current key seals, the old key still opens, and old values are flagged for resealing', () => {
    const old = vault.seal('token', 'c/refresh');
    const rotated = new TokenVault({ currentKeyId: 'k2', keys: { k1, k2 } });
    expect(rotated.open(old, 'c/refresh')).toBe('token');
    expect(rotated.needsResealing(old)).toBe(true);
    const fresh = rotated.seal('token', 'c/refresh');
    expect(fresh.startsWith('v1.k2.')).toBe(true);
    expect(rotated.needsResealing(fresh)).toBe(false);
    // Once k1 is removed, what it sealed no longer opens.
    expect(() => new TokenVault({ currentKeyId: 'k2', keys: { k2 } }).open(old, 'c/refresh')).toThrow(/no longer in CRM_TOKEN_KEYS/);
  });

  it.each([
    [{ currentKeyId: 'k1', keys: { k1: 'short' } }],
    [{ currentKeyId: 'k3', keys: { k1 } }],
    [{ currentKeyId: 'bad.id', keys: { 'bad.id': k1 } }],
  ])('refuses the keyring %j', (ring) => {
    expect(CrmTokenKeyring.safeParse(ring).success).toBe(false);
  });
});
