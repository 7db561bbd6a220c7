// `pnpm bench --quick` runs every case once at a small size: enough to check every result, cheap
// enough for the pipeline.

/** The size of a workload in quick mode: its smallest, at most 200. */
export const quickSize = (workload) => Math.min(workload.sizes[0], 200);
