// Worker file of the @weft/workers benchmark (loads the built package).
import { defineWorkerTask } from "@weft/workers";

// biome-ignore lint/style/noDefaultExport: a worker file's task is its default export.
export default defineWorkerTask((n) => n * n);

/** A CPU loop that never looks at its signal: only termination stops it. */
export const spin = defineWorkerTask(() => {
  for (;;) {
    // Busy.
  }
});
