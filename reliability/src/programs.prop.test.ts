import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Program, runReference, runWithWeft, type Statement } from "./programs.ts";

// Shapes first (every delay 0), then every delay and timeout becomes a distinct power of two in a
// random order, so that no two events of a program share an instant.
const label = fc.constantFrom("a", "b", "c", "d");
const delays = (max: number) => fc.array(fc.constant(0), { maxLength: max });

const { program: shape } = fc.letrec<{ program: Program; statement: Statement }>((tie) => ({
  program: fc.array(tie("statement"), { minLength: 1, maxLength: 3 }),
  statement: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("log"), delay: fc.constant(0), label }),
    fc.record({ kind: fc.constant("throw"), delay: fc.constant(0), label }),
    fc.record({
      kind: fc.constant("pipe"),
      delay: fc.constant(0),
      label,
      capacity: fc.integer({ min: 0, max: 2 }),
      sends: delays(3),
      receives: delays(3),
    }),
    fc.record({
      kind: fc.constant("lock"),
      delay: fc.constant(0),
      label,
      holders: fc.array(fc.record({ delay: fc.constant(0), hold: fc.constant(0) }), {
        maxLength: 3,
      }),
    }),
    fc.record({
      kind: fc.constant("group"),
      delay: fc.constant(0),
      children: fc.array(tie("program"), { maxLength: 2 }),
      body: tie("program"),
    }),
    fc.record({
      kind: fc.constantFrom("moveOn", "fail"),
      delay: fc.constant(0),
      timeout: fc.constant(0),
      body: tie("program"),
    }),
  ),
}));

/** Rewrites every delay and timeout of `program` with the next of `powers`. */
function timed(program: Program, powers: number[]): Program {
  const next = (): number => {
    const power = powers.shift();
    if (power === undefined) throw new Error("ran out of powers");
    return power;
  };
  return program.map((statement): Statement => {
    const delay = next();
    switch (statement.kind) {
      case "log":
      case "throw":
        return { ...statement, delay };
      case "lock":
        return {
          ...statement,
          delay,
          holders: statement.holders.map(() => ({ delay: next(), hold: next() })),
        };
      case "pipe":
        return {
          ...statement,
          delay,
          sends: statement.sends.map(next),
          receives: statement.receives.map(next),
        };
      case "group":
        return {
          ...statement,
          delay,
          children: statement.children.map((child) => timed(child, powers)),
          body: timed(statement.body, powers),
        };
      default:
        // moveOn and fail
        return { ...statement, delay, timeout: next(), body: timed(statement.body, powers) };
    }
  });
}

/** How many delays and timeouts `program` has. */
function slots(program: Program): number {
  let count = 0;
  for (const statement of program) {
    count++;
    if (statement.kind === "lock") count += 2 * statement.holders.length;
    if (statement.kind === "pipe") count += statement.sends.length + statement.receives.length;
    if (statement.kind === "group") {
      count +=
        statement.children.reduce((sum, child) => sum + slots(child), 0) + slots(statement.body);
    }
    if (statement.kind === "moveOn" || statement.kind === "fail")
      count += 1 + slots(statement.body);
  }
  return count;
}

// Sums of up to 44 distinct powers of two below 2^44 stay exact in a double.
const maxSlots = 44;

const programs = shape
  .filter((program) => slots(program) <= maxSlots)
  .chain((program) =>
    fc
      .shuffledSubarray(
        Array.from({ length: maxSlots }, (_, i) => 2 ** i),
        { minLength: slots(program), maxLength: slots(program) },
      )
      .map((powers) => timed(program, powers)),
  );

describe("random programs", () => {
  it("behave under the harness exactly as the reference interpreter says", async () => {
    await fc.assert(
      fc.asyncProperty(programs, fc.integer(), async (program, seed) => {
        const expected = runReference(program);
        const actual = await runWithWeft(program, seed);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it("cover deadlocks, failures, timeouts and clean ends", () => {
    // The generator is only worth its runs if it reaches every kind of end.
    const ends = new Set(
      fc.sample(programs, { numRuns: 300, seed: 7 }).map((program) => {
        const end = runReference(program).end;
        return typeof end === "string" ? end : Object.keys(end as object)[0];
      }),
    );
    expect([...ends].sort()).toEqual(["deadlock", "error", "group", "ok", "timeout"]);
  });
});
