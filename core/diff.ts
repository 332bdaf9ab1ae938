// Field-level changes for the audit log: only fields present in `next` that differ from `prev`.
export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

export function fieldChanges(prev: Record<string, unknown>, next: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    const before = prev[key] === undefined ? null : prev[key];
    if (!sameValue(before, value)) changes[key] = { old: before, new: value };
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date) a = a.toISOString();
  if (b instanceof Date) b = b.toISOString();
  return JSON.stringify(a) === JSON.stringify(b);
}
