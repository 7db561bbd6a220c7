/** A seeded source of uniform numbers in [0, 1): mulberry32, small and fast, good enough to shuffle. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place (Fisher–Yates) with `random`. */
export function shuffleWith(random: () => number): <T>(items: T[]) => void {
  return <T>(items: T[]): void => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const item = items[i] as T;
      items[i] = items[j] as T;
      items[j] = item;
    }
  };
}
