import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmptyError,
  QueueFullError,
  QueueShutDownError,
} from "./index.ts";

// Random interleavings of blocking put/get (each through a signal of its own), their nowait twins,
// cancellation of a pending call and shutdown (plain or immediate), for each queue kind: every item
// put comes out exactly once or is discarded by shutdown(true), a cancelled put added nothing, a
// cancelled get removed nothing, and after shutdown every put fails with QueueShutDownError.

type Op =
  | { readonly kind: "put"; readonly value: number }
  | { readonly kind: "get" }
  | { readonly kind: "putNowait"; readonly value: number }
  | { readonly kind: "getNowait" }
  | { readonly kind: "cancel"; readonly pick: number }
  | { readonly kind: "shutdown"; readonly immediate: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("get" as const) }),
  fc.record({ kind: fc.constant("putNowait" as const), value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("getNowait" as const) }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("shutdown" as const), immediate: fc.boolean() }),
);

type Kind = "fifo" | "lifo" | "priority";

/** Which of `items` the queue kind hands out next. */
function nextIndex(kind: Kind, items: readonly { value: number }[]): number {
  if (kind === "fifo") return 0;
  if (kind === "lifo") return items.length - 1;
  let best = 0;
  items.forEach((item, index) => {
    if (item.value < (items[best] as { value: number }).value) best = index;
  });
  return best;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("Queue, PriorityQueue and LifoQueue", () => {
  it.prop(
    [
      fc.constantFrom<Kind>("fifo", "lifo", "priority"),
      fc.integer({ min: 0, max: 3 }),
      fc.array(op, { maxLength: 40 }),
    ],
    {
      numRuns: 300,
    },
  )(
    "lose nothing and duplicate nothing under cancellation and shutdown (plain or immediate)",
    async (kind, maxsize, ops) => {
      const queue =
        kind === "fifo"
          ? new Queue<{ value: number; id: number }>(maxsize)
          : kind === "lifo"
            ? new LifoQueue<{ value: number; id: number }>(maxsize)
            : new PriorityQueue<{ value: number; id: number }>(
                maxsize,
                (a, b) => a.value - b.value,
              );
      const pending: { controller: AbortController; done: () => boolean }[] = [];
      const put = new Set<number>();
      const out: number[] = [];
      const discarded: number[] = [];
      const errors: string[] = [];
      let shutDown = false;
      /** The name of an error thrown by a nowait call, or of the error that ended a wait. */
      const record = (error: unknown): void => {
        if (QueueShutDownError.is(error)) errors.push("shut down");
        else if (QueueFullError.is(error) || QueueEmptyError.is(error)) errors.push("nowait");
        else if (!(error instanceof DOMException && error.name === "AbortError")) throw error;
      };
      let nextId = 0;
      for (const step of ops) {
        const errorsBefore = errors.length;
        if (step.kind === "shutdown") {
          const wasShutDown = shutDown;
          shutDown = true;
          if (step.immediate)
            discarded.push(
              ...[...put].filter((id) => !out.includes(id) && !discarded.includes(id)),
            );
          queue.shutdown(step.immediate);
          await flush();
          if (step.immediate) expect(queue.size).toBe(0);
          // Every blocked put was refused; nothing waits to put any more.
          expect(errors.slice(errorsBefore).every((name) => name === "shut down")).toBe(true);
          if (!wasShutDown)
            expect(() => queue.putNowait({ value: 0, id: -1 })).toThrow(QueueShutDownError);
          continue;
        }
        if (step.kind === "put" || step.kind === "putNowait") {
          const item = { value: step.value, id: nextId++ };
          if (step.kind === "putNowait") {
            try {
              queue.putNowait(item);
              put.add(item.id);
            } catch (error) {
              record(error);
              expect(errors.at(-1)).toBe(shutDown ? "shut down" : "nowait");
            }
          } else {
            const controller = new AbortController();
            let settled = false;
            queue.put(item, controller).then(
              () => {
                settled = true;
                put.add(item.id);
              },
              (error: unknown) => {
                settled = true;
                record(error);
              },
            );
            pending.push({ controller, done: () => settled });
          }
        } else if (step.kind === "getNowait") {
          try {
            out.push(queue.getNowait().id);
          } catch (error) {
            record(error);
            expect(errors.at(-1)).toBe(shutDown && queue.empty ? "shut down" : "nowait");
          }
        } else if (step.kind === "get") {
          const controller = new AbortController();
          let settled = false;
          queue.get(controller).then(
            (item) => {
              settled = true;
              out.push(item.id);
            },
            (error: unknown) => {
              settled = true;
              record(error);
            },
          );
          pending.push({ controller, done: () => settled });
        } else {
          const live = pending.filter((entry) => !entry.done());
          live[step.pick % Math.max(1, live.length)]?.controller.abort();
        }
        await flush();
        if (maxsize > 0) expect(queue.size).toBeLessThanOrEqual(maxsize);
        // Once shut down, a put is refused at once.
        if (shutDown && step.kind === "put") expect(errors.at(-1)).toBe("shut down");
      }
      for (const entry of pending) entry.controller.abort();
      await flush();
      while (!queue.empty) out.push(queue.getNowait().id);
      // Exactly the items whose put completed came out or were discarded, once each.
      const gone = [...out, ...discarded];
      expect(gone.sort((a, b) => a - b)).toEqual([...put].sort((a, b) => a - b));
      expect(new Set(gone).size).toBe(gone.length);
    },
    30_000,
  );

  it.prop([
    fc.constantFrom<Kind>("fifo", "lifo", "priority"),
    fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 }),
  ])("hand items out in their kind's order", (kind, values) => {
    const queue =
      kind === "fifo"
        ? new Queue<{ value: number; id: number }>()
        : kind === "lifo"
          ? new LifoQueue<{ value: number; id: number }>()
          : new PriorityQueue<{ value: number; id: number }>(0, (a, b) => a.value - b.value);
    const model = values.map((value, id) => ({ value, id }));
    for (const item of model) queue.putNowait(item);
    const expected: number[] = [];
    while (model.length > 0)
      expected.push(model.splice(nextIndex(kind, model), 1)[0]?.id as number);
    const actual = values.map(() => queue.getNowait().id);
    expect(actual).toEqual(expected);
  });
});
