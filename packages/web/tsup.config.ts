import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  // JavaScript only: the declarations are tsc's own, one per module (../../scripts/declarations.mjs runs
  // after tsup); bundled declarations drop the barrel's values that share a name with a type.
  dts: false,
  clean: true,
  // import.meta.url in the CommonJS build (Web.assetsDir)
  shims: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  tsconfig: "tsconfig.src.json",
  // One copy of effect and of the core per app: two copies break service identity.
  external: [/^effect(\/.*)?$/, /^@effect\//, /^@civicgrid\//]
})
