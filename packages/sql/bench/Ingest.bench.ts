/**
 * 案件写入吞吐 — bulk import of historical cases (how a platform migrates onto
 * civicgrid; issue 5, issue 17 item 4): 100,000 reported cases with their
 * events, as throughput, against a raw writer of the same rows in the same
 * run. Aim: at least half the raw rate on both databases.
 *
 * Input: `BENCH_INGEST_CASES` (default 100,000) `Report` commands decided by
 * `Case.decide` (one `Reported` event each) over 2025, in 100 communities of
 * a district (10 streets), every source (each by a role that may file from
 * it), two categories, three urgencies.
 *
 * Contenders, each on a fresh database (migrated, hierarchy seeded, untimed),
 * `BENCH_ROUNDS` (default 3) interleaved rounds — the subjects, then the raw
 * writers — min / median / max per contender, ratios of the medians
 * (`BENCH_INGEST_DB=sqlite` or `pg` runs one database only):
 * - civicgrid `appendAll` — `SqlCaseRepository.appendAll` with time limits,
 *   in batches of `BENCH_BATCH` (default 1,000) cases, one transaction each,
 *   each input with `decided` (as `CaseService` passes it): everything the
 *   store does — idempotency and version checks, the events, the outbox, the
 *   read model with its deadline and lights, AND the indicator tables (each
 *   case's contribution judged on the working calendar, its deltas, the
 *   per-day sums).
 * - civicgrid `importNew` — `SqlCaseRepository.importNew` (the bulk import of
 *   `CaseImport`), batches of `BENCH_IMPORT_BATCH` (default
 *   `CaseImport.defaultBatchSize`, 5,000): the same rows in the same tables
 *   (property-tested), without the work only existing cases need. The
 *   target (≥ 0.5× of the raw writer of the same tables) is its figure.
 *   Both subjects fold each history (`Case.fold`, the state the store is
 *   given) inside the timed run, as a writer would.
 * - raw, same tables — the rows the store wrote in the first round (every
 *   table it wrote: events, outbox, read model, indicator cases, deltas,
 *   unjudged, day sums — dumped after the run, untimed) written again by the
 *   raw driver in ONE transaction: the physical floor of what the store
 *   writes, with nothing computed.
 * - raw, events + read model — the same, only `cg_case_events` and
 *   `cg_cases` (the floor of issue 5's first figure).
 *
 * The raw drivers: SQLite — `better-sqlite3` on the same FILE database (WAL,
 * as `SqliteClient` opens it), a prepared INSERT per table; PostgreSQL (with
 * `CIVICGRID_PG_URL`; a fresh database per run, dropped after) — `pg` with
 * `COPY … FROM STDIN` (`pg-copy-streams`) per table in text format, the
 * fastest way into PostgreSQL there is (not the store's client).
 */
import { once } from "node:events"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { type Actor, ActorId, type Role } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId, type Urgency } from "@civicgrid/core/CaseCategory"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseImport from "@civicgrid/core/CaseImport"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { results } from "@civicgrid/testkit/Bench"
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
import pg, { type Client } from "pg"
import copyStreams from "pg-copy-streams"
import * as Migrations from "../src/Migrations.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqliteStore from "../src/SqliteStore.js"

const envInt = (name: string, fallback: number): number => {
  const raw = Number(process.env[name])
  return Number.isSafeInteger(raw) && raw > 0 ? raw : fallback
}
const N = envInt("BENCH_INGEST_CASES", 100_000)
const BATCH = envInt("BENCH_BATCH", 1_000)
const IMPORT_BATCH = envInt("BENCH_IMPORT_BATCH", CaseImport.defaultBatchSize)
const ROUNDS = envInt("BENCH_ROUNDS", 3)
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

