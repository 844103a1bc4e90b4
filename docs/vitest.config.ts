import { defineProject } from "vitest/config"

// Resolve workspace packages to their TypeScript sources (the "@civicgrid/source"
// export condition), so the guides' snippets run without building the packages.
const conditions = ["@civicgrid/source", "module", "node", "development|production"]

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    name: "docs",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // a guard against hangs, not a speed target (those are benchmarks): property tests and spawned
    // processes take seconds on a loaded 2-core CI machine
    testTimeout: 30_000,
    // The snippets share their imports (effect, @effect/platform, the packages): run the files in one
    // fork that loads them once, instead of once per file (a few seconds each on a 2-core machine).
    poolOptions: { forks: { singleFork: true, isolate: false } }
  }
})
