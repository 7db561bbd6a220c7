import type { Clock } from "@weft/core";

/** Prints lines stamped with the time elapsed since the example started, and keeps them. */
export interface Log {
  (message: string): void;
  readonly lines: readonly string[];
}

/** Creates a log that stamps each line with the clock's elapsed seconds: `[1.00s] hello`. */
export function createLog(clock: Clock, print: (line: string) => void = console.log): Log {
  const start = clock.now();
  const lines: string[] = [];
  const log = (message: string): void => {
    const line = `[${((clock.now() - start) / 1000).toFixed(2)}s] ${message}`;
    lines.push(line);
    print(line);
  };
  return Object.assign(log, { lines });
}
