import { describe, expect, it } from 'vitest';
import { listeners } from './listeners.js';

describe('listeners', () => {
  it('tells every listener, skips one that throws, and stops telling one that unsubscribed', () => {
    const l = listeners<number>();
    const heard: number[] = [];
    l.on(() => { throw new Error('broken listener'); });
    const off = l.on((n) => heard.push(n));
    l.tell(1);
    off();
    l.tell(2);
    expect(heard).toEqual([1]);
    expect(l.size).toBe(1);
  });
});