/** The tables an append writes, in the order a raw writer fills them. */
const tables = [
  "cg_case_events",
  "cg_outbox",
  "cg_cases",
  "cg_case_indicator_cases",
  "cg_case_indicator_deltas",
  "cg_case_indicator_unjudged",
  "cg_case_indicator_days"
] as const
/** The two tables of issue 5's first floor. */
const coreTables: ReadonlyArray<string> = ["cg_case_events", "cg_cases"]

/** A dumped table: its columns and rows (values as the driver gave them). */
interface Dump {
  readonly table: string
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>
}

/** Columns a database fills itself (the outbox's position): not written by a raw writer. */
const generated = new Set(["position"])

const dumpOf = (table: string, rows: ReadonlyArray<Record<string, unknown>>): Dump => {
  const first = rows[0]
  const columns = first === undefined ? [] : Object.keys(first).filter((c) => !generated.has(c))
  return { table, columns, rows: rows.map((r) => columns.map((c) => r[c])) }
}

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

/** Imports every history through the store (`importNew`), in batches of `IMPORT_BATCH`. */
const importEverything = (histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    for (let k = 0; k < histories.length; k += IMPORT_BATCH) {
      // as CaseImport passes them: each case's events and the state they fold to
      const batch = histories.slice(k, k + IMPORT_BATCH).flatMap((events) => {
        const after = Case.fold(events)
        return after._tag === "Case" ? [{ events, after }] : []
      })
      yield* repo.importNew(batch)
    }
  })

/** The subjects of a database: `appendAll` (as before issue 17) and `importNew`, in that order. */
const subjects = (
  subject: (name: string, label: string, work: typeof appendEverything) => Contender
): ReadonlyArray<Contender> => [
  subject(
    `SqlCaseRepository.appendAll, batches of ${BATCH.toLocaleString("en-US")}`,
    "appendAll",
    appendEverything
  ),
  subject(
    `SqlCaseRepository.importNew, batches of ${IMPORT_BATCH.toLocaleString("en-US")}`,
    "importNew",
    importEverything
  )
]

const storeOn = (client: Layer.Layer<SqlClient.SqlClient>) =>
  SqlCaseRepository.layer({ timeLimits }).pipe(Layer.provide(client))

// -----------------------------------------------------------------------------
// interleaved rounds
// -----------------------------------------------------------------------------

/** A contender: prepares untimed, runs timed, cleans up untimed; answers the timed milliseconds. */
interface Contender {
  readonly name: string
  /** How a round's line names it. */
  readonly label: string
  readonly once: () => Promise<number>
}

const timed = async <P>(
  setup: () => Promise<P>,
  run: (prepared: P) => Promise<unknown>,
  teardown: (prepared: P) => Promise<void>
): Promise<number> => {
  const prepared = await setup()
  global.gc?.()
  const start = performance.now()
  await run(prepared)
  const ms = performance.now() - start
  await teardown(prepared)
  return ms
}

const sorted = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)
const medianOf = (xs: ReadonlyArray<number>): number => {
  const s = sorted(xs)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}
const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US")} ms`
const rate = (ms: number) => `${Math.round((N / ms) * 1000).toLocaleString("en-US")} cases/s`

/**
 * Runs the subjects and the baselines in `ROUNDS` interleaved rounds (the
 * first subject first: its first run yields the rows the raw writers write),
 * prints each contender's min / median / max and each subject's rate as a
 * share of each baseline's (medians; also the range of the per-round
 * ratios), and records the comparisons for the summary (target: 0.5× of the
 * first baseline, for the last subject).
 */
