/**
 * One real macrotask turn, by which time every pending microtask has run.
 *
 * The platform's scheduling functions are captured when this module loads, so that a harness that
 * later replaces the globals (`setImmediate`, `setTimeout`) with virtual ones does not capture the
 * virtual clock's own turns.
 */
type Schedule = (callback: () => void) => void;

interface Port {
  onmessage: (() => void) | null;
  postMessage(message: undefined): void;
}

function pickScheduler(): Schedule {
  const global = globalThis as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: new () => { port1: Port; port2: Port };
    setTimeout: (callback: () => void, ms: number) => unknown;
  };
  const setImmediate = global.setImmediate;
  if (typeof setImmediate === "function") return (callback) => void setImmediate(callback);
  const Channel = global.MessageChannel;
  if (typeof Channel === "function") {
    // Deno, browsers: a message is a macrotask without setTimeout's 4 ms clamping. The port listens
    // only while turns are queued, because a listening port keeps some runtimes from exiting.
    const { port1, port2 } = new Channel();
    const queue: (() => void)[] = [];
    let head = 0;
    const receive = (): void => {
      const callback = queue[head] as () => void;
      queue[head++] = noop;
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
        port1.onmessage = null;
      }
      callback();
    };
    return (callback) => {
      if (queue.length === 0) port1.onmessage = receive;
      queue.push(callback);
      port2.postMessage(undefined);
    };
  }
  const setTimeout = global.setTimeout;
  return (callback) => void setTimeout(callback, 0);
}

function noop(): void {}

const schedule: Schedule = pickScheduler();

/** Runs `callback` on a later real macrotask turn, after every pending microtask. */
export function onNextTurn(callback: () => void): void {
  schedule(callback);
}

/** Resolves on the next real macrotask turn. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}
