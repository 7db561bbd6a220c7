import { describe, expect, it } from "vitest";
import {
  asCompleted,
  cancelScope,
  checkpoint,
  failAfter,
  failAt,
  gather,
  Limiter,
  map,
  moveOnAfter,
  moveOnAt,
  race,
  run,
  type Scope,
  taskGroup,
} from "./index.ts";

const exited = (label: string): Error =>
  new Error(`${label}: scope "root" has already exited; work that outlives its scope would leak`);

async function exitedRoot(): Promise<Scope> {
  let root: Scope | undefined;
  await run(
    async (scope) => {
      root = scope;
    },
    { name: "root" },
  );
  if (root === undefined) throw new Error("run did not call main");
  return root;
}

describe("operations on an exited scope", () => {
  let ran = 0;
  const body = async (): Promise<number> => ++ran;
  const cases: [string, string, (root: Scope) => Promise<unknown>][] = [
    ["taskGroup", "taskGroup", (root) => taskGroup(root, body)],
    ["gather", "taskGroup", (root) => gather(root, [body])],
    ["map", "taskGroup", (root) => map(root, [1], body)],
    ["race", "taskGroup", (root) => race(root, [body])],
    ["asCompleted", "taskGroup", (root) => asCompleted(root, [body]).next()],
    ["cancelScope", "cancelScope", (root) => cancelScope(root, body)],
    ["moveOnAfter", "moveOnAfter", (root) => moveOnAfter(root, 10, body)],
    ["moveOnAt", "moveOnAt", (root) => moveOnAt(root, 10, body)],
    ["failAfter", "failAfter", (root) => failAfter(root, 10, body)],
    ["failAt", "failAt", (root) => failAt(root, 10, body)],
    ["checkpoint", "checkpoint", (root) => checkpoint(root)],
    ["Limiter.run", "Limiter.run", (root) => new Limiter({ concurrency: 1 }).run(root, body)],
  ];
  for (const [name, label, call] of cases) {
    it(`${name} rejects without running anything`, async () => {
      const root = await exitedRoot();
      ran = 0;
      await expect(call(root)).rejects.toThrow(exited(label));
      expect(ran).toBe(0);
    });
  }
});
