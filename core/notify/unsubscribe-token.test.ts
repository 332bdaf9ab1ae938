import { describe, expect, it } from 'vitest';
import { signUnsubscribe, verifyUnsubscribe } from './unsubscribe-token.ts';

const secret = 'unsubscribe-secret-0123456789abcdef';
const target = { orgId: '0b7c6f0e-1f0a-4a53-9a55-5d1b2f6b6a11', userId: '5e1f1c9e-8d6e-4f0b-9b0e-2a7c3e4d5f60', kind: 'deal_high_risk' as const };

describe('unsubscribe links', () => {
  it('verify with the secret that signed them', () => {
    expect(verifyUnsubscribe(signUnsubscribe(target, secret), secret)).toEqual(target);
  });

  it.each([
    ['another secret', (t: string) => t, 'another-secret-0123456789abcdef'],
    ['a changed member', (t: string) => `${Buffer.from(`${target.orgId}.${target.orgId}.deal_high_risk`).toString('base64url')}.${t.split('.')[1]}`, secret],
    ['a cut signature', (t: string) => t.slice(0, -2), secret],
    ['garbage', () => 'not-a-token', secret],
    ['an extra part', (t: string) => `${t}.x`, secret],
  ])('refuse %s', (_case, change, key) => {
    expect(verifyUnsubscribe(change(signUnsubscribe(target, secret)), key)).toBeNull();
  });
});
