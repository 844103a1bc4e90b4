/**
 * The import-memory cases of `npm run bench` (see `index.ts`): inputs are
 * written to a temporary directory, then each is imported by `child.ts` in
 * a fresh process.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Csv from "../src/Csv.js"
import * as Ledger from "../src/Ledger.js"
import * as ProblemLedger from "../src/ProblemLedger.js"
import * as Xlsx from "../src/Xlsx.js"
import * as Zip from "../test/support/Zip.js"

const here = dirname(fileURLToPath(import.meta.url))
const condition = "--conditions=@civicgrid/source"

const problems = (n: number): ReadonlyArray<ProblemList.Problem> =>
  Array.from({ length: n }, (_, i) =>
    ProblemList.make({
      id: `P-${String(i + 1).padStart(6, "0")}`,
      unitId: `c-${i % 20}`,
      categoryId: ProblemList.defaultCategories[i % 5]?.id ?? "environment",
      source: { _tag: "HouseholdVisit" },
      description: `第${i + 1}号问题：小区电瓶车乱停、飞线充电，楼道堆物，需物业协调`,
      reportedAt: DateTime.unsafeMake(Date.UTC(2024, 2, 1) + i * 60_000),
      tags: ["物业协调", "电动车治理"]
    })
  )

interface Case {
  readonly name: string
  readonly file: string
  readonly make: () => Promise<Uint8Array>
  /** Run only when named by an argument (it costs what the limits prevent). */
  readonly optIn?: boolean
  /** Load with exceljs directly, without the ledger's limits (what import did before). */
  readonly unguarded?: boolean
}

const MiB = 1024 * 1024
const dir = mkdtempSync(join(tmpdir(), "civicgrid-ledger-bench-"))
const cases: ReadonlyArray<Case> = [
  {
    name: "baseline: parse a normal 5,000-row XLSX",
    file: "normal.xlsx",
    make: () => Effect.runPromise(Xlsx.write(ProblemLedger.spec, problems(5000)))
  },
  {
    name: "baseline: parse a normal 5,000-row CSV",
    file: "normal.csv",
    make: async () => new TextEncoder().encode(Effect.runSync(Csv.write(ProblemLedger.spec, problems(5000))))
  },
  {
    name: "worst accepted: parse a 50,000-row XLSX (the header + 49,999, at the limit)",
    file: "limit.xlsx",
    make: () => Effect.runPromise(Xlsx.write(ProblemLedger.spec, problems(49_999)))
  },
  {
    name: "refuse a ZIP bomb inflating to 480 MiB (compression-ratio)",
    file: "bomb.xlsx",
    make: () => Zip.bomb(480)
  },
  {
    name: "refuse the same bomb with the ratio rule off (inflated-size, 200 MiB)",
    file: "bomb-noratio.xlsx",
    make: () => Zip.bomb(480)
  },
  {
    name: "refuse a 100,000-row XLSX (rows, 50,000)",
    file: "rows.xlsx",
    make: () => Effect.runPromise(Xlsx.write(ProblemLedger.spec, problems(100_000)))
  },
  {
    name: "unguarded: exceljs alone loads the 480 MiB bomb (opt-in)",
    file: "bomb-unguarded.xlsx",
    make: () => Zip.bomb(480),
    optIn: true,
    unguarded: true
  },
  {
    name: "unguarded: exceljs alone loads the 100,000-row XLSX (opt-in)",
    file: "rows-unguarded.xlsx",
    make: () => Effect.runPromise(Xlsx.write(ProblemLedger.spec, problems(100_000))),
    optIn: true,
    unguarded: true
  }
]

const filters = process.argv.slice(2).map((a) => a.toLowerCase())
const chosen = cases.filter((c) =>
  filters.length === 0 ? c.optIn !== true : filters.some((f) => c.name.toLowerCase().includes(f))
)

console.log(
  `@civicgrid/ledger benchmarks — node ${process.version}, import memory (each case in a fresh process)`
)
console.log(`limits: ${JSON.stringify(Ledger.defaultLimits)}\n`)
const rows: Array<string> = []
try {
  for (const c of chosen) {
    const bytes = await c.make()
    const file = join(dir, c.file)
    writeFileSync(file, bytes)
    const child = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        condition,
        "--import",
        "tsx",
        join(here, "child.ts"),
        file,
        ...(c.unguarded ? ["unguarded"] : [])
      ],
      { encoding: "utf8" }
    )
    if (child.status !== 0) {
      console.error(child.stderr)
      process.exit(1)
    }
    const r: {
      outcome: string
      ms: number
      startRssMiB: number
      peakRssMiB: number
      peakHeapMiB: number
    } = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}")
    const line =
      `${c.name.padEnd(80)} file ${(bytes.length / MiB).toFixed(2).padStart(6)} MiB  ` +
      `peak RSS ${r.peakRssMiB.toFixed(0).padStart(5)} MiB (start ${r.startRssMiB.toFixed(0)})  ` +
      `peak heap ${r.peakHeapMiB.toFixed(0).padStart(5)} MiB  ${String(r.ms).padStart(6)} ms  → ${r.outcome}`
    console.log(line)
    rows.push(line)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
