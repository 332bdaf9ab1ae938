// Runs a parsed SOQL query against the store and shapes records as the REST API returns them.
import { toId18 } from './ids.ts';
import type { FieldDef } from './schema.ts';
import { formatSalesforceDateTime, SfError, type SalesforceStore, type SfRecord, type SfValue } from './store.ts';
import type { Condition, Literal, Soql } from './soql.ts';

export interface WireRecord { attributes: { type: string; url: string }; [field: string]: unknown }

/** One selected column: a field of the object, or a field of a parent through a reference (Account.Name). */
export interface Column { path: string; relationship?: { name: string; via: string }; field: string }

export function runSoql(store: SalesforceStore, soql: Soql, includeDeleted: boolean): { type: string; ids: string[]; columns: Column[] } {
  const object = objectOf(store, soql.from);
  const columns = soql.fields.map((path) => resolveColumn(store, object, path));
  const byName = (name: string) => {
    const def = store.field(object, name);
    if (!def) throw invalidField(name, object);
    return def;
  };
  const test = soql.where ? compile(soql.where, byName) : () => true;
  let rows = store.all(object, includeDeleted).filter(test);
  if (soql.orderBy.length) {
    const keys = soql.orderBy.map((o) => ({ ...o, def: byName(o.field) }));
    rows = rows.sort((a, b) => {
      for (const key of keys) {
        const x = a[key.def.name] ?? null;
        const y = b[key.def.name] ?? null;
        if (x === y) continue;
        if (x === null) return key.nullsLast ? 1 : -1;
        if (y === null) return key.nullsLast ? -1 : 1;
        const order = compareValues(x, y);
        if (order !== 0) return key.descending ? -order : order;
      }
      return 0;
    });
  }
  const end = soql.limit === null ? undefined : soql.offset + soql.limit;
  return { type: object, ids: rows.slice(soql.offset, end).map((r) => r.Id as string), columns };
}

export function toWire(store: SalesforceStore, type: string, record: SfRecord, columns: Column[], version: string): WireRecord {
  const out: WireRecord = { attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${record.Id}` } };
  for (const column of columns) {
    if (!column.relationship) {
      const def = store.field(type, column.field);
      out[def?.name ?? column.field] = wireValue(def, record[def?.name ?? column.field] ?? null);
      continue;
    }
    const parentId = record[column.relationship.via] as string | null;
    const parentType = parentId ? store.typeOfId(parentId) : undefined;
    const parent = parentType ? store.get(parentType, parentId!) : undefined;
    const existing = out[column.relationship.name] as WireRecord | null | undefined;
    if (!parent || !parentType) {
      out[column.relationship.name] = existing ?? null;
      continue;
    }
    const nested = existing ?? { attributes: { type: parentType, url: `/services/data/v${version}/sobjects/${parentType}/${parent.Id}` } };
    const def = store.field(parentType, column.field);
    nested[def?.name ?? column.field] = wireValue(def, parent[def?.name ?? column.field] ?? null);
    out[column.relationship.name] = nested;
  }
  return out;
}

export function allColumns(store: SalesforceStore, type: string): Column[] {
  return store.object(type).fields.map((f) => ({ path: f.name, field: f.name }));
}

export function wireValue(def: FieldDef | undefined, value: SfValue): SfValue {
  if (value === null || !def) return value;
  return def.type === 'datetime' && typeof value === 'number' ? formatSalesforceDateTime(value) : value;
}

function objectOf(store: SalesforceStore, name: string): string {
  try {
    return store.object(name).name;
  } catch {
    throw new SfError(400, 'INVALID_TYPE', `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
}

const invalidField = (name: string, object: string) =>
  new SfError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);

function resolveColumn(store: SalesforceStore, object: string, path: string): Column {
  const parts = path.split('.');
  if (parts.length === 1) {
    const def = store.field(object, path);
    if (!def) throw invalidField(path, object);
    return { path, field: def.name };
  }
  if (parts.length !== 2) throw invalidField(path, object);
  const [name, field] = parts as [string, string];
  const via = store.field(object, `${name}Id`);
  if (!via || via.type !== 'reference') throw new SfError(400, 'INVALID_FIELD', `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
  const targets = via.referenceTo ?? [];
  if (!targets.some((t) => store.field(t, field))) throw invalidField(field, targets[0] ?? name);
  return { path, relationship: { name: via.name.replace(/Id$/, ''), via: via.name }, field };
}

function compareValues(x: SfValue, y: SfValue): number {
  if (typeof x === 'string' && typeof y === 'string') return x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

/** The literal as the field holds values, or a MALFORMED_QUERY when it does not fit the field's type. */
function literalFor(def: FieldDef, literal: Literal): SfValue {
  if (literal.kind === 'null') return null;
  const mismatch = () => new SfError(400, 'MALFORMED_QUERY', `value of filter criterion for field '${def.name}' must be of type ${def.type} and should${def.type === 'datetime' || def.type === 'date' ? ' not' : ''} be enclosed in quotes`);
  switch (def.type) {
    case 'datetime':
      if (literal.kind !== 'datetime') throw mismatch();
      return literal.value;
    case 'date':
      if (literal.kind !== 'date') throw mismatch();
      return literal.value;
    case 'boolean':
      if (literal.kind !== 'boolean') throw mismatch();
      return literal.value;
    case 'currency': case 'double': case 'percent': case 'int':
      if (literal.kind !== 'number') throw mismatch();
      return literal.value;
    case 'id': case 'reference':
      if (literal.kind !== 'string') throw mismatch();
      return toId18(literal.value);
    default:
      if (literal.kind !== 'string') throw mismatch();
      return literal.value;
  }
}

function compile(condition: Condition, field: (name: string) => FieldDef): (record: SfRecord) => boolean {
  switch (condition.kind) {
    case 'and': {
      const [l, r] = [compile(condition.left, field), compile(condition.right, field)];
      return (rec) => l(rec) && r(rec);
    }
    case 'or': {
      const [l, r] = [compile(condition.left, field), compile(condition.right, field)];
      return (rec) => l(rec) || r(rec);
    }
    case 'not': {
      const inner = compile(condition.inner, field);
      return (rec) => !inner(rec);
    }
    case 'in': {
      const def = field(condition.field);
      const values = condition.values.map((v) => literalFor(def, v));
      const matches = (x: SfValue) => values.some((v) => equal(x, v));
      return (rec) => matches(rec[def.name] ?? null) !== condition.negated;
    }
    case 'compare': {
      const def = field(condition.field);
      if (condition.op === 'like') {
        if (condition.value.kind !== 'string') throw new SfError(400, 'MALFORMED_QUERY', 'LIKE needs a string');
        const pattern = new RegExp(`^${condition.value.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
        return (rec) => typeof rec[def.name] === 'string' && pattern.test(rec[def.name] as string);
      }
      const value = literalFor(def, condition.value);
      const op = condition.op;
      return (rec) => {
        const x = rec[def.name] ?? null;
        if (op === '=') return equal(x, value);
        if (op === '!=') return !equal(x, value);
        if (x === null || value === null) return false;
        const order = compareValues(x, value);
        return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
      };
    }
  }
}

const equal = (x: SfValue, y: SfValue) => (typeof x === 'string' && typeof y === 'string' ? x.toLowerCase() === y.toLowerCase() : x === y);
