import { taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeTime } from "./index.ts";

/**
 * A deliberately racy piece of code: the consumer assumes the loader, spawned first, has run first.
 * Spawn order makes that true by accident; any other legal order breaks it.
 */
async function racyStartup(seed: number | undefined): Promise<string> {
  return fakeTime(
    ({ scope }) =>
      taskGroup(scope, async (group) => {
        let config: string | undefined;
        const log: string[] = [];
        group.spawn(async () => {
          config = "loaded";
        });
        group.spawn(async () => {
          if (config === undefined) throw new Error("config used before it was loaded");
          log.push(config);
        });
        group.spawn(async () => {
          log.push("metrics");
        });
        return log;
      }).then(() => "ok"),
    seed === undefined ? {} : { seed },
  );
}

describe("fakeTime({ seed })", () => {
  it("passes the racy code in the default order (registration order)", async () => {
    expect(await racyStartup(undefined)).toBe("ok");
  });

  it("lets a fast-check property over seeds find the race, shrink it and replay it", async () => {
    const result = await fc.check(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async (seed) => {
        await racyStartup(seed);
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(result.failed).toBe(true);
    const [seed] = result.counterexample ?? [];
    expect(typeof seed).toBe("number");
    // The reported seed replays the same failure, every time.
    for (let i = 0; i < 3; i++) {
      const error = await racyStartup(seed).catch((caught: unknown) => caught);
      expect((error as AggregateError).errors).toEqual([
        new Error("config used before it was loaded"),
      ]);
    }
  });

  it("fires timers due at the same instant in a seeded order, the same for the same seed", async () => {
    const firingOrder = (seed: number | undefined): Promise<string> =>
      fakeTime(
        async ({ scope }) => {
          const order: string[] = [];
          await taskGroup(scope, async (group) => {
            for (const name of ["a", "b", "c", "d"]) {
              // The seed reorders the starts and the timers due at the same instant.
              group.spawn(async (s) => {
                await sleep(100, s);
                order.push(name);
              });
            }
          });
          return order.join("");
        },
        seed === undefined ? {} : { seed },
      );
    expect(await firingOrder(undefined)).toBe("abcd");
    expect(await firingOrder(3)).toBe(await firingOrder(3));
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) orders.add(await firingOrder(seed));
    expect(orders.size).toBeGreaterThan(1);
  });

  it("replays the same order for the same seed", async () => {
    const orderFor = (seed: number): Promise<string[]> =>
      fakeTime(
        ({ scope }) =>
          taskGroup(scope, async (group) => {
            const order: string[] = [];
            for (const name of ["a", "b", "c", "d", "e"])
              group.spawn(async () => void order.push(name));
            return order;
          }).then((order) => order ?? []),
        { seed },
      );
    const first = await orderFor(7);
    expect(await orderFor(7)).toEqual(first);
    expect([...first].sort()).toEqual(["a", "b", "c", "d", "e"]);
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) orders.add((await orderFor(seed)).join(""));
    expect(orders.size).toBeGreaterThan(1);
  });
});
