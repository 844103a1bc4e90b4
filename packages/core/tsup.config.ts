import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  tsconfig: "tsconfig.src.json",
  // One copy of effect per app: two copies break service identity.
  external: [/^effect(\/.*)?$/, /^@effect\//]
})
