// Salesforce record ids: a 3-character key prefix, 12 characters, and the 3-character suffix that
// makes the 18-character form case-insensitive (one character per 5, flagging the upper-case ones).
const suffixAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function salesforceId(keyPrefix: string, serial: number): string {
  let body = '';
  for (let n = serial, i = 0; i < 9; i++, n = Math.floor(n / 62)) body = base62[n % 62] + body;
  return toId18(`${keyPrefix}5g0${body}`);
}

/** The 18-character form of a 15- or 18-character id (the API accepts both). */
export function toId18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id[chunk * 5 + i]!)) flags |= 1 << i;
    suffix += suffixAlphabet[flags];
  }
  return id + suffix;
}

export const isWellFormedId = (id: string) => /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id);
