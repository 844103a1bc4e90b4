/**
 * `npm run bench` in @civicgrid/http: runs every `*.bench.ts` beside this file
 * (or only those whose name contains an argument: `npm run bench -- load`).
 * Each bench file's default export is an async function that prints its
 * figures; a file may export `summary` lines, printed at the end. Not part of
 * `npm test`.
 */
import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

// The workspace packages resolve to their sources (`src/*.ts`) under the
// `@civicgrid/source` condition, as in the tests; without it they would resolve
// to `dist/` (absent in a fresh clone, stale while sources change). Re-run this
// script with the condition when it was started without.
const SOURCE = "--conditions=@civicgrid/source"
if (!process.execArgv.includes(SOURCE)) {
  const again = spawnSync(process.execPath, [SOURCE, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit"
  })
  process.exit(again.status ?? 1)
}

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2).map((a) => a.toLowerCase())
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.toLowerCase().includes(x)))
  .sort()

console.log(`@civicgrid/http benchmarks — node ${process.version}, ${files.length} file(s)`)
const lines: Array<string> = []
for (const file of files) {
  const mod: { default: () => Promise<void> | void; summary?: ReadonlyArray<string> } = await import(
    pathToFileURL(join(here, file)).href
  )
  await mod.default()
  for (const l of mod.summary ?? []) lines.push(l)
}

console.log("\nsummary")
for (const l of lines) console.log(`  ${l}`)
