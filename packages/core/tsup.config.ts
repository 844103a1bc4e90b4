import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  // tsconfig.src.json is a composite project; the d.ts build lists only the entries
  dts: { compilerOptions: { composite: false, incremental: false, declarationMap: false } },
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  tsconfig: "tsconfig.src.json",
  // One copy of effect per app: two copies break service identity.
  external: [/^effect(\/.*)?$/, /^@effect\//],
  // flatbush ships as ESM only; bundle it (and its one dependency) so the CJS build works.
  noExternal: ["flatbush", "flatqueue"]
})
