// CRM tokens at rest: AES-256-GCM with a key from the keyring in configuration (CRM_TOKEN_KEYS).
// A sealed value names the key it was sealed with, so rotating is adding a key and making it
// current: old values still open, new ones use the new key, and `needsResealing` tells which rows
// to rewrite. Each value is bound to where it is stored (the connection and which token): a value
// copied into another row or column does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export const CrmTokenKeyring = z
  .object({
    currentKeyId: z.string().regex(KEY_ID),
    keys: z.record(z.string().regex(KEY_ID), z.string().min(32, 'a key needs 32+ characters')),
  })
  .refine((ring) => Object.hasOwn(ring.keys, ring.currentKeyId), { message: 'currentKeyId must name one of keys', path: ['currentKeyId'] });
export type CrmTokenKeyring = z.infer<typeof CrmTokenKeyring>;

const VERSION = 'v1';

export class TokenVault {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId: string;

  constructor(keyring: CrmTokenKeyring) {
    for (const [id, secret] of Object.entries(keyring.keys)) {
      // The configured secret is a passphrase of any alphabet: derive a 256-bit key per key id.
      this.keys.set(id, Buffer.from(hkdfSync('sha256', secret, 'inbox-crm/crm-tokens', id, 32)));
    }
    this.currentKeyId = keyring.currentKeyId;
  }

  /** `context` names where the value is kept, e.g. `<connection id>/refresh`. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentKeyId, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The plaintext; throws when the key is gone, the value was altered or moved. */
  open(sealed: string, context: string): string {
    const [version, keyId, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !keyId || iv === undefined || body === undefined || tag === undefined) throw new Error('Not a sealed CRM token');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`The key "${keyId}" that sealed this token is no longer in CRM_TOKEN_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Sealed with another key than the current one: rewrite it after rotating. */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }
}
