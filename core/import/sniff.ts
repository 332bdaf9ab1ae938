// Reading the start of an upload: which delimiter it uses and whether it is text we can decode.
// Pure: the caller hands in the first bytes or the first text.

export const delimiters = [',', ';', '\t'] as const;
export type Delimiter = (typeof delimiters)[number];

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The encoding from a byte-order mark: UTF-8 (with or without one) and UTF-16 with one are read;
 * text without a mark that holds NUL bytes is UTF-16 (or binary) without a mark, which we cannot
 * tell apart from garbage, so it is refused with a message that says how to save the file.
 */
export function encodingOf(head: Uint8Array): { ok: true; encoding: Encoding; bomLength: number } | { ok: false; message: string } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { ok: true, encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { ok: true, encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { ok: true, encoding: 'utf-16be', bomLength: 2 };
  if (head.includes(0)) return { ok: false, message: 'The file holds NUL bytes: it is UTF-16 without a byte-order mark, or not a text file. Save it as "CSV UTF-8" and upload it again.' };
  return { ok: true, encoding: 'utf-8', bomLength: 0 };
}

/** Splits one line on a delimiter outside double quotes; returns the number of fields. */
function fieldCount(line: string, delimiter: string): number {
  let count = 1;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

/**
 * The delimiter of a CSV from its first lines: the candidate that splits the header into the most
 * fields and every following sampled line into as many. A header with none of them is a
 * one-column file (','). When the header splits on one delimiter but the rows do not agree, the
 * file mixes delimiters, and that is said rather than guessed.
 */
export function detectDelimiter(head: string): { ok: true; delimiter: Delimiter } | { ok: false; message: string } {
  // Whole lines only (the last one may be cut by the sample's end), and none inside quotes.
  const lines = head.split(/\r?\n/).slice(0, 21);
  if (lines.length > 1 && !head.endsWith('\n')) lines.pop();
  const sample = lines.filter((l) => l.trim() !== '' && (l.match(/"/g)?.length ?? 0) % 2 === 0);
  const header = sample[0];
  if (header === undefined) return { ok: true, delimiter: ',' };
  const ranked = delimiters.map((d) => ({ d, n: fieldCount(header, d) })).filter((c) => c.n > 1).sort((a, b) => b.n - a.n);
  if (ranked.length === 0) return { ok: true, delimiter: ',' };
  for (const { d, n } of ranked) {
    if (sample.slice(1).every((line) => fieldCount(line, d) === n)) return { ok: true, delimiter: d };
  }
  const names = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' } as const;
  return {
    ok: false,
    message: `The header is split by ${names[ranked[0]!.d]} into ${ranked[0]!.n} columns, but the rows below it are not: the file mixes delimiters. Export it again with one delimiter (comma, semicolon or tab).`,
  };
}
