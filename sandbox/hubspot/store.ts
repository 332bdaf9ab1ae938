// The HubSpot stand-in's records: string property values checked against their property types,
// property history, archiving, v4 associations, validation rules, and change events for webhooks.
import type { Clock } from '../shared/options.ts';
import { associationTypeIds, objectTypeOf, objectTypes, standardPipelines, standardProperties, type ObjectType, type Pipeline, type PropertyDef } from './schema.ts';

export interface HsRecord {
  id: string;
  type: ObjectType;
  properties: Record<string, string | null>;
  history: Record<string, Array<{ value: string; timestamp: number; sourceType: string }>>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  /** Set on a record merged into another: reads by its id answer the surviving record. */
  mergedInto?: string;
}

export class HsError extends Error {
  constructor(readonly status: number, readonly category: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

export type RejectIf = 'blank' | { equals: string } | { matches: string };
export interface ValidationRule { id: string; type: string; field: string; message: string; rejectIf: RejectIf }
export interface ChangeEvent {
  type: ObjectType; id: string; kind: 'creation' | 'propertyChange' | 'deletion' | 'merge'; source: 'CRM_UI' | 'INTEGRATION';
  propertyName?: string; propertyValue?: string | null; mergedObjectIds?: string[];
}
export type Source = ChangeEvent['source'];

export class HubSpotStore {
  properties = standardProperties();
  pipelines: Pipeline[] = standardPipelines();
  records = new Map<ObjectType, Map<string, HsRecord>>();
  links = new Map<string, Map<ObjectType, Set<string>>>();
  owners: Array<{ id: string; email: string; firstName: string; lastName: string; userId: number; createdAt: number }> = [];
  rules: ValidationRule[] = [];
  listeners: Array<(event: ChangeEvent) => void> = [];
  #nextId = 10_001;
  #undo: Array<() => void> | null = null;
  #pending: ChangeEvent[] | null = null;

  constructor(private readonly clock: Clock) {
    this.clear();
  }

  clear(): void {
    this.properties = standardProperties();
    this.pipelines = standardPipelines();
    this.records = new Map((Object.keys(objectTypes) as ObjectType[]).map((t) => [t, new Map()]));
    this.links = new Map();
    this.owners = [];
    this.rules = [];
    this.#nextId = 10_001;
  }

  type(name: string): ObjectType {
    const type = objectTypeOf(name);
    if (!type) throw new HsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`);
    return type;
  }

  property(type: ObjectType, name: string): PropertyDef | undefined {
    return this.properties[type].find((p) => p.name === name);
  }

  get(type: ObjectType, id: string, archived = false): HsRecord {
    const found = this.records.get(type)!.get(id);
    const record = found?.mergedInto && !archived ? this.records.get(type)!.get(found.mergedInto) : found;
    if (!record || record.archived !== archived) throw new HsError(404, 'OBJECT_NOT_FOUND', 'resource not found', { context: { id: [id] } });
    return record;
  }

  all(type: ObjectType, archived = false): HsRecord[] {
    return [...this.records.get(type)!.values()].filter((r) => r.archived === archived);
  }

  create(type: ObjectType, input: Record<string, unknown>, source: Source, options: { at?: number; trusted?: boolean } = {}): HsRecord {
    const values = options.trusted ? (input as Record<string, string | null>) : this.checked(type, input);
    if (!options.trusted) this.checkUnique(type, values, null);
    const at = options.at ?? this.clock();
    const id = String(this.#nextId++);
    const { created, lastModified } = objectTypes[type];
    const record: HsRecord = { id, type, properties: {}, history: {}, createdAt: at, updatedAt: at, archived: false, archivedAt: null };
    // Seeded records keep no history objects (memory at bench volume); reads derive it from createdAt.
    if (options.trusted) Object.assign(record.properties, values, { hs_object_id: id, [created]: iso(at) });
    else this.apply(record, { ...values, hs_object_id: id, [created]: iso(at) }, at, source === 'CRM_UI' ? 'CRM_UI' : 'INTEGRATION');
    record.properties[lastModified] = iso(at);
    if (!options.trusted) this.checkRules(record);
    this.records.get(type)!.set(id, record);
    this.#undo?.push(() => this.records.get(type)!.delete(id));
    this.emit({ type, id, kind: 'creation', source });
    return record;
  }

  update(type: ObjectType, id: string, input: Record<string, unknown>, source: Source, options: { at?: number } = {}): HsRecord {
    const record = this.get(type, id);
    const values = this.checked(type, input);
    this.checkUnique(type, values, id);
    this.checkRules({ ...record, properties: { ...record.properties, ...values } });
    const at = options.at ?? this.clock();
    const changed = Object.entries(values).filter(([k, v]) => record.properties[k] !== v);
    if (this.#undo) {
      const before = { properties: { ...record.properties }, history: structuredClone(record.history), updatedAt: record.updatedAt };
      this.#undo.push(() => Object.assign(record, before));
    }
    this.apply(record, values, at, source === 'CRM_UI' ? 'CRM_UI' : 'INTEGRATION');
    if (changed.length) {
      record.updatedAt = at;
      record.properties[objectTypes[type].lastModified] = iso(at);
    }
    for (const [propertyName, propertyValue] of changed) this.emit({ type, id, kind: 'propertyChange', propertyName, propertyValue, source });
    return record;
  }

  archive(type: ObjectType, id: string, source: Source): void {
    const record = this.records.get(type)!.get(id);
    if (!record || record.archived) return; // HubSpot answers 204 for an id already gone
    record.archived = true;
    record.archivedAt = this.clock();
    record.updatedAt = record.archivedAt;
    this.emit({ type, id, kind: 'deletion', source });
  }

  /** HubSpot's merge: the primary keeps its values (blanks filled from the other) and takes its associations; the other id then reads as the primary. */
  merge(type: ObjectType, primaryId: string, mergeId: string, source: Source): HsRecord {
    const primary = this.get(type, primaryId);
    const merged = this.get(type, mergeId);
    if (primary === merged) throw new HsError(400, 'VALIDATION_ERROR', 'Cannot merge an object with itself');
    const fill = Object.fromEntries(Object.entries(merged.properties).filter(([k, v]) => v && !primary.properties[k] && !this.property(type, k)?.readOnly));
    const at = this.clock();
    this.apply(primary, { ...fill, hs_merged_object_ids: [primary.properties.hs_merged_object_ids, merged.id].filter(Boolean).join(';') }, at, source === 'CRM_UI' ? 'CRM_UI' : 'INTEGRATION');
    for (const [toType, ids] of this.links.get(`${type}:${merged.id}`) ?? []) for (const toId of [...ids]) {
      this.dissociate(type, merged.id, toType, toId);
      this.associate(type, primary.id, toType, toId);
    }
    Object.assign(merged, { archived: true, archivedAt: at, updatedAt: at, mergedInto: primary.id });
    primary.updatedAt = at;
    primary.properties[objectTypes[type].lastModified] = iso(at);
    this.emit({ type, id: primary.id, kind: 'merge', mergedObjectIds: [merged.id], source });
    return primary;
  }

  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.get(fromType, fromId);
    this.get(toType, toId);
    this.linkSet(fromType, fromId, toType).add(toId);
    this.linkSet(toType, toId, fromType).add(fromId);
    this.#undo?.push(() => this.dissociate(fromType, fromId, toType, toId));
  }

  /** Runs `work` so that a throw undoes every change it made and sends none of its events. */
  atomically<T>(work: () => T): T {
    this.#undo = [];
    this.#pending = [];
    try {
      const result = work();
      const events = this.#pending;
      this.#pending = null;
      for (const event of events) this.emit(event);
      return result;
    } catch (error) {
      for (const undo of this.#undo.reverse()) undo();
      throw error;
    } finally {
      this.#undo = null;
      this.#pending = null;
    }
  }

  dissociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.linkSet(fromType, fromId, toType).delete(toId);
    this.linkSet(toType, toId, fromType).delete(fromId);
  }

  associated(fromType: ObjectType, fromId: string, toType: ObjectType): string[] {
    return [...this.linkSet(fromType, fromId, toType)].filter((id) => this.records.get(toType)!.get(id)?.archived === false);
  }

  associationTypeId(fromType: ObjectType, toType: ObjectType): number {
    return associationTypeIds[`${fromType}→${toType}`] ?? 0;
  }

  addRule(rule: Omit<ValidationRule, 'id'>): string {
    const id = `rule-${this.rules.length + 1}-${rule.field}`;
    this.rules.push({ ...rule, id });
    return id;
  }

  private linkSet(type: ObjectType, id: string, toType: ObjectType): Set<string> {
    const key = `${type}:${id}`;
    if (!this.links.has(key)) this.links.set(key, new Map());
    const byType = this.links.get(key)!;
    if (!byType.has(toType)) byType.set(toType, new Set());
    return byType.get(toType)!;
  }

  private apply(record: HsRecord, values: Record<string, string | null>, at: number, sourceType: string): void {
    for (const [key, value] of Object.entries(values)) {
      const previous = record.properties[key];
      if (previous === value) continue;
      const history = (record.history[key] ??= previous ? [{ value: previous, timestamp: record.createdAt, sourceType: 'CRM_UI' }] : []);
      history.unshift({ value: value ?? '', timestamp: at, sourceType });
      record.properties[key] = value;
    }
    if (record.type === 'deals' && 'dealstage' in values) record.properties.hs_is_closed_won = String(values.dealstage === 'closedwon' || this.stage(values.dealstage)?.label === 'Renewed');
  }

  stage(id: string | null | undefined) {
    return this.pipelines.flatMap((p) => p.stages).find((s) => s.id === id);
  }

  private emit(event: ChangeEvent): void {
    if (this.#pending) this.#pending.push(event);
    else for (const listener of this.listeners) listener(event);
  }

  /** Values as HubSpot stores them (strings), or a VALIDATION_ERROR naming every bad property. */
  private checked(type: ObjectType, input: Record<string, unknown>): Record<string, string | null> {
    const values: Record<string, string | null> = {};
    const errors: Array<{ isValid: false; message: string; error: string; name: string }> = [];
    for (const [name, raw] of Object.entries(input ?? {})) {
      const def = this.property(type, name);
      const bad = (error: string, message: string) => errors.push({ isValid: false, message, error, name });
      if (!def) {
        bad('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
        continue;
      }
      if (def.readOnly) {
        bad('READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`);
        continue;
      }
      if (raw === null || raw === '') {
        values[name] = raw === null ? null : '';
        continue;
      }
      const value = String(raw);
      if (def.type === 'number' && !Number.isFinite(Number(value))) bad('INVALID_INTEGER', `${value} was not a valid number.`);
      else if (def.type === 'enumeration' && !def.options?.some((o) => o.value === value)) bad('INVALID_OPTION', `${value} was not one of the allowed options: [${def.options?.map((o) => o.value).join(', ')}]`);
      else if ((def.type === 'datetime' || def.type === 'date') && Number.isNaN(parseHubSpotTime(value))) bad('INVALID_DATE', `${value} is not a valid date.`);
      else if (def.type === 'bool' && !['true', 'false'].includes(value)) bad('INVALID_BOOLEAN', `${value} is not a valid boolean.`);
      else if (name === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) bad('INVALID_EMAIL', `Email address ${value} is invalid`);
      else if (type === 'deals' && name === 'dealstage' && !this.stage(value)) bad('INVALID_OPTION', `${value} was not one of the allowed options for the deal's pipeline`);
      else values[name] = def.type === 'datetime' ? iso(parseHubSpotTime(value)) : value;
    }
    if (errors.length) {
      throw new HsError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(errors)}`, {
        errors: errors.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
      });
    }
    return values;
  }

  private checkUnique(type: ObjectType, values: Record<string, string | null>, selfId: string | null): void {
    if (type !== 'contacts' || !values.email) return;
    const email = values.email.toLowerCase();
    const existing = this.all('contacts').find((r) => r.id !== selfId && r.properties.email?.toLowerCase() === email);
    if (existing) throw new HsError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
  }

  private checkRules(record: Pick<HsRecord, 'type' | 'properties'>): void {
    for (const rule of this.rules.filter((r) => objectTypeOf(r.type) === record.type)) {
      const value = record.properties[rule.field] ?? null;
      const rejected =
        rule.rejectIf === 'blank' ? value === null || value === ''
        : 'equals' in rule.rejectIf ? value === rule.rejectIf.equals
        : value !== null && new RegExp(rule.rejectIf.matches).test(value);
      if (rejected) {
        throw new HsError(400, 'VALIDATION_ERROR', rule.message, { errors: [{ message: rule.message, code: 'VALIDATION_RULE', context: { propertyName: [rule.field] } }] });
      }
    }
  }
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** HubSpot takes times as epoch milliseconds or ISO 8601. */
export function parseHubSpotTime(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
}
