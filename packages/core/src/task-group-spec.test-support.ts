import { fc } from "@fast-check/vitest";

// Random trees of task groups, run on a VirtualClock and checked against a reference model.
//
// A group's body spawns its children, then returns (at once or after a sleep), throws after a
// sleep, or waits until cancelled. A child returns, throws a unique value or calls `group.cancel()`
// (synchronously, or after a sleep); or waits until cancelled; or sleeps and, when cancelled, cleans
// up in a shielded scope for a while and then throws a unique value, rethrows the cancellation or
// swallows it; or sleeps and then runs a nested group. Every sleep is a weft wait on the task's
// scope, so it is cancelled with the group. Whatever is still waiting when the clock runs dry is
// cancelled through `run`'s signal.
//
// The model is a discrete-event simulation of the contract: timers fire by due time, ties in
// registration order, one at a time, everything they cause settling before the next one; children
// start in spawn order after the body's synchronous part; the first failure cancels the group;
// cancellations are never errors of their own group; a group absorbs only its own cancellation.
// Tasks woken by one cancellation resume in the order of the scope tree (depth first, in spawn
// order), so cleanups that start together register their timers in that order.

export const NUM_RUNS = 200;

// ---------------------------------------------------------------------------------------------
// Specs

export type Delay = number | null; // null: synchronously, without awaiting anything
export type LeafSpec =
  | { kind: "return"; delay: Delay }
  | { kind: "throw"; delay: Delay }
  | { kind: "cancel"; delay: Delay }
  | { kind: "wait" }
  | {
      kind: "cleanup";
      delay: number | "forever";
      cleanup: number;
      after: "throw" | "rethrow" | "return";
    };
export type ChildSpec = LeafSpec | { kind: "group"; delay: number; group: GroupSpec };
export type BodySpec =
  | { kind: "return"; delay: Delay }
  | { kind: "throw"; delay: number }
  | { kind: "wait" };
export interface GroupSpec {
  body: BodySpec;
  children: ChildSpec[];
}

export type ChildNode =
  | (LeafSpec & { id: number })
  | { kind: "group"; id: number; delay: number; group: GroupNode };
export interface GroupNode {
  id: number;
  body: BodySpec;
  children: ChildNode[];
}

/** Numbers groups and children in one id space, pre-order (the spec itself is never mutated). */
export function number(spec: GroupSpec): GroupNode {
  let next = 0;
  const group = (g: GroupSpec): GroupNode => {
    const id = next++;
    const children = g.children.map((c): ChildNode => {
      if (c.kind === "group") {
        const childId = next++;
        return { kind: "group", id: childId, delay: c.delay, group: group(c.group) };
      }
      return { ...c, id: next++ };
    });
    return { id, body: g.body, children };
  };
  return group(spec);
}

export const delayArb = fc.integer({ min: 0, max: 6 });
export const maybeDelayArb: fc.Arbitrary<Delay> = fc.option(delayArb, { nil: null, freq: 4 });
export const leafArb: fc.Arbitrary<LeafSpec> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("return" as const), delay: maybeDelayArb }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("throw" as const), delay: maybeDelayArb }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("cancel" as const), delay: maybeDelayArb }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("wait" as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("cleanup" as const),
      delay: fc.oneof(delayArb, fc.constant("forever" as const)),
      cleanup: delayArb,
      after: fc.constantFrom("throw" as const, "rethrow" as const, "return" as const),
    }),
    weight: 2,
  },
);
export const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("return" as const), delay: maybeDelayArb }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("throw" as const), delay: delayArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("wait" as const) }), weight: 1 },
);
export const { group: groupArb } = fc.letrec<{ group: GroupSpec; child: ChildSpec }>((tie) => ({
  group: fc.record({ body: bodyArb, children: fc.array(tie("child"), { maxLength: 6 }) }),
  child: fc.oneof(
    { maxDepth: 4, depthIdentifier: "task-group-tree" },
    { arbitrary: leafArb, weight: 3 },
    {
      arbitrary: fc.record({
        kind: fc.constant("group" as const),
        delay: delayArb,
        group: tie("group"),
      }),
      weight: 2,
    },
  ),
}));

// ---------------------------------------------------------------------------------------------
// Normal form shared by the model and the observation. Values are compared through tokens that
// are handed out by identity, so equal tokens mean the very same thrown value or error object.

export type Token = string;
export type NormalError =
  | Token
  | { taskGroupError: Token; count: number; errors: NormalError[] }
  | { cancelled: string; reason: Token; duplicate?: true };
export type NormalOutcome = { ok: Token } | { error: NormalError };

export interface Timeline {
  /** Per opened group: when it settled and how. */
  groups: Record<string, { time: number; outcome: NormalOutcome }>;
  /** Per started child: when it finished and how. */
  tasks: Record<string, { time: number; outcome: NormalOutcome }>;
  run: NormalOutcome;
}

/** What a child with id `id` of kind "throw" (or a body) throws: every JavaScript kind of value. */
export function throwFlavour(id: number): "error" | "object" | "string" | "number" | "undefined" {
  const flavours = ["error", "object", "string", "number", "error", "undefined"] as const;
  return flavours[id % flavours.length] ?? "error";
}

export function thrownToken(id: number): Token {
  return throwFlavour(id) === "undefined" ? "undefined" : `throw:${id}`;
}
