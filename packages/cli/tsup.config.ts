import { defineConfig } from "tsup"

export default defineConfig({
  // Every top-level module, including the executable's entry `src/bin.ts` (→ dist/bin.js,
  // which bin/civicgrid.js runs when it exists).
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  // composite (from tsconfig.base.json) plus the project references make the d.ts build fail with TS6307;
  // declarations are bundled per entry, so the composite bookkeeping is not needed here.
  dts: { compilerOptions: { composite: false } },
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  tsconfig: "tsconfig.src.json",
  // One copy of effect and of the civicgrid packages per app; typescript is a dependency, never bundled.
  external: [/^effect(\/.*)?$/, /^@effect\//, /^@civicgrid\//, "typescript"]
})
