/**
 * `npm run bench` in @civicgrid/ledger (`node --expose-gc --import tsx
 * bench/index.ts`): the memory an import costs — peak RSS and peak V8 heap —
 * while refusing hostile workbooks, against parsing a normal ledger as the
 * baseline (issue 12 finding 11: a 490 KB XLSX inflating to 480 MiB used
 * 1.25 GB, a 100k-row XLSX 915 MB). Each case runs in a fresh process
 * (`bench/child.ts`) on a file written beforehand, so one case's garbage
 * does not count against another's and generating the input costs nothing.
 * A case name given as an argument runs only the cases containing it.
 *
 * The workspace packages resolve to their TypeScript sources through the
 * "@civicgrid/source" export condition, so the script re-runs itself with it.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const condition = "--conditions=@civicgrid/source"

if (!process.execArgv.includes(condition)) {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", condition, "--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  process.exit(child.status ?? 1)
}

await import("./Memory.bench.js")
