import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';

describe('cursors', () => {
  it('round-trips a Postgres timestamp with microseconds', () => {
    const position = { createdAt: '2026-11-21 21:50:00.123456+00', id: '3f1c6c1e-8a7b-4f7e-9b0a-2c1d3e4f5a6b' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64 at all!'],
    [Buffer.from('2026-11-21 21:50:00+00|not-a-uuid').toString('base64url')],
    [Buffer.from('yesterday|3f1c6c1e-8a7b-4f7e-9b0a-2c1d3e4f5a6b').toString('base64url')],
    [Buffer.from('2026-11-21 21:50:00+00|3f1c6c1e-8a7b-4f7e-9b0a-2c1d3e4f5a6b|x').toString('base64url')],
    [''],
  ])('rejects %j', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
