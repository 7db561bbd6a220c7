import { afterEach, describe, expect, it, vi } from "vitest";
import { macrotask } from "./macrotask.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Runs `turns` macrotasks concurrently with a 30-deep microtask chain; returns the order seen. */
async function race(next: () => Promise<void>, turns: number): Promise<string[]> {
  const log: string[] = [];
  const done = Promise.all(
    Array.from({ length: turns }, (_, index) => next().then(() => log.push(`turn ${index}`))),
  );
  let chain = Promise.resolve();
  for (let i = 0; i < 30; i++) chain = chain.then(() => void log.push("micro"));
  await done;
  return log;
}

const expected = (turns: number): string[] => [
  ...Array.from({ length: 30 }, () => "micro"),
  ...Array.from({ length: turns }, (_, index) => `turn ${index}`),
];

describe("macrotask", () => {
  it("resolves after every pending microtask has run, in call order", async () => {
    expect(await race(macrotask, 3)).toEqual(expected(3));
  });

  it("falls back to a MessageChannel, in call order, where setImmediate is missing", async () => {
    const ports: MessagePort[] = [];
    vi.stubGlobal("setImmediate", undefined);
    vi.stubGlobal(
      "MessageChannel",
      class extends MessageChannel {
        constructor() {
          super();
          ports.push(this.port1);
        }
      },
    );
    vi.resetModules();
    const fallback = (await import("./macrotask.ts")).macrotask;
    vi.unstubAllGlobals();
    expect(await race(fallback, 3)).toEqual(expected(3));
    expect(await race(fallback, 1)).toEqual(expected(1));
    expect(ports.length).toBe(1);
    // Idle: the port stops listening, so that it does not keep the process alive.
    expect(ports[0]?.onmessage).toBe(null);
    for (const port of ports) port.close();
  });
});
