// The Salesforce stand-in's records: typed values, required fields, picklists, validation rules,
// soft deletes with a deletion log, and OpportunityHistory written on stage, amount and date changes.
import type { Clock } from '../shared/options.ts';
import { isWellFormedId, salesforceId, toId18 } from './ids.ts';
import { opportunityStages, standardObjects, type FieldDef, type FieldType, type ObjectDef } from './schema.ts';

/** Datetimes are held as epoch milliseconds, dates as 'YYYY-MM-DD'. */
export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

export class SfError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly fields: string[] = []) {
    super(message);
  }
}

export type RejectIf = 'blank' | { equals: SfValue } | { matches: string };
export interface ValidationRule { id: string; type: string; field: string; message: string; rejectIf: RejectIf }

export class SalesforceStore {
  objects = new Map<string, ObjectDef>();
  records = new Map<string, Map<string, SfRecord>>();
  deletions: Array<{ type: string; id: string; deletedDate: number }> = [];
  rules: ValidationRule[] = [];
  #serial = 0;
  #undo: Array<() => void> | null = null;

  constructor(private readonly clock: Clock) {
    this.clear();
  }

  clear(): void {
    this.objects = new Map(standardObjects().map((o) => [o.name, o]));
    this.records = new Map([...this.objects.keys()].map((name) => [name, new Map()]));
    this.deletions = [];
    this.rules = [];
    this.#serial = 0;
  }

  object(type: string): ObjectDef {
    const found = this.objects.get(type) ?? [...this.objects.values()].find((o) => o.name.toLowerCase() === type.toLowerCase());
    if (!found) throw new SfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    return found;
  }

  field(type: string, name: string): FieldDef | undefined {
    return this.object(type).fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  typeOfId(id: string): string | undefined {
    const prefix = id.slice(0, 3);
    return [...this.objects.values()].find((o) => o.keyPrefix === prefix)?.name;
  }

  get(type: string, id: string, includeDeleted = false): SfRecord | undefined {
    const record = this.records.get(this.object(type).name)?.get(toId18(id));
    return record && (includeDeleted || !record.IsDeleted) ? record : undefined;
  }

  all(type: string, includeDeleted = false): SfRecord[] {
    const all = [...(this.records.get(this.object(type).name)?.values() ?? [])];
    return includeDeleted ? all : all.filter((r) => !r.IsDeleted);
  }

  /** Inserts after the checks Salesforce makes; `trusted` skips them (seeding, read-only objects). */
  insert(type: string, input: Record<string, unknown>, actorId: string | null, options: { trusted?: boolean; at?: number } = {}): string {
    const object = this.object(type);
    if (!options.trusted && !object.createable) throw new SfError(400, 'INVALID_TYPE', `entity type ${object.name} does not support insert`);
    const values = options.trusted ? (input as SfRecord) : this.checkedValues(object, input, 'create');
    const at = options.at ?? this.clock();
    const id = salesforceId(object.keyPrefix, ++this.#serial);
    const actor = actorId ?? id;
    const record: SfRecord = {};
    for (const f of object.fields) record[f.name] = null;
    Object.assign(record, values, { Id: id, IsDeleted: false, CreatedDate: at, CreatedById: actor, LastModifiedDate: at, LastModifiedById: actor, SystemModstamp: at });
    if (!options.trusted) this.checkRules(object, record);
    this.derive(object.name, record, values);
    this.records.get(object.name)!.set(id, record);
    this.#undo?.push(() => this.records.get(object.name)!.delete(id));
    if (object.name === 'Opportunity') this.writeHistory(record, at, actor);
    return id;
  }

  update(type: string, rawId: string, input: Record<string, unknown>, actorId: string, options: { at?: number } = {}): void {
    const object = this.object(type);
    const record = this.existing(object.name, rawId);
    const values = this.checkedValues(object, input, 'update');
    const next = { ...record, ...values };
    this.checkRules(object, next);
    this.derive(object.name, next, values);
    const at = options.at ?? this.clock();
    const tracked = ['StageName', 'Amount', 'CloseDate', 'Probability'];
    const historyChanged = object.name === 'Opportunity' && tracked.some((f) => next[f] !== record[f]);
    const before = { ...record };
    this.#undo?.push(() => Object.assign(record, before));
    Object.assign(record, next, { LastModifiedDate: at, LastModifiedById: actorId, SystemModstamp: at });
    if (historyChanged) this.writeHistory(record, at, actorId);
  }

  remove(type: string, rawId: string): void {
    const object = this.object(type);
    const record = this.existing(object.name, rawId);
    const at = this.clock();
    const before = { ...record };
    Object.assign(record, { IsDeleted: true, SystemModstamp: at });
    this.deletions.push({ type: object.name, id: record.Id as string, deletedDate: at });
    this.#undo?.push(() => {
      Object.assign(record, before);
      this.deletions.pop();
    });
  }