const interleaved = async (
  title: string,
  subjects: ReadonlyArray<Contender>,
  baselines: ReadonlyArray<Contender>
): Promise<void> => {
  console.log(`\n${title} — ${ROUNDS} interleaved rounds`)
  const contenders = [...subjects, ...baselines]
  const samples = contenders.map(() => [] as Array<number>)
  for (let round = 0; round < ROUNDS; round++) {
    const line: Array<string> = []
    for (const [i, c] of contenders.entries()) {
      const ms = await c.once()
      samples[i]?.push(ms)
      line.push(`${c.label} ${fmt(ms)}`)
    }
    console.log(`  round ${round + 1}: ${line.join(", ")}`)
  }
  for (const [i, c] of contenders.entries()) {
    const s = sorted(samples[i] ?? [])
    const med = medianOf(s)
    console.log(
      `  ${(i < subjects.length ? "civicgrid " : "baseline  ") + c.name.padEnd(62)} min ${fmt(s[0] ?? 0)} / median ${fmt(med)} / max ${fmt(s[s.length - 1] ?? 0)}  (${rate(med)})`
    )
  }
  for (const [j, subject] of subjects.entries()) {
    const subjectSamples = samples[j] ?? []
    const subjectMedian = medianOf(subjectSamples)
    const target = j === subjects.length - 1
    for (const [i, b] of baselines.entries()) {
      const base = samples[subjects.length + i] ?? []
      const ratio = medianOf(base) / subjectMedian
      const perRound = sorted(base.map((ms, k) => ms / (subjectSamples[k] ?? ms)))
      console.log(
        `  ratio     ${subject.label}: ${ratio.toFixed(2)}× of "${b.name}" (per round ${(perRound[0] ?? 0).toFixed(2)}–${(perRound[perRound.length - 1] ?? 0).toFixed(2)}×)${target && i === 0 ? `; target ≥ 0.50×: ${ratio >= 0.5 ? "met" : "MISSED"}` : ""}`
      )
      results.push({
        title: `${title}: ${subject.label} vs ${b.label}`,
        baselineMs: medianOf(base),
        subjectMs: subjectMedian,
        ratio,
        targetMet: target && i === 0 ? ratio >= 0.5 : undefined
      })
    }
  }
}

// -----------------------------------------------------------------------------
// SQLite
// -----------------------------------------------------------------------------

const sqliteDump = (filename: string): ReadonlyArray<Dump> => {
  const db = new Database(filename)
  const out = tables.map((t) => dumpOf(t, db.prepare(`SELECT * FROM ${t}`).all()))
  db.close()
  return out
}

const sqliteBench = async (histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) => {
  let dumps: ReadonlyArray<Dump> = []
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
  const raw = (name: string, only: ReadonlyArray<string> | undefined): Contender => ({
    name,
    label: only === undefined ? "raw (same tables)" : "raw (events + read model)",
    once: () =>
      timed(
        freshFile,
        async (prepared) => {
          const db = new Database(prepared.filename)
          db.pragma("journal_mode = WAL")
          const parts = dumps.filter(
            (d) => d.rows.length > 0 && (only === undefined || only.includes(d.table))
          )
          const statements = parts.map((d) =>
            db.prepare(
              `INSERT INTO ${d.table} (${d.columns.join(", ")}) VALUES (${d.columns.map(() => "?").join(", ")})`
            )
          )
          db.transaction(() => {
            parts.forEach((d, i) => {
              const insert = statements[i]
              if (insert !== undefined) for (const row of d.rows) insert.run(row)
            })
          })()
          db.close()
        },
        cleanup
      )
  })
  const subject = (name: string, label: string, work: typeof appendEverything): Contender => ({
    name,
    label,
    once: () =>
      timed(
        async () => {
          const file = await freshFile()
          const runtime = ManagedRuntime.make(
            storeOn(SqliteStore.layer({ filename: file.filename }).pipe(Layer.orDie))
          )
          await runtime.runPromise(Effect.void)
          return { ...file, runtime }
        },
        (prepared) => prepared.runtime.runPromise(work(histories)),
        async (prepared) => {
          await prepared.runtime.dispose()
          if (dumps.length === 0) dumps = sqliteDump(prepared.filename)
          await cleanup(prepared)
        }
      )
  })
  await interleaved(
    `Ingest ${N.toLocaleString("en-US")} reported cases — SQLite file (WAL)`,
    subjects(subject),
    [
      raw("raw better-sqlite3, same tables: prepared inserts, one txn", undefined),
      raw("raw better-sqlite3, events + read model only", coreTables)
    ]
  )
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

/** A value in COPY's text format: `\N` for null, backslash, tab, newline and carriage return escaped. */
const copyText = (value: unknown): string => {
  if (value === null || value === undefined) return "\\N"
  const text = typeof value === "string" ? value : String(value)
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text
}

/** `COPY table (columns) FROM STDIN` of a dump's rows, on one client, honouring back-pressure. */
const copyInto = async (client: Client, dump: Dump): Promise<void> => {
  const stream = client.query(copyStreams.from(`COPY ${dump.table} (${dump.columns.join(", ")}) FROM STDIN`))
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve)
    stream.on("error", reject)
  })
  let buffer = ""
  for (const row of dump.rows) {
    buffer += `${row.map(copyText).join("\t")}\n`
    if (buffer.length >= 1 << 20) {
      if (!stream.write(buffer)) await once(stream, "drain")
      buffer = ""
    }
  }
  stream.end(buffer)
  await done
}

