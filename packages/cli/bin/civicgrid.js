#!/usr/bin/env node
/**
 * The `civicgrid` executable. With a build (`dist/bin.js`) it runs the build;
 * without one — a clean clone right after `npm ci` — it runs the TypeScript
 * sources through tsx, with the `@civicgrid/source` export condition so the
 * workspace packages resolve to their sources too. Nothing needs building.
 * SIGTERM, SIGHUP (and SIGINT when not from a terminal) are passed on to the
 * child; its exit status is this process's.
 */
import { spawn } from "node:child_process"
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
  const child = spawn(
    process.execPath,
    ["--conditions=@civicgrid/source", "--import", loader, source, ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  // Signals meant for this process go to the child, which shuts down gracefully (`serve` closes the
  // server and the database). A Ctrl-C in a terminal already reaches the child (same process group):
  // forwarding it too would be a second SIGINT, which ends the child at once.
  const inTerminal = process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY
  process.on("SIGINT", () => {
    if (!inTerminal) child.kill("SIGINT")
  })
  process.on("SIGTERM", () => child.kill("SIGTERM"))
  process.on("SIGHUP", () => child.kill("SIGHUP"))
  child.on("error", (error) => {
    process.stderr.write(`civicgrid: ${error.message}\n`)
    process.exit(1)
  })
  child.on("exit", (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal)
      process.kill(process.pid, signal)
    } else {
      process.exit(code ?? 1)
    }
  })
}
