import { describe, expect, it } from 'vitest';
import { onStatement, statementShape, timed } from './observe.js';

describe('statementShape', () => {
  it('keeps placeholders and names, drops literals and numbers, collapses space and cuts long text', () => {
    expect(statementShape(`SELECT a.id, i0 FROM areas a\n  WHERE a.code = 'HUSBY' AND n > 42 AND x = $1 AND y = 3.5`))
      .toBe('SELECT a.id, i0 FROM areas a WHERE a.code = ? AND n > ? AND x = $1 AND y = ?');
    expect(statementShape(`SELECT 'it''s' || $$body$$`)).toBe('SELECT ? || ?');
    expect(statementShape('SELECT ' + 'x, '.repeat(100), 20)).toBe('SELECT x, x, x, x, x…');
  });
});

describe('timed', () => {
  it('tells listeners the duration and the failure of a statement, and nothing once unsubscribed', async () => {
    const seen: { sql: string; failed: boolean; ms: number }[] = [];
    const off = onStatement((e) => seen.push(e));
    await timed({ db: null }, 'SELECT 1', async () => 1);
    await expect(timed({ db: null }, 'SELECT boom', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    off();
    await timed({ db: null }, 'SELECT 2', async () => 2);
    expect(seen.map((e) => [e.sql, e.failed])).toEqual([['SELECT 1', false], ['SELECT boom', true]]);
    expect(seen.every((e) => e.ms >= 0)).toBe(true);
  });
});
