import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/interop/**/*.test.ts", "tests/faults/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Cheaper scrypt in tests (the cost is stored with each hash; password.test.ts checks
    // the production parameters explicitly).
    env: { SCRYPT_COST: "1024", NODE_ENV: "test" },
    // Each file starts its own database; PGlite instances are memory-hungry, so cap workers.
    maxWorkers: 2,
  },
});
