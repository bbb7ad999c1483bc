import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Only this project's own tests; never the compiled copies under dist*/.
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "dist-bench/**"],
  },
});
