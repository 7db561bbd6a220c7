// Timing helpers: warm up, then take the median of interleaved rounds, so that the cases of one
// benchmark see the same machine state and their ratio is meaningful.

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs every case `rounds` times, interleaved (a, b, a, b, …) after `warmup` rounds each, and
 * returns the median milliseconds of each.
 */
export async function compare(cases, { rounds = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) for (const run of Object.values(cases)) await run();
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, run] of Object.entries(cases)) {
      globalThis.gc?.();
      const started = performance.now();
      await run();
      samples[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, times]) => [name, median(times)]));
}

/** Prints one benchmark's medians and the ratio of `subject` to `baseline`, against the target. */
export function report(title, medians, subject, baseline, target) {
  const ratio = medians[subject] / medians[baseline];
  console.log(`\n${title}`);
  for (const [name, ms] of Object.entries(medians))
    console.log(`  ${name.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms`);
  const verdict = ratio <= target ? "meets" : "misses";
  console.log(
    `  ratio ${subject} / ${baseline}: ${ratio.toFixed(2)} (target ≤ ${target}: ${verdict})`,
  );
  return { title, ratio, target, meets: ratio <= target };
}
