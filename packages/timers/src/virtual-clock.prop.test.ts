import { fc, it } from "@fast-check/vitest";
import type { TimerHandle } from "@weft/core";
import { describe, expect } from "vitest";
import { VirtualClock } from "./index.ts";

/**
 * One step of a random timer program. `register` sets a timer `delay` after the moment it runs;
 * `cancel` cancels the timer set by action `target` (a no-op unless that one is a live timer).
 * An action runs when the timer set by action `parent` fires (or, when `parent` is not a register
 * action, before advance step `phase`): at once inside the callback when `hops` is 0, else in a
 * continuation `hops` awaits later.
 */
interface Action {
  kind: "register" | "cancel";
  delay: number;
  target: number;
  parent: number;
  hops: number;
  phase: number;
}

interface Program {
  actions: Action[];
  steps: number[];
}

const programArb: fc.Arbitrary<Program> = fc.record({
  actions: fc.array(
    fc.record({
      kind: fc.constantFrom<Action["kind"]>("register", "register", "cancel"),
      delay: fc.integer({ min: 0, max: 30 }),
      target: fc.nat(40),
      parent: fc.integer({ min: -1, max: 40 }),
      hops: fc.integer({ min: 0, max: 3 }),
      phase: fc.nat(4),
    }),
    { minLength: 1, maxLength: 30, size: "max" },
  ),
  steps: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 4, size: "max" }),
});

