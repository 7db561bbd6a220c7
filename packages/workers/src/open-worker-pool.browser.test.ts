import { run } from "@weft/core";
import { describe, expect, it } from "vitest";
import { defineWorkerTask } from "./define-worker-task.browser.ts";
import { openWorkerPool } from "./open-worker-pool.browser.ts";

// The browser build's checks, run in Node (which has no `Worker` global); the build itself runs in
// Chromium in test/browser.mjs.
describe("openWorkerPool (browser build)", () => {
  it("checks its options before it looks for Web Workers", async () => {
    await run(async (scope) => {
      const filename = new URL("https://example.test/tasks.js");
      expect(() => openWorkerPool(scope, { filename: 3 } as never)).toThrow(
        "Expected `options.filename` to be a non-empty string or a URL, got `3` (number)",
      );
      expect(() => openWorkerPool(scope, { filename, grace: -1 })).toThrow(RangeError);
      expect(() => openWorkerPool(scope, { filename, maxThreads: 0 })).toThrow(RangeError);
      expect(() => openWorkerPool(scope, { filename })).toThrow(
        new TypeError("Expected a global `Worker` (Web Workers), got `undefined`"),
      );
    });
  });
});

describe("defineWorkerTask (browser build)", () => {
  it("returns the handler and serves nothing outside a dedicated worker", async () => {
    const handler = defineWorkerTask((n: number) => n * n);
    await expect(handler({})).rejects.toThrow(
      "A weft worker task must be run through openWorkerPool()",
    );
    expect(() => defineWorkerTask(3 as never)).toThrow(TypeError);
  });
});
