/**
 * Faults (issue 5): "every write is one transaction — a test kills a process
 * in the middle of a large batch against a file database, reopens it and
 * checks that no partial case exists and the read model matches the events".
 *
 * A child process (`crash-child.ts`) appends batches of cases to a SQLite file
 * (WAL), one transaction per batch, and is killed with SIGKILL while it writes
 * a later batch. The file is reopened and checked: the number of cases is one
 * of the committed counts (a multiple of the batch size, at least the last
 * count the child reported); every case's events are gapless from 1 and its
 * read-model row exists with `version` = the last sequence and equals
 * `summarize(fold(events))`; the batch that advanced the previous batch's
 * cases is all there or not at all; no idempotency key survives without its
 * case.
 */
import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import * as Case from "@civicgrid/core/Case"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Migrations from "../src/Migrations.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import { seedUnits, timeLimits } from "./support/CaseFixtures.js"
import { sqliteFile } from "./support/Databases.js"

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = join(here, "..")
const BATCH = 300
/** The child is killed once it begins this batch (earlier ones were committed and reported). */
const KILL_AT_BATCH = 3

interface ChildRun {
  readonly signal: NodeJS.Signals | null
  readonly code: number | null
  readonly lastCommitted: number
  readonly stderr: string
}

const runChild = (filename: string): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@civicgrid/source",
        "--import",
        "tsx",
        join(here, "crash-child.ts"),
        filename,
        String(BATCH)
      ],
      { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] }
    )
    let lastCommitted = 0
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    createInterface({ input: child.stdout }).on("line", (line) => {
      const [word, n] = line.split(" ")
      if (word === "committed") lastCommitted = Number(n)
      if (word === "begin" && Number(n) >= KILL_AT_BATCH) child.kill("SIGKILL")
    })
    child.on("error", reject)
    child.on("close", (code, signal) => resolve({ signal, code, lastCommitted, stderr }))
  })

const encodeSummary = Schema.encodeSync(CaseRepository.CaseSummary)

/** Opens the file database, migrated and seeded (the child only appends). */
const database = (filename: string) => SqliteClient.layer({ filename }).pipe(Layer.orDie)

const prepare = (filename: string) =>
  Effect.runPromise(
    Effect.zipRight(Migrations.run, seedUnits).pipe(Effect.orDie, Effect.provide(database(filename)))
  )

interface Checked {
  readonly cases: number
  readonly broken: ReadonlyArray<string>
  readonly versions: ReadonlyMap<string, number>
}

/** Reopens the file and checks every case; returns the count and every broken invariant. */
const check = (filename: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const repo = yield* CaseRepository.CaseRepository
    const broken: Array<string> = []
    const [count] = yield* sql<{ readonly n: number }>`SELECT COUNT(*) AS n FROM cg_cases`
    const stats = yield* sql<{
      readonly case_id: string
      readonly n: number
      readonly lo: number
      readonly hi: number
      readonly version: number | null
    }>`SELECT e.case_id AS case_id, COUNT(*) AS n, MIN(e.sequence) AS lo, MAX(e.sequence) AS hi, c.version AS version
       FROM cg_case_events e LEFT JOIN cg_cases c ON c.case_id = e.case_id
       GROUP BY e.case_id, c.version`
    const [orphans] = yield* sql<{ readonly n: number }>`
      SELECT COUNT(*) AS n FROM cg_cases c
      WHERE NOT EXISTS (SELECT 1 FROM cg_case_events e WHERE e.case_id = c.case_id)`
    const [strayKeys] = yield* sql<{ readonly n: number }>`
      SELECT COUNT(*) AS n FROM cg_idempotency i
      WHERE NOT EXISTS (SELECT 1 FROM cg_cases c WHERE c.case_id = i.case_id)`
    if ((orphans?.n ?? 0) > 0) broken.push(`${orphans?.n} read-model rows without events`)
    if ((strayKeys?.n ?? 0) > 0) broken.push(`${strayKeys?.n} idempotency keys without their case`)
    const versions = new Map<string, number>()
    for (const s of stats) {
      if (s.lo !== 1 || s.hi !== s.n) broken.push(`${s.case_id}: sequences ${s.lo}…${s.hi} for ${s.n} events`)
      if (s.version !== s.hi) broken.push(`${s.case_id}: read model at ${s.version}, events at ${s.hi}`)
      versions.set(s.case_id, s.hi)
      const state = Case.fold(yield* repo.events(s.case_id))
      if (state._tag !== "Case") {
        broken.push(`${s.case_id}: events fold to no case`)
        continue
      }
      const summary = yield* repo.summary(s.case_id)
      const expected = CaseRepository.summarize(state, timeLimits)
      if (JSON.stringify(encodeSummary(summary)) !== JSON.stringify(encodeSummary(expected))) {
        broken.push(`${s.case_id}: the read model differs from the fold of its events`)
      }
    }
    return { cases: count?.n ?? 0, broken, versions } satisfies Checked
  }).pipe(
    Effect.provide(SqlCaseRepository.layer({ timeLimits }).pipe(Layer.provideMerge(database(filename)))),
    Effect.runPromise
  )

describe("CaseRepository on a SQLite file — a process killed in the middle of a batch", () => {
  it("无残缺案件: after SIGKILL mid-batch the reopened file holds whole batches only, and the read model matches the events", {
    timeout: 120_000
  }, async () => {
    const { filename, cleanup } = sqliteFile()
    try {
      await prepare(filename)
      const run = await runChild(filename)
      expect(run.stderr.includes("crash-child failed"), run.stderr).toBe(false)
      expect(
        run.signal,
        `the child should have been killed; exit code ${run.code}; stderr: ${run.stderr}`
      ).toBe("SIGKILL")
      expect(run.lastCommitted).toBeGreaterThanOrEqual(KILL_AT_BATCH * BATCH)

      const checked = await check(filename)
      expect(checked.broken).toEqual([])
      // one of the committed counts: whole batches, at least those the child reported
      expect(checked.cases % BATCH).toBe(0)
      expect(checked.cases).toBeGreaterThanOrEqual(run.lastCommitted)
      // the advance of the previous batch committed with its batch: every case of
      // the last committed batch is at version 3, every earlier one at 4
      const batches = checked.cases / BATCH
      for (const [caseId, version] of checked.versions) {
        const batch = Number(caseId.split("-")[1])
        expect(version, caseId).toBe(batch === batches - 1 ? 3 : 4)
      }
    } finally {
      cleanup()
    }
  })
})
