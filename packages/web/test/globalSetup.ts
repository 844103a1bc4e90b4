/**
 * Builds the web front end (vite) before the tests when `dist/app` is missing or older than its sources:
 * CI runs the tests before `npm run build`, and the browser test needs the built app.
 */
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "vite"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

const newest = (path: string): number => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs)
}

export default async function setup(): Promise<void> {
  const index = join(packageDir, "dist", "app", "index.html")
  const sources = [join(packageDir, "app"), join(packageDir, "..", "http", "src", "Api.ts")]
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newest))) return
  await build({ configFile: join(packageDir, "app", "vite.config.ts"), logLevel: "warn" })
}
