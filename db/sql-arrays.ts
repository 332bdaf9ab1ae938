// Arrays as one bind parameter each ('{a,b}'::uuid[] with `= any(...)`), where drizzle's inArray
// spends one parameter per element and stops at the protocol's 65,535.
import { sql, type SQL } from 'drizzle-orm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidArray(ids: readonly string[]): SQL {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

/** Plain words only (letters, digits, _ and -), so no element needs quoting. */
export function wordArray(words: readonly string[]): SQL {
  for (const w of words) if (!/^[\w-]+$/.test(w)) throw new Error(`not a plain word: ${w}`);
  return sql`${`{${words.join(',')}}`}::text[]`;
}
