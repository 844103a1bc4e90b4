#!/usr/bin/env node
/**
 * The `civicgrid` executable. With a build (`dist/bin.js`) it runs the build;
 * without one — a clean clone right after `npm ci` — it runs the TypeScript
 * sources through tsx, with the `@civicgrid/source` export condition so the
 * workspace packages resolve to their sources too. Nothing needs building.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const built = new URL("../dist/bin.js", import.meta.url)

if (existsSync(fileURLToPath(built))) {
  await import(built.href)
} else {
  const source = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
  let loader
  try {
    // Resolved from this package, so it works from any working directory.
    loader = import.meta.resolve("tsx")
  } catch {
    process.stderr.write(
      "civicgrid: no build (dist/bin.js) and tsx is not installed; run `npm install` at the repository root or `npm run build --workspace=@civicgrid/cli`\n"
    )
    process.exit(1)
  }
  const result = spawnSync(
    process.execPath,
    ["--conditions=@civicgrid/source", "--import", loader, source, ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  if (result.error !== undefined) {
    process.stderr.write(`civicgrid: ${result.error.message}\n`)
    process.exit(1)
  }
  if (result.signal !== null) process.kill(process.pid, result.signal)
  process.exit(result.status ?? 1)
}
