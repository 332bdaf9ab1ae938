import { describe, expect, it } from 'vitest';
import { changedFields, modifiedSince, sameValue } from './changes.ts';
import { decideField, decideRecord, type FieldState } from './conflicts.ts';
import type { Ownership } from './ownership.ts';

const at = (iso: string) => new Date(iso);
const state = (ownership: Ownership, baseline: unknown, inbox: unknown, crm: unknown, inboxAt: string | null = null, crmAt: string | null = null): FieldState => ({
  field: 'amount',
  ownership,
  baseline,
  inbox: { value: inbox, changedAt: inboxAt ? at(inboxAt) : null },
  crm: { value: crm, changedAt: crmAt ? at(crmAt) : null },
});

describe('decideField', () => {
  it.each<[string, FieldState, unknown]>([
    ['nothing changed', state('crm_wins', 100, 100, 100), { action: 'none' }],
    ['both changed to the same value', state('most_recent', 100, 200, 200), { action: 'none' }],
    ['only the CRM changed: pull', state('inbox_wins', 100, 100, 150), { action: 'pull', value: 150 }],
    ['only the inbox changed: push', state('crm_wins', 100, 120, 100), { action: 'push', value: 120 }],
    ['both changed, CRM wins', state('crm_wins', 100, 120, 150), { action: 'pull', value: 150 }],
    ['both changed, inbox wins', state('inbox_wins', 100, 120, 150), { action: 'push', value: 120 }],
    ['both changed, most recent: the inbox was later', state('most_recent', 100, 120, 150, '2026-12-01T10:05:00Z', '2026-12-01T10:00:00Z'), { action: 'push', value: 120 }],
    ['both changed, most recent: the CRM was later', state('most_recent', 100, 120, 150, '2026-12-01T10:00:00Z', '2026-12-01T10:05:00Z'), { action: 'pull', value: 150 }],
    ['both changed at the same instant: journal it', state('most_recent', 100, 120, 150, '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z'), { action: 'conflict', reason: 'same_time', inboxValue: 120, crmValue: 150 }],
    ['both changed, a side without a timestamp: journal it', state('most_recent', 100, 120, 150, '2026-12-01T10:00:00Z', null), { action: 'conflict', reason: 'same_time', inboxValue: 120, crmValue: 150 }],
    ['read-only: the CRM value flows in', state('read_only', 100, 100, 150), { action: 'pull', value: 150 }],
    ['read-only changed in the inbox: journal it, never drop the edit', state('read_only', 100, 130, 100), { action: 'conflict', reason: 'read_only_changed_in_inbox', inboxValue: 130, crmValue: 100 }],
    ['don\'t sync: nothing, whatever changed', state('dont_sync', 100, 120, 150), { action: 'none' }],
    ['first sync, only the CRM has a value', state('most_recent', undefined, null, 150), { action: 'pull', value: 150 }],
    ['first sync, only the inbox has a value', state('crm_wins', undefined, 120, null), { action: 'push', value: 120 }],
    ['first sync, different values, no timestamps', state('most_recent', undefined, 120, 150), { action: 'conflict', reason: 'no_baseline', inboxValue: 120, crmValue: 150 }],
    ['first sync, different values, CRM wins', state('crm_wins', undefined, 120, 150), { action: 'pull', value: 150 }],
    ['a cleared value is a change', state('crm_wins', 100, null, 100), { action: 'push', value: null }],
  ])('%s', (_label, s, decision) => {
    expect(decideField(s)).toEqual({ field: 'amount', ...(decision as object) });
  });
});

describe('decideRecord', () => {
  it('splits a record\'s decisions into what goes where and what is journaled', () => {
    const result = decideRecord([
      { ...state('crm_wins', 1, 1, 2), field: 'a' },
      { ...state('inbox_wins', 1, 3, 1), field: 'b' },
      { ...state('most_recent', 1, 4, 5, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), field: 'c' },
      { ...state('dont_sync', 1, 6, 7), field: 'd' },
    ]);
    expect(result).toEqual({
      toInbox: { a: 2 },
      toCrm: { b: 3 },
      conflicts: [{ field: 'c', action: 'conflict', reason: 'same_time', inboxValue: 4, crmValue: 5 }],
    });
  });
});

describe('change detection', () => {
  it.each<[unknown, unknown, boolean]>([
    [null, undefined, true],
    ['', null, true],
    [' Acme ', 'Acme', true],
    [5, '5', false],
    [new Date('2026-01-01T00:00:00Z'), '2026-01-01T00:00:00.000Z', true],
    [{ a: 1 }, { a: 1 }, true],
    ['a', 'b', false],
  ])('sameValue(%j, %j) is %s', (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
  });

  it.each<[Record<string, unknown> | null, Record<string, unknown>, string[]]>([
    [{ name: 'Acme', amount: 1 }, { name: 'Acme', amount: 2 }, ['amount']],
    [{ name: 'Acme', amount: 1 }, { name: 'Acme', amount: 1 }, []],
    [null, { name: 'Acme', amount: null }, ['name']],
  ])('changedFields(%j, %j)', (baseline, current, changed) => {
    expect(changedFields(baseline, current, ['name', 'amount'])).toEqual(changed);
  });

  it.each<[string | null, string | null, boolean]>([
    ['2026-12-01T10:00:00Z', '2026-12-01T09:00:00Z', true],
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z', true],
    ['2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z', false],
    ['2026-12-01T08:00:00Z', null, true],
    [null, '2026-12-01T09:00:00Z', false],
  ])('modifiedSince(%s, %s) is %s', (stamp, checkpoint, modified) => {
    expect(modifiedSince(stamp, checkpoint)).toBe(modified);
  });
});
