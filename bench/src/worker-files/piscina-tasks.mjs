// Worker file of the piscina baseline: the same task as weft-tasks.mjs, as a plain function.

// biome-ignore lint/style/noDefaultExport: piscina runs a worker file's default export.
export default (n) => n * n;

/** A CPU loop that never yields: only termination stops it. */
export function spin() {
  for (;;) {
    // Busy.
  }
}
