/**
 * `npm run bench` in @civicgrid/sql: runs every `*.bench.ts` beside this file
 * (or only those whose name contains an argument: `npm run bench -- ingest`),
 * except the long ones (`Scale.bench.ts`, about eleven minutes for both databases),
 * which run only when named: `npm run bench:scale`.
 * Each bench file's default export is an async function that calls
 * `compareAsync`. PostgreSQL figures need `CIVICGRID_PG_URL` (a server where
 * the benches may create and drop databases); without it they are skipped.
 *
 * The workspace packages resolve to their TypeScript sources through the
 * "@civicgrid/source" export condition: without it node would load the
 * core's build output, so the script re-runs itself with the condition.
 */
import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { results } from "@civicgrid/testkit/Bench"

const here = dirname(fileURLToPath(import.meta.url))
const condition = "--conditions=@civicgrid/source"

if (!process.execArgv.includes(condition)) {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", condition, "--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  process.exit(child.status ?? 1)
}

const filters = process.argv.slice(2).map((a) => a.toLowerCase())
/** Benches that take more than a few minutes: run only when named (`npm run bench:scale`). */
const long = ["Scale.bench.ts"]
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) =>
    filters.length === 0 ? !long.includes(f) : filters.some((x) => f.toLowerCase().includes(x))
  )
  .sort()
if (filters.length === 0)
  console.log(`(not run without a name, they take long: ${long.join(", ")} — npm run bench:scale)`)

console.log(`@civicgrid/sql benchmarks — node ${process.version}, ${files.length} file(s)`)
for (const file of files) {
  const mod: { default: () => Promise<void> | void } = await import(pathToFileURL(join(here, file)).href)
  await mod.default()
}

console.log("\nsummary")
for (const r of results) {
  const target = r.targetMet === undefined ? "" : r.targetMet ? "  target met" : "  TARGET MISSED"
  console.log(`  ${r.title.padEnd(72)} ${r.ratio.toFixed(2).padStart(8)}×${target}`)
}