const pgBench = async (url: string, histories: ReadonlyArray<ReadonlyArray<CaseEvent>>) => {
  let dumps: ReadonlyArray<Dump> = []
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
  const dumpDatabase = async (dbUrl: string): Promise<ReadonlyArray<Dump>> => {
    const client = new pg.Client({ connectionString: dbUrl })
    await client.connect()
    const out: Array<Dump> = []
    for (const t of tables) out.push(dumpOf(t, (await client.query(`SELECT * FROM ${t}`)).rows))
    await client.end()
    return out
  }
  const raw = (name: string, only: ReadonlyArray<string> | undefined): Contender => ({
    name,
    label: only === undefined ? "raw (same tables)" : "raw (events + read model)",
    once: () =>
      timed(
        async () => {
          const db = await freshDatabase()
          const client = new pg.Client({ connectionString: db.dbUrl })
          await client.connect()
          return { ...db, client }
        },
        async ({ client }) => {
          await client.query("BEGIN")
          for (const d of dumps) {
            if (d.rows.length > 0 && (only === undefined || only.includes(d.table))) await copyInto(client, d)
          }
          await client.query("COMMIT")
        },
        async (prepared) => {
          await prepared.client.end()
          await drop(prepared)
        }
      )
  })
  const subject = (name: string, label: string, work: typeof appendEverything): Contender => ({
    name,
    label,
    once: () =>
      timed(
        async () => {
          const db = await freshDatabase()
          const runtime = ManagedRuntime.make(
            storeOn(PgClient.layer({ url: Redacted.make(db.dbUrl) }).pipe(Layer.orDie))
          )
          await runtime.runPromise(Effect.void)
          return { ...db, runtime }
        },
        (prepared) => prepared.runtime.runPromise(work(histories)),
        async (prepared) => {
          await prepared.runtime.dispose()
          if (dumps.length === 0) dumps = await dumpDatabase(prepared.dbUrl)
          await drop(prepared)
        }
      )
  })
  await interleaved(`Ingest ${N.toLocaleString("en-US")} reported cases — PostgreSQL`, subjects(subject), [
    raw("raw pg COPY FROM STDIN, same tables, one txn", undefined),
    raw("raw pg COPY FROM STDIN, events + read model only", coreTables)
  ])
}

export default async () => {
  const histories = reports()
  const only = (process.env["BENCH_INGEST_DB"] ?? "").toLowerCase()
  if (only !== "pg") await sqliteBench(histories)
  const url = process.env["CIVICGRID_PG_URL"]
  if (only === "sqlite") return
  if (url === undefined) console.log("\n(PostgreSQL ingest skipped: CIVICGRID_PG_URL is not set)")
  else await pgBench(url, histories)
}
