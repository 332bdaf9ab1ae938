import { describe, expect, it } from 'vitest';
import { canDeleteShared, canReadOwned, canWrite, canWriteOwned, type Actor, type Role } from './roles.ts';

const me = 'u-me';
const other = 'u-other';
const actor = (role: Role): Actor => ({ orgId: 'o', userId: me, role });

describe('role matrix', () => {
  it.each([
    // role,       write, read own, read other's, write own, write other's, delete own shared, delete other's shared
    ['admin', true, true, true, true, true, true, true],
    ['manager', true, true, true, true, true, true, true],
    ['rep', true, true, false, true, false, true, false],
    ['readonly', false, true, true, false, false, false, false],
  ] as const)('%s', (role, write, readOwn, readOther, writeOwn, writeOther, deleteOwn, deleteOther) => {
    const a = actor(role);
    expect(canWrite(a)).toBe(write);
    expect(canReadOwned(a, me)).toBe(readOwn);
    expect(canReadOwned(a, other)).toBe(readOther);
    expect(canWriteOwned(a, me)).toBe(writeOwn);
    expect(canWriteOwned(a, other)).toBe(writeOther);
    expect(canDeleteShared(a, me)).toBe(deleteOwn);
    expect(canDeleteShared(a, other)).toBe(deleteOther);
  });
});
