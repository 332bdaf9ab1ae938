import { describe, expect, it } from 'vitest';
import type { Role } from '../roles.ts';
import { exportReach, ownerFilterFor } from './export-access.ts';

const me = 'a0000000-0000-4000-8000-000000000001';
const other = 'a0000000-0000-4000-8000-000000000002';
const actor = (role: Role, userId: string | null = me) => ({ orgId: 'o', userId, role });

describe('exportReach', () => {
  it.each<{ role: Role; reach: 'all' | 'own' }>([
    { role: 'admin', reach: 'all' },
    { role: 'manager', reach: 'all' },
    { role: 'readonly', reach: 'all' },
    { role: 'rep', reach: 'own' },
  ])('$role exports $reach', ({ role, reach }) => {
    expect(exportReach(actor(role))).toBe(reach);
  });
});

describe('ownerFilterFor', () => {
  it.each<{ name: string; role: Role; asked: string | undefined; out: { ownerId: string | undefined } | null }>([
    { name: 'an admin without an owner filter gets everyone', role: 'admin', asked: undefined, out: { ownerId: undefined } },
    { name: 'a manager keeps the owner filter asked for', role: 'manager', asked: other, out: { ownerId: other } },
    { name: 'readonly keeps the owner filter asked for', role: 'readonly', asked: other, out: { ownerId: other } },
    { name: 'a rep without a filter gets their own', role: 'rep', asked: undefined, out: { ownerId: me } },
    { name: 'a rep asking for their own gets their own', role: 'rep', asked: me, out: { ownerId: me } },
    { name: 'a rep asking for someone else is refused', role: 'rep', asked: other, out: null },
  ])('$name', ({ role, asked, out }) => {
    expect(ownerFilterFor(actor(role), asked)).toEqual(out);
  });

  it('refuses a rep with no user (never the system)', () => {
    expect(ownerFilterFor(actor('rep', null), undefined)).toBeNull();
  });
});
