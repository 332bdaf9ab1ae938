import { describe, expect, it } from 'vitest';
import { fieldDrift, hubSpotField, mappingProblems, salesforceField, toCrmValue, toLocalValue, type CrmField, type LocalField } from './fields.ts';
import type { Ownership } from './ownership.ts';

const industry: CrmField = { name: 'Industry', label: 'Industry', kind: 'picklist', updateable: true, options: ['Banking', 'Retail'] };
const employees: CrmField = { name: 'NumberOfEmployees', label: 'Employees', kind: 'number', updateable: true };
const formula: CrmField = { name: 'Score__c', label: 'Score', kind: 'number', updateable: false };
const closeDate: CrmField = { name: 'CloseDate', label: 'Close Date', kind: 'date', updateable: true };
const fields = [industry, employees, formula, closeDate];
const text = (key: string): LocalField => ({ key, type: 'text' });
const number = (key: string): LocalField => ({ key, type: 'number' });

describe('salesforceField and hubSpotField', () => {
  it.each([
    [{ name: 'Industry', label: 'Industry', type: 'picklist', updateable: true, picklistValues: [{ value: 'Banking', active: true }, { value: 'Old', active: false }] }, { name: 'Industry', label: 'Industry', kind: 'picklist', updateable: true, options: ['Banking'] }],
    [{ name: 'Amount', label: 'Amount', type: 'currency', updateable: true }, { name: 'Amount', label: 'Amount', kind: 'number', updateable: true }],
    [{ name: 'Email', label: 'Email', type: 'email', updateable: true }, { name: 'Email', label: 'Email', kind: 'text', updateable: true }],
    [{ name: 'Geo', label: 'Geo', type: 'location', updateable: false }, { name: 'Geo', label: 'Geo', kind: 'other', updateable: false }],
  ])('Salesforce %j', (described, field) => {
    expect(salesforceField(described)).toEqual(field);
  });

  it.each([
    [{ name: 'industry', label: 'Industry', type: 'enumeration', fieldType: 'select', options: [{ value: 'RETAIL' }, { value: 'X', hidden: true }] }, { kind: 'picklist', updateable: true, options: ['RETAIL'] }],
    [{ name: 'tags', label: 'Tags', type: 'enumeration', fieldType: 'checkbox', options: [] }, { kind: 'multipicklist', updateable: true, options: [] }],
    [{ name: 'vip', label: 'VIP', type: 'enumeration', fieldType: 'booleancheckbox', options: [] }, { kind: 'boolean', updateable: true }],
    [{ name: 'amount', label: 'Amount', type: 'number', fieldType: 'number' }, { kind: 'number', updateable: true }],
    [{ name: 'hs_lastmodifieddate', label: 'Modified', type: 'datetime', fieldType: 'date', modificationMetadata: { readOnlyValue: true } }, { kind: 'datetime', updateable: false }],
    [{ name: 'total', label: 'Total', type: 'number', fieldType: 'calculation_equation', calculated: true }, { kind: 'number', updateable: false }],
  ])('HubSpot %j', (property, expected) => {
    expect(hubSpotField(property)).toMatchObject(expected);
  });
});

describe('mappingProblems', () => {
  it.each<[string, LocalField, string, Ownership, number]>([
    ['text ← picklist, both ways', text('industry'), 'Industry', 'most_recent', 0],
    ['number ← number', number('employees'), 'NumberOfEmployees', 'crm_wins', 0],
    ['text ← number does not fit', text('industry'), 'NumberOfEmployees', 'crm_wins', 1],
    ['a field the CRM does not have', text('x'), 'Nope__c', 'crm_wins', 1],
    ['a formula field sent back to the CRM', number('score'), 'Score__c', 'inbox_wins', 1],
    ['a formula field read-only', number('score'), 'Score__c', 'read_only', 0],
    ['anything under don\'t sync', text('x'), 'Nope__c', 'dont_sync', 0],
    ['a date ← date', { key: 'closeDate', type: 'date' }, 'CloseDate', 'most_recent', 0],
  ])('%s', (_label, local, crmField, ownership, count) => {
    expect(mappingProblems(local, crmField, fields, ownership)).toHaveLength(count);
  });
});

describe('toCrmValue', () => {
  it.each<[unknown, CrmField, unknown]>([
    ['Banking', industry, { ok: true, value: 'Banking' }],
    ['Mining', industry, { ok: false, reason: expect.stringMatching(/not one of/) }],
    ['42', employees, { ok: true, value: 42 }],
    ['forty', employees, { ok: false, reason: expect.any(String) }],
    ['2026-12-01T15:00:00Z', closeDate, { ok: true, value: '2026-12-01' }],
    ['someday', closeDate, { ok: false, reason: expect.any(String) }],
    ['', industry, { ok: true, value: null }],
  ])('%j to %j', (value, crm, result) => {
    expect(toCrmValue(value, crm)).toEqual(result);
  });
});

describe('toLocalValue', () => {
  it.each<[unknown, LocalField, unknown]>([
    ['1250.5', number('amount'), { ok: true, value: 1250.5 }],
    ['true', { key: 'vip', type: 'boolean' }, { ok: true, value: true }],
    ['1764547200000', { key: 'closeDate', type: 'date' }, { ok: true, value: '2025-12-01' }],
    ['2026-03-04', { key: 'closeDate', type: 'date' }, { ok: true, value: '2026-03-04' }],
    ['n/a', number('amount'), { ok: false, reason: expect.any(String) }],
    [null, text('industry'), { ok: true, value: null }],
  ])('%j to %j', (value, local, result) => {
    expect(toLocalValue(value, local)).toEqual(result);
  });
});

describe('fieldDrift', () => {
  it.each<[string, CrmField, CrmField | undefined, Ownership, unknown]>([
    ['unchanged', industry, industry, 'crm_wins', null],
    ['deleted in the CRM', industry, undefined, 'crm_wins', { kind: 'deleted', field: 'Industry' }],
    ['retyped', employees, { ...employees, kind: 'text' }, 'crm_wins', { kind: 'type_changed', field: 'NumberOfEmployees', from: 'number', to: 'text' }],
    ['picklist value removed', industry, { ...industry, options: ['Banking'] }, 'most_recent', { kind: 'options_removed', field: 'Industry', removed: ['Retail'] }],
    ['picklist value added (no drift)', industry, { ...industry, options: ['Banking', 'Retail', 'Energy'] }, 'most_recent', null],
    ['made read-only while the inbox sends it', employees, { ...employees, updateable: false }, 'inbox_wins', { kind: 'no_longer_writable', field: 'NumberOfEmployees' }],
    ['made read-only, mapped read-only (no drift)', employees, { ...employees, updateable: false }, 'read_only', null],
    ['deleted but not synced (no drift)', industry, undefined, 'dont_sync', null],
  ])('%s', (_label, mapped, current, ownership, drift) => {
    expect(fieldDrift(mapped, current, ownership)).toEqual(drift);
  });
});
