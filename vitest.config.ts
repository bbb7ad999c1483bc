import { defineConfig } from "vitest/config";

/**
 * Test files that measure time against a real clock: they run the conformance suite (windows of
 * a few hundred ms), drive servers with short real timers (pingInterval 300, upgradeTimeout
 * 1000), or assert how long something took. Beside other files they share the CPU with, their
 * timers fire late and a correct server looks late: so they run after all the others, one file
 * at a time. A new file of that kind belongs here (test/conformance-core/timing.test.ts checks).
 */
export const TIMING = [
  "test/cases/*.test.ts",
  "test/interop/drop.test.ts",
  "test/mutants.test.ts",
  "test/reference-suite.test.ts",
  "test/real-servers.test.ts",
  "test/official-servers.test.ts",
  "test/reference-engine/faults-timing.test.ts",
  "test/reference-engine/faults-transport.test.ts",
  "test/reference-engine/interop-client.test.ts",
  "test/reference-engine/polling.test.ts",
  "test/reference-engine/websocket.test.ts",
  "test/reference-socketio/interop.test.ts",
  "test/reference-socketio/wire.test.ts",
  "test/conformance-core/clients.test.ts",
  "test/conformance-core/echo-doc.test.ts",
  "test/conformance-core/helpers.test.ts",
  "test/conformance-core/inbox.test.ts",
  "test/conformance-core/mutants.test.ts",
  "test/conformance-core/official.test.ts",
  "test/conformance-core/runner.test.ts",
  "test/conformance-core/timing.test.ts",
  // The version 3 chapters against real servers, and version detection.
  "test/v3/detection.test.ts",
  "test/v3/chapters.test.ts",
];

// Never the compiled copies under dist*/.
const EXCLUDE = ["**/node_modules/**", "dist/**", "dist-*/**"];

export default defineConfig({
  test: {
    // `vitest run` runs the groups in order: every other file in parallel first, then the
    // timing files alone (`--project unit` or `--project timing` runs one of them). Each
    // project names its own files: a root `include` would be added to the timing project's.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...EXCLUDE, ...TIMING],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "timing",
          include: TIMING,
          exclude: EXCLUDE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
