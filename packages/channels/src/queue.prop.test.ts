import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { LifoQueue, PriorityQueue, Queue } from "./index.ts";

// Random interleavings of blocking put/get (each through a signal of its own), their nowait twins
// and cancellation of a pending call, for each queue kind, against a model: every item put comes
// out exactly once, in the kind's order among the items present, a cancelled put added nothing and
// a cancelled get removed nothing.

type Op =
  | { readonly kind: "put"; readonly value: number }
  | { readonly kind: "get" }
  | { readonly kind: "putNowait"; readonly value: number }
  | { readonly kind: "getNowait" }
  | { readonly kind: "cancel"; readonly pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("get" as const) }),
  fc.record({ kind: fc.constant("putNowait" as const), value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("getNowait" as const) }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
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
    "lose nothing, duplicate nothing and keep their order under cancellation",
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
      let nextId = 0;
      for (const step of ops) {
        if (step.kind === "put" || step.kind === "putNowait") {
          const item = { value: step.value, id: nextId++ };
          if (step.kind === "putNowait") {
            try {
              queue.putNowait(item);
              put.add(item.id);
            } catch {}
          } else {
            const controller = new AbortController();
            let settled = false;
            queue.put(item, controller).then(
              () => {
                settled = true;
                put.add(item.id);
              },
              () => {
                settled = true;
              },
            );
            pending.push({ controller, done: () => settled });
          }
        } else if (step.kind === "getNowait") {
          try {
            out.push(queue.getNowait().id);
          } catch {}
        } else if (step.kind === "get") {
          const controller = new AbortController();
          let settled = false;
          queue.get(controller).then(
            (item) => {
              settled = true;
              out.push(item.id);
            },
            () => {
              settled = true;
            },
          );
          pending.push({ controller, done: () => settled });
        } else {
          const live = pending.filter((entry) => !entry.done());
          live[step.pick % Math.max(1, live.length)]?.controller.abort();
        }
        await flush();
        if (maxsize > 0) expect(queue.size).toBeLessThanOrEqual(maxsize);
      }
      for (const entry of pending) entry.controller.abort();
      await flush();
      while (!queue.empty) out.push(queue.getNowait().id);
      // Exactly the items whose put completed came out, once each.
      expect([...out].sort((a, b) => a - b)).toEqual([...put].sort((a, b) => a - b));
      expect(new Set(out).size).toBe(out.length);
    },
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
