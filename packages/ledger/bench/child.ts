/**
 * One case of the import-memory bench (`bench/index.ts`): imports the file
 * given as the argument as a problem ledger (`.xlsx` or `.csv`), sampling the
 * V8 heap every millisecond, and prints the outcome, the time, the RSS at
 * start and at its peak (`process.resourceUsage().maxRSS`) and the peak heap
 * as one JSON line. The file `bomb-noratio.xlsx` is read with the
 * compression-ratio rule off; with a second argument `unguarded`, exceljs
 * loads the file directly, without the ledger's limits.
 */
import { readFileSync } from "node:fs"
import { basename } from "node:path"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import ExcelJS from "exceljs"
import * as Csv from "../src/Csv.js"
import * as ProblemLedger from "../src/ProblemLedger.js"
import * as Xlsx from "../src/Xlsx.js"

const MiB = 1024 * 1024
const file = process.argv[2] ?? ""
globalThis.gc?.()
const startRssMiB = process.memoryUsage().rss / MiB
let peakHeap = process.memoryUsage().heapUsed
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
}, 1)

const started = Date.now()
const bytes = new Uint8Array(readFileSync(file))
const options = {
  file: basename(file),
  ...(basename(file) === "bomb-noratio.xlsx"
    ? { limits: { maxCompressionRatio: Number.POSITIVE_INFINITY } }
    : {})
}
const unguarded = async (): Promise<string> => {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    return `exceljs loaded ${workbook.worksheets[0]?.rowCount ?? 0} rows`
  } catch (e) {
    return `exceljs failed: ${e instanceof Error ? e.message : String(e)}`
  }
}
const outcome: string =
  process.argv[3] === "unguarded"
    ? await unguarded()
    : file.endsWith(".csv")
      ? Either.match(Csv.read(ProblemLedger.spec, bytes, options), {
          onLeft: (e) => `refused: ${e._tag}${"rule" in e ? ` (${e.rule})` : ""}`,
          onRight: (rows) => `read ${rows.length} rows`
        })
      : await Effect.runPromise(
          Effect.match(Xlsx.read(ProblemLedger.spec, bytes, options), {
            onFailure: (e) => `refused: ${e._tag}${"rule" in e ? ` (${e.rule})` : ""}`,
            onSuccess: (rows) => `read ${rows.length} rows`
          })
        )
const ms = Date.now() - started
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
clearInterval(sampler)
console.log(
  JSON.stringify({
    outcome,
    ms,
    startRssMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapMiB: peakHeap / MiB
  })
)
