// Opaque keyset cursors for lists ordered by (createdAt desc, id desc). The timestamp is kept as
// Postgres printed it (microseconds), since a JS Date would round it and skip or repeat rows.
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`, 'utf8').toString('base64url');
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const timestampPattern = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Returns null for anything that is not a cursor this API produced. */
export function decodeCursor(cursor: string): CursorPosition | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [createdAt, id, extra] = text.split('|');
  if (extra !== undefined || !createdAt || !id) return null;
  if (!uuidPattern.test(id) || !timestampPattern.test(createdAt)) return null;
  return { createdAt, id };
}
