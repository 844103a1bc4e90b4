import { defineConfig } from "tsup"

export default defineConfig({
  // Every top-level module, including the executable's entry `src/bin.ts` (→ dist/bin.js,
  // which bin/civicgrid.js runs when it exists).
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  // JavaScript only: the declarations are tsc's own, one per module (../../scripts/declarations.mjs runs
  // after tsup); bundled declarations drop the barrel's values that share a name with a type.
  dts: false,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  tsconfig: "tsconfig.src.json",
  // One copy of effect and of the civicgrid packages per app; typescript (an optional peer, for `civicgrid docs`) is never bundled.
  external: [/^effect(\/.*)?$/, /^@effect\//, /^@civicgrid\//, "typescript"]
})
