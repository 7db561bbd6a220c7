// The worker file of the offload example: counts primes by trial division, a CPU-bound loop.
// Plain JavaScript, as a worker thread loads it: under vitest it imports the BUILT @weft/workers;
// `pnpm demo` bundles it beside the demo (examples/build-demo.mjs).
import { defineWorkerTask } from "@weft/workers";

// biome-ignore lint/style/noDefaultExport: a worker file's task is its default export.
export default defineWorkerTask((limit, { signal }) => {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    if (n % 65_536 === 0) signal.throwIfAborted(); // stops soon after a cancellation
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
});