  /** Runs `work`; when it returns false, every change it made is undone (allOrNone). */
  atomically<T>(work: () => { keep: boolean; result: T }): T {
    this.#undo = [];
    try {
      const { keep, result } = work();
      if (!keep) for (const undo of this.#undo.reverse()) undo();
      return result;
    } finally {
      this.#undo = null;
    }
  }

  addRule(rule: Omit<ValidationRule, 'id'>): string {
    const id = `rule-${this.rules.length + 1}-${rule.field}`;
    this.rules.push({ ...rule, id });
    return id;
  }

  private existing(type: string, rawId: string): SfRecord {
    if (!isWellFormedId(rawId)) throw new SfError(400, 'MALFORMED_ID', `malformed id ${rawId}`);
    const record = this.records.get(type)?.get(toId18(rawId));
    if (!record) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (record.IsDeleted) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return record;
  }

  private checkedValues(object: ObjectDef, input: Record<string, unknown>, mode: 'create' | 'update'): SfRecord {
    const values: SfRecord = {};
    const locked: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes' || key === 'Id' || key === 'id') continue;
      const def = object.fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
      if (!def) throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`, [key]);
      if (!(mode === 'create' ? def.createable : def.updateable)) {
        locked.push(def.name);
        continue;
      }
      values[def.name] = this.coerce(def, raw);
    }
    if (locked.length) {
      throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to ${mode} fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, locked);
    }
    if (mode === 'create') {
      const missing = object.fields.filter((f) => f.required && (values[f.name] === undefined || values[f.name] === null || values[f.name] === '')).map((f) => f.name);
      if (missing.length) throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    }
    return values;
  }

  private coerce(def: FieldDef, raw: unknown): SfValue {
    if (raw === null || raw === '') {
      if (!def.nillable || def.required) throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${def.name}]`, [def.name]);
      return null;
    }
    const wrongType = () => new SfError(400, 'INVALID_TYPE_ON_FIELD_IN_RECORD', `${def.label}: value not of required type: ${String(raw)}`, [def.name]);
    const kind: FieldType = def.type;
    switch (kind) {
      case 'currency': case 'double': case 'percent': case 'int': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
        if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) throw wrongType();
        return n;
      }
      case 'boolean':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        throw wrongType();
      case 'date': {
        if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw wrongType();
        return raw;
      }
      case 'datetime': {
        const ms = typeof raw === 'string' ? parseSalesforceDateTime(raw) : NaN;
        if (Number.isNaN(ms)) throw wrongType();
        return ms;
      }
      case 'reference': {
        const id = String(raw);
        if (!isWellFormedId(id)) throw new SfError(400, 'MALFORMED_ID', `${def.label}: id value of incorrect type: ${id}`, [def.name]);
        const target = this.typeOfId(id);
        const found = target && def.referenceTo?.includes(target) ? this.get(target, id) : undefined;
        if (!found) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [def.name]);
        return found.Id as string;
      }
      case 'picklist': {
        const value = String(raw);
        if (def.restrictedPicklist && !def.picklistValues?.includes(value)) {
          throw new SfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${def.label}: bad value for restricted picklist field: ${value}`, [def.name]);
        }
        return value;
      }
      case 'email': {
        const value = String(raw);
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new SfError(400, 'INVALID_EMAIL_ADDRESS', `${def.label}: invalid email address: ${value}`, [def.name]);
        return value;
      }
      default: {
        if (typeof raw === 'object') throw wrongType();
        const value = String(raw);
        if (def.length && value.length > def.length) throw new SfError(400, 'STRING_TOO_LONG', `${def.label}: data value too large: ${value.slice(0, 40)}… (max length=${def.length})`, [def.name]);
        return value;
      }
    }
  }

  private checkRules(object: ObjectDef, record: SfRecord): void {
    for (const rule of this.rules.filter((r) => r.type.toLowerCase() === object.name.toLowerCase())) {
      const value = record[this.field(object.name, rule.field)?.name ?? rule.field] ?? null;
      const rejected =
        rule.rejectIf === 'blank' ? value === null || value === ''
        : 'equals' in rule.rejectIf ? value === rule.rejectIf.equals
        : typeof value === 'string' && new RegExp(rule.rejectIf.matches).test(value);
      if (rejected) throw new SfError(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, [rule.field]);
    }
  }

  /** Fields Salesforce computes: names, an opportunity's closed and won flags and default probability. */
  private derive(type: string, record: SfRecord, changed: SfRecord): void {
    if (type === 'Contact' || type === 'Lead' || type === 'User') record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
    if (type === 'Opportunity') {
      const stage = opportunityStages.find((s) => s.name === record.StageName);
      record.IsClosed = stage?.isClosed ?? false;
      record.IsWon = stage?.isWon ?? false;
      if (stage && 'StageName' in changed && !('Probability' in changed)) record.Probability = stage.probability;
    }
    if (type === 'Task' && 'Status' in changed) record.CompletedDateTime = record.Status === 'Completed' ? this.clock() : null;
  }

  private writeHistory(opportunity: SfRecord, at: number, actorId: string): void {
    this.insert('OpportunityHistory', {
      OpportunityId: opportunity.Id, StageName: opportunity.StageName, Amount: opportunity.Amount,
      CloseDate: opportunity.CloseDate, Probability: opportunity.Probability,
    }, actorId, { trusted: true, at });
  }
}

/** Salesforce accepts 2024-01-15T10:20:30Z, …30.000+0000 and …30+00:00. */
export function parseSalesforceDateTime(text: string): number {
  const m = text.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/);
  if (!m) return NaN;
  const zone = m[4] === 'Z' ? 'Z' : `${m[4]!.slice(0, 3)}:${m[4]!.slice(-2)}`;
  return Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${zone}`);
}

/** How Salesforce writes a datetime: 2024-01-15T10:20:30.000+0000. */
export const formatSalesforceDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
