// A set of listeners that hear events and can never break the code that tells them: one that throws is skipped.

export type Listeners<E> = {
  /** Adds a listener; returns the unsubscribe. */
  on(listener: (e: E) => void): () => void;
  tell(e: E): void;
  readonly size: number;
};

export function listeners<E>(): Listeners<E> {
  const set = new Set<(e: E) => void>();
  return {
    on(listener) { set.add(listener); return () => { set.delete(listener); }; },
    tell(e) { for (const l of set) { try { l(e); } catch { /* a listener must not break the work it watches */ } } },
    get size() { return set.size; },
  };
}
