/**
 * 案件写入吞吐 — ingesting 100,000 reported cases with their events (issue 5:
 * "Ingest 100,000 reported cases with their events, as throughput, against
 * the raw driver doing the same inserts in one transaction with prepared
 * statements (the physical limit) in the same run: aim for at least half the
 * raw rate on SQLite").
 *
 * Input: 100,000 `Report` commands decided by `Case.decide` (one `Reported`
 * event each) over 2025, in 100 communities of a district (10 streets), every
 * source (each by a role that may file from it), two categories, three
 * urgencies.
 *
 * - SQLite, a FILE database (WAL, as `SqliteClient` opens it; the store on
 *   `SqliteStore`, write transactions `BEGIN IMMEDIATE`), migrated and
 *   with the hierarchy seeded before each timed run:
 *   - baseline — the raw `better-sqlite3` driver: two prepared statements
 *     (`cg_case_events`, `cg_cases`), every row inserted in ONE transaction.
 *     The rows (event JSON, read-model row) are computed before timing: the
 *     baseline is the physical limit of the inserts alone.
 *   - civicgrid — `SqlCaseRepository.appendAll` with time limits, in batches
 *     of 1,000 cases (one transaction each): idempotency and version checks,
 *     encoding, folding, the read model with its deadline, AND the indicator
 *     tables (each case's contribution judged on the working calendar, its
 *     deltas and the per-day sums) — everything the store does.
 * - PostgreSQL (with `CIVICGRID_PG_URL`; a fresh database per run, dropped
 *   after):
 *   - baseline — raw SQL on the `pg` driver (through `@effect/sql-pg`'s
 *     `unsafe`, one call per statement: the Effect overhead is ~40 calls in
 *     all; `@types/pg` is not installed to script `pg` directly): the same
 *     rows in ONE transaction, 5,000 rows per `INSERT … SELECT FROM
 *     unnest($1::text[], …)` — one row per statement would be a round trip
 *     each, far below the limit.
 *   - civicgrid — `SqlCaseRepository.appendAll`, batches of 1,000.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Actor, ActorId, type Role } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId, type Urgency } from "@civicgrid/core/CaseCategory"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { compareAsync } from "@civicgrid/testkit/Bench"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import Database from "better-sqlite3"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { caseColumns, caseRow, type EventRow, eventRow, type SqlRow } from "../src/internal/caseRows.js"
import * as Migrations from "../src/Migrations.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqliteStore from "../src/SqliteStore.js"

const N = 100_000
const BATCH = 1_000
const MINUTE = 60_000
const T0 = Date.UTC(2025, 0, 2, 0, 0)
const timeLimits: CaseRepository.TimeLimits = {
  policy: TimeLimit.defaultPolicy,
  calendar: WorkingCalendar.china()
}

// -----------------------------------------------------------------------------
// the input
// -----------------------------------------------------------------------------

const units: Array<{ id: string; parentId: string | null; level: string; name: string }> = [
  { id: "d", parentId: null, level: "district", name: "区" }
]
for (let s = 0; s < 10; s++) {
  units.push({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` })
  for (let c = 0; c < 10; c++)
    units.push({ id: `s${s}c${c}`, parentId: `s${s}`, level: "community", name: `社区${s}-${c}` })
}
const communities = units.filter((u) => u.level === "community").map((u) => UnitId.make(u.id))
const categories = [CategoryId.make("市容环境.暴露垃圾"), CategoryId.make("街面秩序.占道经营")]
const urgencies: ReadonlyArray<Urgency> = ["normal", "urgent", "critical"]

/** Roles that report in a community, the first that may file from a source reports from it. */
const reporterRoles: ReadonlyArray<Role> = ["grid-worker", "resident", "hotline", "community-staff"]

const reports = (): ReadonlyArray<ReadonlyArray<CaseEvent>> => {
  const out: Array<ReadonlyArray<CaseEvent>> = []
  for (let i = 0; i < N; i++) {
    const community = communities[i % communities.length] ?? UnitId.make("s0c0")
    const source = Case.Source.literals[i % Case.Source.literals.length] ?? "patrol"
    // a reporter whose role may file from this source (Case.reportSources)
    const role = reporterRoles.find((r) => Case.reportSources[r].includes(source)) ?? "grid-worker"
    const actor: Actor = { id: ActorId.make(`${role}-${community}`), role, unitId: community }
    const events = Either.getOrThrow(
      Case.decide(
        {
          _tag: "Report",
          caseId: Case.CaseId.make(`case-${String(i).padStart(7, "0")}`),
          actor,
          at: DateTime.unsafeMake(T0 + Math.floor((i * 360 * 24 * 60) / N) * MINUTE),
          source,
          categoryId: categories[i % 2] ?? categories[0] ?? CategoryId.make("x"),
          urgency: urgencies[i % 3] ?? "normal",
          description: "楼道堆放杂物",
          location: { unitId: community },
          communityId: community,
          tier: "community",
          anonymous: false,
          attributes: {}
        },
        Case.initial
      )
    )
    out.push(events)
  }
  return out
}

