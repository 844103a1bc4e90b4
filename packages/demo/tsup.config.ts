import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  // composite (from tsconfig.base.json) plus the references to the other packages makes the d.ts build fail with TS6307;
  // declarations are bundled per entry, so the composite bookkeeping is not needed here.
  dts: { compilerOptions: { composite: false } },
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  tsconfig: "tsconfig.src.json",
  // One copy of effect and of the core per app: two copies break service identity.
  external: [/^effect(\/.*)?$/, /^@effect\//, /^@civicgrid\//]
})
