// Contact search matches the start of any word of a contact's names, email or company name.
// Words are split the way the database trigger splits them (on anything not a letter or digit).

export function searchWords(query: string, maxWords = 5): string[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.slice(0, 64));
  return [...new Set(words)].slice(0, maxWords);
}

/** The smallest string greater than every string starting with `prefix` (byte order). */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const head = prefix.slice(0, prefix.length - (last > 0xffff ? 2 : 1));
  return head + String.fromCodePoint(last + 1);
}