const unitRows = () => {
  const paths = CaseRepository.unitPaths(units)
  return units.map((u) => {
    const path = paths.get(u.id) ?? `/${u.id}/`
    return {
      id: u.id,
      parent_id: u.parentId,
      level: u.level,
      name: u.name,
      code: null,
      path,
      depth: path.split("/").length - 3
    }
  })
}

/** The rows the raw baselines insert: what the store writes for a reported case. */
const rawRows = (histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) => {
  const paths = CaseRepository.unitPaths(units)
  const events: Array<EventRow> = []
  const cases: Array<SqlRow> = []
  for (const history of histories) {
    for (const e of history) events.push(eventRow(e))
    const state = Case.fold(history)
    if (state._tag !== "Case") continue
    cases.push(
      caseRow(
        state,
        CaseRepository.casePath((id) => paths.get(id), state.communityId, state.location.unitId),
        timeLimits
      )
    )
  }
  return { events, cases }
}

const eventColumns = ["case_id", "sequence", "tag", "at", "actor_id", "payload"] as const

/** Migrates a database and seeds the hierarchy. */
const prepareDatabase = Effect.gen(function* () {
  yield* Migrations.run
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO cg_units ${sql.insert(unitRows())}`
})

/** Appends every history through the store, in batches. */
const appendEverything = (histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    for (let k = 0; k < histories.length; k += BATCH) {
      // as CaseService appends a report: with the state it decided (the store need not fold)
      const batch = histories.slice(k, k + BATCH).map((events) => {
        const after = Case.fold(events)
        return {
          caseId: events[0]?.caseId ?? Case.CaseId.make("none"),
          expectedVersion: 0,
          events,
          ...(after._tag === "Case" ? { decided: { history: [], after } } : {})
        }
      })
      yield* repo.appendAll(batch)
    }
  })

const storeOn = (client: Layer.Layer<SqlClient.SqlClient>) =>
  SqlCaseRepository.layer({ timeLimits }).pipe(Layer.provide(client))

// -----------------------------------------------------------------------------
// SQLite
// -----------------------------------------------------------------------------

const sqliteBench = async (histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) => {
  const rows = rawRows(histories)
  const freshFile = async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicgrid-bench-"))
    const filename = join(dir, "ingest.sqlite")
    await Effect.runPromise(
      Effect.provide(prepareDatabase, SqliteClient.layer({ filename })).pipe(Effect.orDie)
    )
    return { dir, filename }
  }
  const cleanup = async (prepared: { readonly dir: string }) => {
    rmSync(prepared.dir, { recursive: true, force: true })
  }
  await compareAsync({
    title: `Ingest ${N.toLocaleString("en-US")} reported cases — SQLite file (WAL)`,
    items: N,
    itemLabel: "cases",
    runs: 3,
    warmup: false,
    share: true,
    baseline: {
      name: "raw better-sqlite3: prepared inserts, one transaction",
      setup: freshFile,
      run: async (prepared) => {
        const db = new Database(prepared.filename)
        db.pragma("journal_mode = WAL")
        const insertEvent = db.prepare(
          `INSERT INTO cg_case_events (${eventColumns.join(", ")}) VALUES (${eventColumns.map(() => "?").join(", ")})`
        )
        const insertCase = db.prepare(
          `INSERT INTO cg_cases (${caseColumns.join(", ")}) VALUES (${caseColumns.map(() => "?").join(", ")})`
        )
        db.transaction(() => {
          for (const e of rows.events) insertEvent.run(eventColumns.map((c) => e[c]))
          for (const c of rows.cases) insertCase.run(caseColumns.map((k) => c[k]))
        })()
        db.close()
      },
      teardown: cleanup
    },
    subject: {
      name: `SqlCaseRepository.appendAll, batches of ${BATCH.toLocaleString("en-US")}`,
      setup: async () => {
        const file = await freshFile()
        const runtime = ManagedRuntime.make(
          storeOn(SqliteStore.layer({ filename: file.filename }).pipe(Layer.orDie))
        )
        await runtime.runPromise(Effect.void)
        return { ...file, runtime }
      },
      run: (prepared) => prepared.runtime.runPromise(appendEverything(histories)),
      teardown: async (prepared) => {
        await prepared.runtime.dispose()
        await cleanup(prepared)
      }
    }
  })
}

// -----------------------------------------------------------------------------
// PostgreSQL
// -----------------------------------------------------------------------------

let counter = 0
const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

const pgBench = async (url: string, histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) => {
  const rows = rawRows(histories)
  const admin = (statement: string) =>
    Effect.runPromise(
      Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
        Effect.orDie,
        Effect.asVoid
      )
    )
  const freshDatabase = async () => {
    const name = `cg_bench_ingest_${process.pid}_${counter++}`
    await admin(`CREATE DATABASE ${name}`)
    const dbUrl = withDatabase(url, name)
    await Effect.runPromise(
      Effect.provide(prepareDatabase, PgClient.layer({ url: Redacted.make(dbUrl) })).pipe(Effect.orDie)
    )
    return { name, dbUrl }
  }
  const drop = async (prepared: { readonly name: string }) => {
    await admin(`DROP DATABASE IF EXISTS ${prepared.name} WITH (FORCE)`)
  }
  const CHUNK = 5_000
  const eventTypes = ["text", "int", "text", "bigint", "text", "text"]
  const caseTypes = caseColumns.map((c) =>
    ["version"].includes(c)
      ? "int"
      : ["step_started_at", "deadline", "reported_at", "closed_at", "updated_at"].includes(c)
        ? "bigint"
        : "text"
  )
  const unnestInsert = (table: string, columns: ReadonlyArray<string>, types: ReadonlyArray<string>) =>
    `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})`
  await compareAsync({
    title: `Ingest ${N.toLocaleString("en-US")} reported cases — PostgreSQL`,
    items: N,
    itemLabel: "cases",
    runs: 1,
    warmup: false,
    share: true,
    baseline: {
      name: "raw SQL on pg: unnest inserts of 5,000 rows, one txn",
      setup: async () => {
        const db = await freshDatabase()
        const runtime = ManagedRuntime.make(
          PgClient.layer({ url: Redacted.make(db.dbUrl) }).pipe(Layer.orDie)
        )
        await runtime.runPromise(Effect.void)
        return { ...db, runtime }
      },
      run: (prepared) =>
        prepared.runtime.runPromise(
          Effect.gen(function* () {
            const sql = yield* PgClient.PgClient
            yield* sql.withTransaction(
              Effect.gen(function* () {
                for (let k = 0; k < rows.events.length; k += CHUNK) {
                  const part = rows.events.slice(k, k + CHUNK)
                  yield* sql.unsafe(
                    unnestInsert("cg_case_events", eventColumns, eventTypes),
                    eventColumns.map((c) => part.map((r) => r[c]))
                  )
                }
                for (let k = 0; k < rows.cases.length; k += CHUNK) {
                  const part = rows.cases.slice(k, k + CHUNK)
                  yield* sql.unsafe(
                    unnestInsert("cg_cases", caseColumns, caseTypes),
                    caseColumns.map((c) => part.map((r) => r[c]))
                  )
                }
              })
            )
          }).pipe(Effect.orDie)
        ),
      teardown: async (prepared) => {
        await prepared.runtime.dispose()
        await drop(prepared)
      }
    },
    subject: {
      name: `SqlCaseRepository.appendAll, batches of ${BATCH.toLocaleString("en-US")}`,
      setup: async () => {
        const db = await freshDatabase()
        const runtime = ManagedRuntime.make(
          storeOn(PgClient.layer({ url: Redacted.make(db.dbUrl) }).pipe(Layer.orDie))
        )
        await runtime.runPromise(Effect.void)
        return { ...db, runtime }
      },
      run: (prepared) => prepared.runtime.runPromise(appendEverything(histories)),
      teardown: async (prepared) => {
        await prepared.runtime.dispose()
        await drop(prepared)
      }
    }
  })
}

export default async () => {
  const histories = reports()
  await sqliteBench(histories)
  const url = process.env["CIVICGRID_PG_URL"]
  if (url === undefined) console.log("\n(PostgreSQL ingest skipped: CIVICGRID_PG_URL is not set)")
  else await pgBench(url, histories)
}
