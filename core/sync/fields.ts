// Custom field mapping, checked against the CRM's own field list (Salesforce describe, HubSpot
// properties): a mapping is accepted only when the types fit and the direction is possible, values
// are checked before they are sent, and a field that changed in the CRM since it was mapped
// (deleted, retyped, picklist values changed) is reported as drift so the sync pauses that field
// and keeps the data, instead of dropping it or writing a value the CRM will refuse.
import type { Ownership } from './ownership.ts';

export type CrmFieldKind = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'picklist' | 'multipicklist' | 'reference' | 'other';

export interface CrmField {
  name: string;
  label: string;
  kind: CrmFieldKind;
  /** May the connected user write it (Salesforce `updateable`, HubSpot not calculated/read-only). */
  updateable: boolean;
  /** Allowed values of a picklist (active ones only). */
  options?: string[];
}

export type LocalFieldType = 'text' | 'number' | 'date' | 'boolean';

export interface LocalField {
  key: string;
  type: LocalFieldType;
}

/** The CRM kinds each local type can hold without losing meaning. */
const compatible: Record<LocalFieldType, readonly CrmFieldKind[]> = {
  text: ['text', 'picklist'],
  number: ['number'],
  date: ['date', 'datetime'],
  boolean: ['boolean'],
};

const salesforceKinds: Record<string, CrmFieldKind> = {
  string: 'text', textarea: 'text', email: 'text', phone: 'text', url: 'text', id: 'text',
  double: 'number', currency: 'number', percent: 'number', int: 'number', long: 'number',
  date: 'date', datetime: 'datetime', boolean: 'boolean',
  picklist: 'picklist', multipicklist: 'multipicklist', reference: 'reference',
};

/** A field of `conn.describe(T).fields`. */
export function salesforceField(f: { name: string; label: string; type: string; updateable: boolean; picklistValues?: { value: string; active: boolean }[] | null }): CrmField {
  const kind = salesforceKinds[f.type] ?? 'other';
  return {
    name: f.name,
    label: f.label,
    kind,
    updateable: f.updateable,
    ...(kind === 'picklist' || kind === 'multipicklist' ? { options: (f.picklistValues ?? []).filter((v) => v.active).map((v) => v.value) } : {}),
  };
}

/** A property of HubSpot's properties API. */
export function hubSpotField(p: { name: string; label: string; type: string; fieldType: string; options?: { value: string; hidden?: boolean }[]; modificationMetadata?: { readOnlyValue?: boolean }; calculated?: boolean }): CrmField {
  let kind: CrmFieldKind;
  if (p.type === 'bool' || p.fieldType === 'booleancheckbox') kind = 'boolean';
  else if (p.type === 'enumeration') kind = p.fieldType === 'checkbox' ? 'multipicklist' : 'picklist';
  else if (p.type === 'number') kind = 'number';
  else if (p.type === 'date') kind = 'date';
  else if (p.type === 'datetime') kind = 'datetime';
  else if (p.type === 'string' || p.type === 'phone_number') kind = 'text';
  else kind = 'other';
  return {
    name: p.name,
    label: p.label,
    kind,
    updateable: !p.calculated && !p.modificationMetadata?.readOnlyValue,
    ...(kind === 'picklist' || kind === 'multipicklist' ? { options: (p.options ?? []).filter((o) => !o.hidden).map((o) => o.value) } : {}),
  };
}

const pushes = (o: Ownership) => o === 'inbox_wins' || o === 'crm_wins' || o === 'most_recent';

/** Why a mapping cannot be saved; empty when it can. */
export function mappingProblems(local: LocalField, crmFieldName: string, fields: readonly CrmField[], ownership: Ownership): string[] {
  if (ownership === 'dont_sync') return [];
  const crm = fields.find((f) => f.name === crmFieldName);
  if (!crm) return [`The CRM has no field "${crmFieldName}"`];
  const problems: string[] = [];
  if (!compatible[local.type].includes(crm.kind)) problems.push(`"${crm.label}" holds ${crm.kind} values, which do not fit ${local.key} (${local.type})`);
  if (pushes(ownership) && !crm.updateable) problems.push(`"${crm.label}" cannot be written by the connected user: choose read-only or don't sync`);
  return problems;
}

export type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

/** An inbox value as the CRM field takes it, or why it cannot be sent (nothing is sent then). */
export function toCrmValue(value: unknown, crm: CrmField): Converted {
  if (value === null || value === undefined || value === '') return { ok: true, value: null };
  switch (crm.kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `"${String(value)}" is not a number` };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, reason: `"${String(value)}" is not true or false` };
    case 'date':
    case 'datetime': {
      const d = new Date(String(value));
      if (Number.isNaN(d.getTime())) return { ok: false, reason: `"${String(value)}" is not a date` };
      return { ok: true, value: crm.kind === 'date' ? d.toISOString().slice(0, 10) : d.toISOString() };
    }
    case 'picklist':
      return crm.options?.includes(String(value)) ? { ok: true, value: String(value) } : { ok: false, reason: `"${String(value)}" is not one of ${crm.label}'s values` };
    case 'text':
      return { ok: true, value: String(value) };
    default:
      return { ok: false, reason: `${crm.label} (${crm.kind}) is not written by the sync` };
  }
}

/** A CRM value as the inbox field holds it. */
export function toLocalValue(value: unknown, local: LocalField): Converted {
  if (value === null || value === undefined || value === '') return { ok: true, value: null };
  switch (local.type) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `"${String(value)}" is not a number` };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      return { ok: false, reason: `"${String(value)}" is not true or false` };
    case 'date': {
      const d = new Date(/^\d+$/.test(String(value)) ? Number(value) : String(value));
      return Number.isNaN(d.getTime()) ? { ok: false, reason: `"${String(value)}" is not a date` } : { ok: true, value: d.toISOString().slice(0, 10) };
    }
    case 'text':
      return { ok: true, value: String(value) };
  }
}

export type FieldDrift =
  | { kind: 'deleted'; field: string }
  | { kind: 'type_changed'; field: string; from: CrmFieldKind; to: CrmFieldKind }
  | { kind: 'no_longer_writable'; field: string }
  | { kind: 'options_removed'; field: string; removed: string[] };

/**
 * What changed in a mapped field since it was mapped (`mapped` is the field as it was then). A
 * picklist that gained values is no drift; one that lost values is, since those values can no
 * longer be written.
 */
export function fieldDrift(mapped: CrmField, current: CrmField | undefined, ownership: Ownership): FieldDrift | null {
  if (ownership === 'dont_sync') return null;
  if (!current) return { kind: 'deleted', field: mapped.name };
  if (current.kind !== mapped.kind) return { kind: 'type_changed', field: mapped.name, from: mapped.kind, to: current.kind };
  if (pushes(ownership) && mapped.updateable && !current.updateable) return { kind: 'no_longer_writable', field: mapped.name };
  const removed = (mapped.options ?? []).filter((o) => !(current.options ?? []).includes(o));
  if (removed.length) return { kind: 'options_removed', field: mapped.name, removed };
  return null;
}
