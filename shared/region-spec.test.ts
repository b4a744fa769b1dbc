import { describe, expect, it } from 'vitest';
import { formatRegionSpec, parseRegionSpec } from './region-spec.js';

describe('parseRegionSpec', () => {
  it('reads municipalities, counties and the whole country, several at once', () => {
    const r = parseRegionSpec('kommun:1480, LAN:1,sverige');
    expect(r).toEqual({ ok: true, parts: [{ kind: 'kommun', code: '1480' }, { kind: 'lan', code: '01' }, { kind: 'sverige' }] });
    if (!r.ok) throw new Error(r.message);
    expect(formatRegionSpec(r.parts)).toBe('kommun:1480,lan:01,sverige');
  });
  it('refuses anything else, naming the entry and the accepted forms', () => {
    const r = parseRegionSpec('kommun:180');
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toMatch(/"kommun:180".*kommun:NNNN.*lan:NN.*sverige/);
    expect(parseRegionSpec(' , ').ok).toBe(false);
  });
});
