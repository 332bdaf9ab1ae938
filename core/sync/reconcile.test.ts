import { describe, expect, it } from 'vitest';
import type { Ownership } from './ownership.ts';
import { reconcileRecord, type ReconcileInput } from './reconcile.ts';

const at = (iso: string) => new Date(iso);
const base = (over: Partial<ReconcileInput>): ReconcileInput => ({
  fields: ['name', 'amount'],
  ownership: () => 'most_recent',
  baseline: { name: 'Acme', amount: 100 },
  local: { name: 'Acme', amount: 100 },
  localChangedAt: at('2026-12-01T10:00:00Z'),
  crm: { name: 'Acme', amount: 100 },
  crmChangedAt: at('2026-12-01T10:00:00Z'),
  ...over,
});
const owned = (o: Ownership) => () => o;

describe('reconcileRecord', () => {
  it.each<[string, Partial<ReconcileInput>, unknown]>([
    ['nothing changed', {}, { toLocal: {}, conflicts: [], toCrm: [], baseline: { name: 'Acme', amount: 100 } }],
    ['the CRM changed a field: pulled, baseline follows', { crm: { name: 'Acme', amount: 150 } }, { toLocal: { amount: 150 }, conflicts: [], toCrm: [], baseline: { name: 'Acme', amount: 150 } }],
    ['the inbox changed a field: kept for the push, baseline stays', { local: { name: 'Acme Inc', amount: 100 } }, { toLocal: {}, conflicts: [], toCrm: ['name'], baseline: { name: 'Acme', amount: 100 } }],
    [
      'both changed, the inbox later: the local edit is not overwritten',
      { local: { name: 'Acme', amount: 120 }, localChangedAt: at('2026-12-01T11:00:00Z'), crm: { name: 'Acme', amount: 150 }, crmChangedAt: at('2026-12-01T10:30:00Z') },
      { toLocal: {}, conflicts: [], toCrm: ['amount'], baseline: { name: 'Acme', amount: 100 } },
    ],
    [
      'both changed at the same instant: journaled, nothing written, baseline stays',
      { local: { name: 'Acme', amount: 120 }, localChangedAt: at('2026-12-01T11:00:00Z'), crm: { name: 'Acme', amount: 150 }, crmChangedAt: at('2026-12-01T11:00:00Z') },
      { toLocal: {}, conflicts: [{ field: 'amount', action: 'conflict', reason: 'same_time', inboxValue: 120, crmValue: 150 }], toCrm: [], baseline: { name: 'Acme', amount: 100 } },
    ],
    [
      'CRM wins over a local edit',
      { ownership: owned('crm_wins'), local: { name: 'Acme', amount: 120 }, crm: { name: 'Acme', amount: 150 } },
      { toLocal: { amount: 150 }, conflicts: [], toCrm: [], baseline: { name: 'Acme', amount: 150 } },
    ],
    [
      'first match of two existing records, different values, no timestamps: journaled',
      { baseline: null, local: { name: 'Acme', amount: 120 }, localChangedAt: null, crm: { name: 'Acme', amount: 150 } },
      { toLocal: {}, conflicts: [{ field: 'amount', action: 'conflict', reason: 'no_baseline', inboxValue: 120, crmValue: 150 }], toCrm: [], baseline: { name: 'Acme' } },
    ],
    ['a new local record takes every CRM value', { baseline: null, local: {}, localChangedAt: null }, { toLocal: { name: 'Acme', amount: 100 }, conflicts: [], toCrm: [], baseline: { name: 'Acme', amount: 100 } }],
    ["don't sync: left alone on both sides, its baseline too", { ownership: owned('dont_sync'), crm: { name: 'Other', amount: 1 } }, { toLocal: {}, conflicts: [], toCrm: [], baseline: { name: 'Acme', amount: 100 } }],
  ])('%s', (_label, over, expected) => {
    expect(reconcileRecord(base(over))).toEqual(expected);
  });
});
