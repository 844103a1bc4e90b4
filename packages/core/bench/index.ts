/**
 * `npm run bench` in @civicgrid/core: runs every `*.bench.ts` beside this file
 * (or only those whose name contains an argument: `npm run bench -- hierarchy`).
 * Each bench file's default export is an async function that calls `compare`.
 */
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { results } from "@civicgrid/testkit/Bench"

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2).map((a) => a.toLowerCase())
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.toLowerCase().includes(x)))
  .sort()

console.log(`@civicgrid/core benchmarks — node ${process.version}, ${files.length} file(s)`)
for (const file of files) {
  const mod: { default: () => Promise<void> | void } = await import(pathToFileURL(join(here, file)).href)
  await mod.default()
}

console.log("\nsummary")
for (const r of results) {
  const target = r.targetMet === undefined ? "" : r.targetMet ? "  target met" : "  TARGET MISSED"
  console.log(`  ${r.title.padEnd(64)} ${r.ratio.toFixed(2).padStart(8)}×${target}`)
}
