import { defineProject } from "vitest/config"

// Resolve workspace packages to their TypeScript sources (the "@civicgrid/source" export condition).
const conditions = ["@civicgrid/source", "module", "node", "development|production"]

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    name: "nats",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // a guard against hangs, not a speed target (those are benchmarks): property tests and spawned
    // processes take seconds on a loaded 2-core CI machine
    testTimeout: 30_000
  }
})