/** Children of each trigger: `trigger -1 - phase` for phases, the register action's index otherwise. */
function triggers(actions: Action[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  actions.forEach((action, index) => {
    const parent = action.parent % actions.length;
    const byTimer = parent >= 0 && parent !== index && actions[parent]?.kind === "register";
    const key = byTimer ? parent : -1 - action.phase;
    children.set(key, [...(children.get(key) ?? []), index]);
  });
  return children;
}

type Fired = [id: number, time: number];

/** The reference model: a sorted list instead of a heap, and an explicit microtask queue. */
function model(program: Program): { windows: Fired[][]; pendings: number[] } {
  const { actions, steps } = program;
  const children = triggers(actions);
  let now = 0;
  let seq = 0;
  const live = new Map<number, { time: number; seq: number }>();
  const microtasks: [number, number][] = [];
  const execute = (index: number): void => {
    const action = actions[index] as Action;
    if (action.kind === "register") live.set(index, { time: now + action.delay, seq: seq++ });
    else live.delete(action.target % actions.length);
  };
  const trigger = (key: number): void => {
    for (const child of children.get(key) ?? []) {
      const hops = (actions[child] as Action).hops;
      if (hops === 0) execute(child);
      else microtasks.push([hops, child]);
    }
  };
  const drain = (): void => {
    for (let task = microtasks.shift(); task !== undefined; task = microtasks.shift()) {
      if (task[0] > 1) microtasks.push([task[0] - 1, task[1]]);
      else execute(task[1]);
    }
  };
  const windows: Fired[][] = [];
  const pendings: number[] = [];
  const fireUntil = (target: number): Fired[] => {
    const fired: Fired[] = [];
    for (;;) {
      let next: [number, { time: number; seq: number }] | undefined;
      for (const entry of live) {
        if (
          next === undefined ||
          entry[1].time < next[1].time ||
          (entry[1].time === next[1].time && entry[1].seq < next[1].seq)
        )
          next = entry;
      }
      if (next === undefined || next[1].time > target) break;
      live.delete(next[0]);
      now = Math.max(now, next[1].time);
      fired.push([next[0], now]);
      trigger(next[0]);
      drain();
    }
    now = Math.max(now, target);
    return fired;
  };
  steps.forEach((step, phase) => {
    trigger(-1 - phase);
    drain();
    windows.push(fireUntil(now + step));
    pendings.push(live.size);
  });
  for (let phase = steps.length; phase <= 4; phase++) trigger(-1 - phase);
  drain();
  windows.push(fireUntil(Number.POSITIVE_INFINITY));
  pendings.push(live.size);
  return { windows, pendings };
}

/** Runs the program on a real VirtualClock. */
async function execute(program: Program): Promise<{ windows: Fired[][]; pendings: number[] }> {
  const { actions, steps } = program;
  const children = triggers(actions);
  const clock = new VirtualClock();
  const handles = new Map<number, TimerHandle>();
  let fired: Fired[] = [];
  const run = (index: number): void => {
    const action = actions[index] as Action;
    if (action.kind === "cancel") {
      handles.get(action.target % actions.length)?.cancel();
      return;
    }
    const handle = clock.setTimer(clock.now() + action.delay, () => {
      fired.push([index, clock.now()]);
      trigger(index);
    });
    handles.set(index, handle);
  };
  const trigger = (key: number): void => {
    for (const child of children.get(key) ?? []) {
      const hops = (actions[child] as Action).hops;
      if (hops === 0) run(child);
      else {
        void (async () => {
          for (let hop = 0; hop < hops; hop++) await undefined;
          run(child);
        })();
      }
    }
  };
  const windows: Fired[][] = [];
  const pendings: number[] = [];
  for (const [phase, step] of steps.entries()) {
    trigger(-1 - phase);
    await clock.advance(step);
    windows.push(fired);
    fired = [];
    pendings.push(clock.pending);
  }
  for (let phase = steps.length; phase <= 4; phase++) trigger(-1 - phase);
  await clock.runAll();
  windows.push(fired);
  pendings.push(clock.pending);
  return { windows, pendings };
}

describe("VirtualClock", () => {
  it.prop([programArb], { numRuns: 300 })(
    "fires random timers, set and cancelled from callbacks and continuations, in the reference model's order",
    async (program) => {
      const actual = await execute(program);
      expect(actual).toEqual(model(program));
      expect(actual.pendings.at(-1)).toBe(0);
    },
  );

  it.prop([
    fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200, size: "max" }),
    fc.array(fc.nat(199), { maxLength: 300, size: "max" }),
  ])(
    "fires any set of timers sorted by (time, registration order) and cancels exactly the cancelled ones",
    async (times, cancels) => {
      const clock = new VirtualClock();
      const fired: number[] = [];
      const handles = times.map((time, index) => clock.setTimer(time, () => fired.push(index)));
      const cancelled = new Set(cancels.filter((index) => index < times.length));
      for (const index of cancelled) handles[index]?.cancel();
      expect(clock.pending).toBe(times.length - cancelled.size);
      await clock.runAll();
      const expected = times
        .map((time, index) => ({ time, index }))
        .filter(({ index }) => !cancelled.has(index))
        .sort((a, b) => a.time - b.time || a.index - b.index)
        .map(({ index }) => index);
      expect(fired).toEqual(expected);
      expect(clock.pending).toBe(0);
    },
  );

  it.prop(
    [
      fc.integer({ min: 20, max: 80 }),
      fc.integer({ min: 1, max: 10 }),
      fc.array(fc.tuple(fc.nat(99), fc.nat(1000)), { minLength: 100, maxLength: 800 }),
    ],
    { numRuns: 100 },
  )(
    "keeps its order and its pending count through mass cancellation",
    async (addPercent, advancePercent, rolls) => {
      const clock = new VirtualClock();
      const model: { id: number; time: number; live: boolean }[] = [];
      const handles: TimerHandle[] = [];
      let fired: number[] = [];
      for (const [roll, value] of rolls) {
        const op =
          roll < addPercent ? "add" : roll < addPercent + advancePercent ? "advance" : "cancel";
        if (op === "add") {
          const id = handles.length;
          const time = clock.now() + value;
          handles.push(clock.setTimer(time, () => fired.push(id)));
          model.push({ id, time, live: true });
        } else if (op === "cancel") {
          const live = model.filter((timer) => timer.live);
          const victim = live[value % Math.max(1, live.length)];
          if (victim !== undefined) {
            handles[victim.id]?.cancel();
            victim.live = false;
          }
        } else {
          const target = clock.now() + (value % 100);
          const due = model
            .filter((timer) => timer.live && timer.time <= target)
            .sort((a, b) => a.time - b.time || a.id - b.id);
          for (const timer of due) timer.live = false;
          await clock.advance(value % 100);
          expect(fired).toEqual(due.map((timer) => timer.id));
          fired = [];
        }
        expect(clock.pending).toBe(model.filter((timer) => timer.live).length);
      }
    },
  );
});
