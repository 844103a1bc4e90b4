import { defineProject } from "vitest/config"

// Resolve workspace packages to their TypeScript sources (the "@civicgrid/source" export condition).
const conditions = ["@civicgrid/source", "module", "node", "development|production"]

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    name: "web",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // builds the app (vite) when dist/app is missing or older than its sources: CI tests before it builds
    globalSetup: ["test/globalSetup.ts"],
    // a guard against hangs: the browser test starts a server on a seeded database and a Chromium
    testTimeout: 90_000,
    hookTimeout: 120_000
  }
})
