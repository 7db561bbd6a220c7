// Every workload of `pnpm bench`, in the order of the table, by id → [module, export]. A workload
// names its cases (library → function of n), the sizes it runs at, the Weft case (`subject`), the
// hand-written `baseline`, the target for subject ÷ baseline (or ÷ `targetAgainst`) at the largest
// size, and `expected(n)`, the result every case must return. A `selfTimed` case returns
// `{ check, value, extra? }` instead of being timed from outside (cancellation, memory, workers).
// Modules load on demand, so that a child process imports only the libraries it measures.
const modules = {
  "spawn-await": ["./workloads/spawn.mjs", "spawnAwaiting"],
  "spawn-trivial": ["./workloads/spawn.mjs", "spawnTrivial"],
  "channel-1": ["./workloads/channels.mjs", "channel1"],
  "channel-64": ["./workloads/channels.mjs", "channel64"],
  "channel-unbounded": ["./workloads/channels.mjs", "channelUnbounded"],
  "fan-out": ["./workloads/fan-out.mjs", "fanOut"],
  "fake-clock": ["./workloads/fake-clock.mjs", "fakeClockTimers"],
  sleeps: ["./workloads/fake-clock.mjs", "sequentialSleeps"],
  cancel: ["./workloads/cancel.mjs", "cancelSleepers"],
  timeout: ["./workloads/timeout.mjs", "timeoutOverhead"],
  memory: ["./workloads/memory.mjs", "sleepingMemory"],
  workers: ["./workloads/workers.mjs", "workerRoundTrips"],
  "worker-cancel": ["./workloads/workers.mjs", "workerCancel"],
};

export const workloadIds = Object.keys(modules);

/** Loads the workload `id`. */
export async function loadWorkload(id) {
  const entry = modules[id];
  if (entry === undefined) throw new Error(`no workload ${JSON.stringify(id)}`);
  const [path, name] = entry;
  return (await import(path))[name];
}
