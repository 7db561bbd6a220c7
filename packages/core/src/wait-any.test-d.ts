import { describe, expectTypeOf, it } from "vitest";
import type { Task, TaskGroup } from "./index.ts";

describe("TaskGroup.waitAny", () => {
  it("resolves with one of the given tasks, typed as their union", () => {
    const group = {} as TaskGroup;
    const a = {} as Task<number>;
    const b = {} as Task<string>;
    expectTypeOf(group.waitAny([a, b])).toEqualTypeOf<Promise<Task<number> | Task<string>>>();
    // @ts-expect-error only tasks can be waited for
    void group.waitAny([Promise.resolve(1)]);
  });
});
