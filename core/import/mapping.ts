// The column mapping: which CSV column fills which field. Detected from the headers, then edited by
// the person importing; checked here before an import may start.
import { fieldsOf, normalizeHeader, type ImportObject } from './fields.ts';

/** Column index (as a string: the mapping travels as JSON) → field name. */
export type ColumnMapping = Record<string, string>;

/** The first column whose header is one of a field's aliases fills it; a column fills one field at most. */
export function detectMapping(headers: readonly string[], object: ImportObject): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  const normalized = headers.map(normalizeHeader);
  // Fields in their listed order, aliases in theirs: "Email" goes to email before contactEmail, and
  // "Deal Name" to name before a looser alias elsewhere claims it.
  for (const spec of fieldsOf[object]) {
    for (const alias of spec.aliases.map(normalizeHeader)) {
      const index = normalized.findIndex((h, i) => h === alias && !(String(i) in mapping));
      if (index >= 0 && !taken.has(spec.field)) {
        mapping[String(index)] = spec.field;
        taken.add(spec.field);
        break;
      }
    }
  }
  return mapping;
}

/** What is wrong with a mapping for these headers, in words; empty when it may be used. */
export function mappingProblems(mapping: ColumnMapping, headers: readonly string[], object: ImportObject): string[] {
  const problems: string[] = [];
  const known = new Map(fieldsOf[object].map((f) => [f.field, f]));
  const seen = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    const index = Number(column);
    if (!Number.isInteger(index) || index < 0 || index >= headers.length) problems.push(`Column ${column} does not exist in the file`);
    else if (!known.has(field)) problems.push(`"${field}" is not a field of ${object}`);
    else if (seen.has(field)) problems.push(`${known.get(field)!.label} is filled by two columns ("${seen.get(field)}" and "${headers[index]}")`);
    else seen.set(field, headers[index]!);
  }
  for (const spec of fieldsOf[object]) {
    if (spec.required && !seen.has(spec.field)) problems.push(`No column is mapped to ${spec.label}, which is required`);
  }
  return problems;
}
