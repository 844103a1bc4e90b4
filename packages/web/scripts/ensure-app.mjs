#!/usr/bin/env node
/**
 * Builds the web front end (vite) when `dist/app` is missing or older than its sources — before the
 * tests (CI runs them before `npm run build`) and before `npm start` (the street-office server serves
 * the dashboard at `/`). Prints a line when it builds; does nothing when the build is current.
 */
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

const newest = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs)
}

/** Builds the app when it is missing or stale; true when it built. */
export async function ensureApp() {
  const index = join(packageDir, "dist", "app", "index.html")
  const sources = [join(packageDir, "app"), join(packageDir, "..", "http", "src", "Api.ts")].filter(
    existsSync
  )
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newest))) return false
  const { build } = await import("vite")
  console.log("构建看板 building the web dashboard (vite) …")
  // a production build even under vitest (which sets NODE_ENV=test: Vite would keep development-only code)
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = "production"
  try {
    await build({
      configFile: join(packageDir, "app", "vite.config.ts"),
      logLevel: "warn",
      mode: "production"
    })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
  return true
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ensureApp()
}
