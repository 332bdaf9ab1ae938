// The credentials of outbound endpoints at rest: a webhook's signing secrets and a Slack incoming
// webhook's URL (the URL is Slack's credential) are sealed with the keyring that seals CRM tokens
// (AES-256-GCM, CRM_TOKEN_KEYS: api/integrations/token-vault.ts), each bound to its endpoint and
// column, so a value copied to another row does not open. Rows written before migration 0025 hold
// clear text until `sealStoredSecrets` (run when the sender starts) rewrites them.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../../db/client.ts';
import type { TokenVault } from '../../integrations/token-vault.ts';
import type { Logger } from '../../log.ts';

export type SealedColumn = 'secret' | 'previous_secret' | 'url';

const context = (endpointId: string, column: SealedColumn) => `webhook_endpoints/${endpointId}/${column}`;

/** Sealed values look like `v1.<key id>.…`; a signing secret (whsec_…) or a URL never does. */
export const isSealed = (stored: string) => stored.startsWith('v1.');

export class EndpointSecrets {
  constructor(private readonly vault: TokenVault) {}

  seal(endpointId: string, column: SealedColumn, plaintext: string): string {
    return this.vault.seal(plaintext, context(endpointId, column));
  }

  /** The clear value; a row from before the sealing pass is still clear and is returned as is. */
  open(endpointId: string, column: SealedColumn, stored: string): string;
  open(endpointId: string, column: SealedColumn, stored: string | null): string | null;
  open(endpointId: string, column: SealedColumn, stored: string | null): string | null {
    if (stored === null) return null;
    return isSealed(stored) ? this.vault.open(stored, context(endpointId, column)) : stored;
  }

  /** Clear (from before 0025) or sealed with a key that is no longer the current one. */
  needsSealing(stored: string | null): boolean {
    return stored !== null && (!isSealed(stored) || this.vault.needsResealing(stored));
  }
}

/**
 * Seals every endpoint credential still stored in clear, and reseals those sealed with an older
 * key (after a rotation of CRM_TOKEN_KEYS). Across organizations, as the owner (like the sender's
 * claim); idempotent, so every sender start may run it. Returns how many rows it rewrote.
 */
export async function sealStoredSecrets(db: Db, secrets: EndpointSecrets, log?: Logger): Promise<number> {
  const rows = rowsOf<{ id: string; kind: string; url: string; secret: string | null; previous_secret: string | null }>(
    await db.execute(sql`select id, kind, url, secret, previous_secret from webhook_endpoints`),
  );
  let rewritten = 0;
  for (const row of rows) {
    // A customer's webhook URL is no credential (the signature is): it stays readable.
    const sealsUrl = row.kind === 'slack';
    if (![sealsUrl ? row.url : null, row.secret, row.previous_secret].some((v) => secrets.needsSealing(v))) continue;
    const reseal = <T extends string | null>(column: SealedColumn, stored: T): T => (stored === null ? stored : (secrets.seal(row.id, column, secrets.open(row.id, column, stored)) as T));
    // Only the row as read is rewritten: an admin's change in between wins (and is sealed already).
    const updated = rowsOf(
      await db.execute(sql`
        update webhook_endpoints set url = ${sealsUrl ? reseal('url', row.url) : row.url}, secret = ${reseal('secret', row.secret)}, previous_secret = ${reseal('previous_secret', row.previous_secret)}
        where id = ${row.id} and url = ${row.url} and secret is not distinct from ${row.secret} and previous_secret is not distinct from ${row.previous_secret}
        returning id`),
    );
    rewritten += updated.length;
  }
  if (rewritten) log?.info('sealed webhook and Slack credentials stored in clear or with an older key', { endpoints: rewritten });
  return rewritten;
}
