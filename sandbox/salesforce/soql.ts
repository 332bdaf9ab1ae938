// The SOQL subset the stand-in answers: SELECT fields (one level of parent relationship, COUNT()),
// FROM, WHERE with = != <> < <= > >= IN, NOT IN, LIKE, AND, OR, NOT and parentheses over string,
// number, boolean, null, date and datetime literals, ORDER BY (ASC/DESC, NULLS FIRST/LAST), LIMIT, OFFSET.
import { parseSalesforceDateTime, SfError } from './store.ts';

export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'date'; value: string } | { kind: 'datetime'; value: number };
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like'; value: Literal }
  | { kind: 'in'; field: string; negated: boolean; values: Literal[] };
export interface Soql {
  count: boolean;
  fields: string[];
  from: string;
  where: Condition | null;
  orderBy: Array<{ field: string; descending: boolean; nullsLast: boolean }>;
  limit: number | null;
  offset: number;
}

const tokenPattern = /\s+|'(?:\\.|[^'\\])*'|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})|\d{4}-\d{2}-\d{2}|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|!=|<>|<=|>=|[=<>(),]/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(text);
    if (!m) throw malformed(`unexpected token: '${text.slice(at, at + 10)}'`);
    if (m[0].trim()) tokens.push(m[0]);
  }
  return tokens;
}

const malformed = (message: string) => new SfError(400, 'MALFORMED_QUERY', message);

export function parseSoql(text: string): Soql {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (n = 0) => tokens[i + n];
  const is = (word: string, n = 0) => peek(n)?.toUpperCase() === word;
  const take = () => {
    const t = tokens[i++];
    if (t === undefined) throw malformed('unexpected end of query');
    return t;
  };
  const expect = (word: string) => {
    const t = take();
    if (t.toUpperCase() !== word) throw malformed(`expecting '${word}', found '${t}'`);
  };
  const identifier = () => {
    const t = take();
    if (!/^[A-Za-z_]/.test(t)) throw malformed(`unexpected token: '${t}'`);
    return t;
  };

  expect('SELECT');
  let count = false;
  const fields: string[] = [];
  if (is('COUNT') && peek(1) === '(') {
    i += 2;
    expect(')');
    count = true;
  } else {
    do fields.push(identifier());
    while (peek() === ',' && take());
  }
  expect('FROM');
  const from = identifier();

  const literal = (): Literal => {
    const t = take();
    if (t.startsWith("'")) return { kind: 'string', value: t.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c) };
    if (/^\d{4}-\d{2}-\d{2}T/.test(t)) return { kind: 'datetime', value: parseSalesforceDateTime(t) };
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return { kind: 'date', value: t };
    if (/^-?\d/.test(t)) return { kind: 'number', value: Number(t) };
    if (/^(true|false)$/i.test(t)) return { kind: 'boolean', value: t.toLowerCase() === 'true' };
    if (/^null$/i.test(t)) return { kind: 'null' };
    throw malformed(`unexpected token: '${t}'`);
  };
  const primary = (): Condition => {
    if (peek() === '(') {
      take();
      const inner = or();
      expect(')');
      return inner;
    }
    if (is('NOT') && !/^[=!<>]/.test(peek(1) ?? '')) {
      take();
      return { kind: 'not', inner: primary() };
    }
    const field = identifier();
    if (is('IN') || (is('NOT') && is('IN', 1))) {
      const negated = is('NOT');
      i += negated ? 2 : 1;
      expect('(');
      const values: Literal[] = [];
      do values.push(literal());
      while (peek() === ',' && take());
      expect(')');
      return { kind: 'in', field, negated, values };
    }
    const opToken = take().toUpperCase();
    const op = opToken === '<>' ? '!=' : opToken === 'LIKE' ? 'like' : opToken;
    if (!['=', '!=', '<', '<=', '>', '>=', 'like'].includes(op)) throw malformed(`unexpected token: '${opToken}'`);
    return { kind: 'compare', field, op: op as '=', value: literal() };
  };
  const and = (): Condition => {
    let left = primary();
    while (is('AND')) {
      take();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Condition => {
    let left = and();
    while (is('OR')) {
      take();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  let where: Condition | null = null;
  if (is('WHERE')) {
    take();
    where = or();
  }
  const orderBy: Soql['orderBy'] = [];
  if (is('ORDER')) {
    take();
    expect('BY');
    do {
      const field = identifier();
      let descending = false;
      if (is('ASC') || is('DESC')) descending = take().toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (is('NULLS')) {
        take();
        nullsLast = take().toUpperCase() === 'LAST';
      }
      orderBy.push({ field, descending, nullsLast });
    } while (peek() === ',' && take());
  }
  let limit: number | null = null;
  let offset = 0;
  if (is('LIMIT')) {
    take();
    limit = Number(take());
  }
  if (is('OFFSET')) {
    take();
    offset = Number(take());
  }
  if (i < tokens.length) throw malformed(`unexpected token: '${tokens[i]}'`);
  if (limit !== null && !Number.isInteger(limit)) throw malformed('LIMIT must be a whole number');
  return { count, fields, from, where, orderBy, limit, offset };
}
