/**
 * Resolves after one real macrotask turn, by which time every pending microtask has run.
 *
 * The platform's scheduling functions are captured when this module loads, so that a harness that
 * later replaces the globals (`setImmediate`, `setTimeout`) with virtual ones does not capture the
 * virtual clock's own turns.
 */
type Schedule = (callback: () => void) => void;

function pickScheduler(): Schedule {
  const global = globalThis as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: typeof MessageChannel;
    setTimeout: (callback: () => void, ms: number) => unknown;
  };
  const setImmediate = global.setImmediate;
  if (typeof setImmediate === "function") return (callback) => void setImmediate(callback);
  const Channel = global.MessageChannel;
  if (typeof Channel === "function") {
    const channel = new Channel();
    const queue: (() => void)[] = [];
    channel.port1.onmessage = () => (queue.shift() as () => void)();
    return (callback) => {
      queue.push(callback);
      channel.port2.postMessage(undefined);
    };
  }
  const setTimeout = global.setTimeout;
  return (callback) => void setTimeout(callback, 0);
}

const schedule = pickScheduler();

/** Resolves on the next real macrotask turn. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}
