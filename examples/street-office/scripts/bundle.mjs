#!/usr/bin/env node
/**
 * `npm start`'s build step: the street-office server as ONE ES module (esbuild, from the workspace's
 * TypeScript sources, every dependency inlined but the native SQLite driver and the PostgreSQL
 * driver) in `dist/street-office.mjs`, with the web dashboard's built app beside it in `dist/app`.
 * Plain `node` starts that file in about half a second, where loading the ~700 source modules
 * through tsx takes several seconds (`npm run bench:start -w @civicgrid/demo` measures both).
 *
 * Builds only when the bundle is missing or older than a source it is made of (the packages'
 * `src`, this example's `src`, the web app's build); prints a line when it builds.
 */
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { ensureApp } from "../../../packages/web/scripts/ensure-app.mjs"

const example = fileURLToPath(new URL("..", import.meta.url))
const root = resolve(example, "..", "..")
const out = join(example, "dist")
const bundle = join(out, "street-office.mjs")
const webApp = join(root, "packages", "web", "dist", "app")

const newest = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs)
}

await ensureApp()

const sources = [
  join(example, "src"),
  join(example, "package.json"),
  webApp,
  ...readdirSync(join(root, "packages")).map((name) => join(root, "packages", name, "src"))
].filter(existsSync)

if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...sources.map(newest))) {
  console.log("打包 bundling the street-office server (esbuild) …")
  const esbuild = await import("esbuild")
  await esbuild.build({
    entryPoints: [join(example, "src", "main.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    conditions: ["@civicgrid/source"],
    // native or optional drivers stay in node_modules
    external: ["better-sqlite3", "pg", "pg-native", "bufferutil", "utf-8-validate", "@effect/sql-pg"],
    sourcemap: "linked",
    logLevel: "warning",
    // bundled CommonJS dependencies call require
    banner: {
      js: 'import { createRequire as __cgRequire } from "node:module"; const require = __cgRequire(import.meta.url);'
    }
  })
  // the dashboard's assets beside the bundle, where `@civicgrid/web` looks for them (`<module dir>/app`)
  rmSync(join(out, "app"), { recursive: true, force: true })
  cpSync(webApp, join(out, "app"), { recursive: true })
}
