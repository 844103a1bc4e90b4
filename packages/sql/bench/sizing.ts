/**
 * 容量规划 — a year of a district's cases written into a fresh PostgreSQL
 * database, then the read paths timed and the bytes per case measured per
 * table, for the sizing guide (docs/guides/sizing.md).
 *
 * Run: `CIVICGRID_PG_URL=postgres://… npm run bench:sizing -w @civicgrid/sql -- --cases 200000`
 * (default 20,000 cases; the database `cg_sizing_<pid>` is created on that
 * server and dropped after, unless `--keep`). `--layout 20` migrates only up
 * to migration 0020 (the layout before 0021), for a before/after comparison.
 *
 * **The district.** LevelScheme.FiveLevel: 10 streets, 300 communities, 900
 * compounds, 9,000 buildings, saved through `SqlHierarchyRepository`.
 *
 * **The year.** Each case is played through `Case.execute` (the core's own
 * decisions) from a report at an instant spread over the 365 days before now:
 * 70 % accepted, dispatched to a department, handled and verified (a fifth of
 * them supervised 督办 while dispatched, a tenth commented), 8 % self-handled,
 * 6 % rejected, 10 % open and dispatched, 3 % open as reported, 3 % escalated
 * to the district. The events are written through the store's own
 * `SqlCaseRepository.appendAll` with time limits (read model, outbox,
 * indicator tables — everything an append does) in rounds: round k appends
 * the k-th event of every case that has one, 1,000 cases per transaction, each
 * with `decided` (as `CaseService` passes it). So every event after the report
 * is an update of its case's read-model row, as in production (where the
 * rounds interleave over the year; what a row goes through is the same).
 *
 * **Measured.** Per table: `pg_total_relation_size` (heap, indexes, TOAST)
 * and bytes per case after `VACUUM ANALYZE`; `n_tup_upd` / `n_tup_hot_upd` of
 * the writes; then the read paths, each run `RUNS` times after a warm-up,
 * p50 and p99 in milliseconds: the list (first page; by status; within a
 * street; an Open311 `GET /requests` — category, status and a date range),
 * the board (a street, the district), the scheduler's `dueBefore`,
 * `lightsCrossed`, and the indicators (`SqlIndicators.compute`, month periods
 * of the district: the day-sum path, and the exact path over the deltas).
 */
import { performance } from "node:perf_hooks"
import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import type * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Migrations from "../src/Migrations.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqlHierarchyRepository from "../src/SqlHierarchyRepository.js"
import * as SqlIndicators from "../src/SqlIndicators.js"

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const N = Number(arg("cases") ?? 20_000)
const LAYOUT = arg("layout") === undefined ? Migrations.latestVersion : Number(arg("layout"))
const KEEP = process.argv.includes("--keep")
/** `append` (default): every event its own append, as a server writes; `import`: whole histories through `importNew`. */
const WRITE = arg("write") ?? "append"
/** After the read paths at `--layout`, migrate to the latest layout and measure the read paths again. */
const THEN_LATEST = process.argv.includes("--then-latest")
const IMPORT_BATCH = 5_000
const BATCH = 1_000
const RUNS = 30
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE
const STREETS = 10
const COMMUNITIES_PER_STREET = 30

const calendar = [2025, 2026, 2027, 2028].reduce(
  (c, year) =>
    WorkingCalendar.loadedYears(c).includes(year)
      ? c
      : Either.getOrThrow(WorkingCalendar.withYear(c, year, { holidays: [], workdays: [] })),
  WorkingCalendar.china()
)
const timeLimits: CaseRepository.TimeLimits = { policy: TimeLimit.defaultPolicy, calendar }

// --- the district -------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, "0")
interface Building {
  readonly id: string
  readonly community: string
}
const district = () => {
  const units: Array<Unit.Unit> = [Unit.make({ id: "D", parentId: null, level: "district", name: "区" })]
  const buildings: Array<Building> = []
  for (let s = 0; s < STREETS; s++) {
    const street = `S${pad(s)}`
    units.push(Unit.make({ id: street, parentId: "D", level: "street", name: `街道${s}` }))
    for (let c = 0; c < COMMUNITIES_PER_STREET; c++) {
      const community = `${street}-C${pad(c)}`
      units.push(Unit.make({ id: community, parentId: street, level: "community", name: `社区${s}-${c}` }))
      for (let p = 0; p < 3; p++) {
        const compound = `${community}-P${p}`
        units.push(Unit.make({ id: compound, parentId: community, level: "compound", name: `小区${p}` }))
        for (let b = 0; b < 10; b++) {
          const id = `${compound}-B${b}`
          units.push(Unit.make({ id, parentId: compound, level: "building", name: `${b + 1}栋` }))
          buildings.push({ id, community })
        }
      }
    }
  }
  return { units, buildings }
}

// --- histories ------------------------------------------------------------------

const CHENGGUAN = DepartmentId.make("dept-chengguan")
const staffOf = (c: Case.Case): Actor => ({
  id: ActorId.make(`staff-${c.ownerUnitId}`),
  role: c.tier === "community" ? "community-staff" : c.tier === "street" ? "street-staff" : "district-staff",
  unitId: c.ownerUnitId
})
const dept: Actor = {
  id: ActorId.make("dept"),
  role: "department",
  unitId: Unit.UnitId.make("D"),
  departmentId: CHENGGUAN
}
const supervisor: Actor = { id: ActorId.make("dudao"), role: "district-staff", unitId: Unit.UnitId.make("D") }
type Step = (c: Case.Case, caseId: Case.CaseId, at: DateTime.Utc) => CaseCommand
const accept: Step = (c, caseId, at) => ({ _tag: "Accept", caseId, actor: staffOf(c), at })
const dispatch: Step = (c, caseId, at) => ({
  _tag: "Dispatch",
  caseId,
  actor: staffOf(c),
  at,
  target: { _tag: "Department", departmentId: CHENGGUAN }
})
const handle: Step = (_, caseId, at) => ({
  _tag: "Handle",
  caseId,
  actor: dept,
  at,
  result: "已处置",
  evidence: ["photo://1.jpg"]
})
const verify: Step = (c, caseId, at) => ({ _tag: "Verify", caseId, actor: staffOf(c), at, outcome: "pass" })
const reject: Step = (c, caseId, at) => ({ _tag: "Reject", caseId, actor: staffOf(c), at, reason: "不属实" })
const supervise: Step = (_, caseId, at) => ({
  _tag: "Supervise",
  caseId,
  actor: supervisor,
  at,
  level: "urge",
  note: "请尽快处置"
})
const comment: Step = (c, caseId, at) => ({
  _tag: "Comment",
  caseId,
  actor: staffOf(c),
  at,
  text: "已联系物业",
  visibility: "internal"
})
const escalateTo =
  (unitId: string): Step =>
  (c, caseId, at) => ({
    _tag: "Escalate",
    caseId,
    actor: staffOf(c),
    at,
    toUnitId: Unit.UnitId.make(unitId),
    reason: "需上级协调"
  })

/** Steps (minutes after the previous one) by case number: the mix of the module documentation. */
const stepsOf = (
  i: number
): { readonly self: boolean; readonly steps: ReadonlyArray<readonly [number, Step]> } => {
  const k = i % 100
  if (k < 70) {
    const steps: Array<readonly [number, Step]> = [
      [30, accept],
      [60, dispatch]
    ]
    if (k < 14) steps.push([12 * 60, supervise])
    if (k % 10 === 3) steps.push([60, comment])
    steps.push([24 * 60, handle], [4 * 60, verify])
    return { self: false, steps }
  }
  if (k < 78) return { self: true, steps: [] }
  if (k < 84) return { self: false, steps: [[60, reject]] }
  if (k < 94)
    return {
      self: false,
      steps: [
        [30, accept],
        [60, dispatch]
      ]
    }
  if (k < 97) return { self: false, steps: [] }
  return {
    self: false,
    steps: [
      [30, accept],
      [60, escalateTo("S00")],
      [60, escalateTo("D")],
      [60, dispatch]
    ]
  }
}

const categories = [CategoryId.make("市容环境.暴露垃圾"), CategoryId.make("街面秩序.占道经营")]

/** Each case's events, played through `Case.execute`. */
const play = (i: number, buildings: ReadonlyArray<Building>): ReadonlyArray<CaseEvent> => {
  const building = buildings[(i * 7919) % buildings.length] ?? { id: "?", community: "?" }
  const id = Case.CaseId.make(`case-${String(i).padStart(8, "0")}`)
  const community = Unit.UnitId.make(building.community)
  const { self, steps } = stepsOf(i)
  // open cases: reported in the last days; the rest over the year
  const open = i % 100 >= 84
  const reportedAt = open
    ? NOW - ((i * 104729) % (3 * DAY)) - HOUR
    : NOW - 20 * DAY - ((i * 104729) % (345 * DAY))
  const fields = {
    caseId: id,
    at: DateTime.unsafeMake(reportedAt),
    source: "patrol" as const,
    categoryId: categories[i % 2] ?? CategoryId.make("x"),
    urgency: "normal" as const,
    description: "楼道堆放杂物",
    location: { unitId: Unit.UnitId.make(building.id) },
    communityId: community,
    tier: "community" as const,
    anonymous: false
  }
  const reporter: Actor = {
    id: ActorId.make(`gw-${building.community}`),
    role: "grid-worker",
    unitId: community
  }
  const first: CaseCommand = self
    ? { _tag: "SelfHandle", actor: reporter, ...fields, result: "已当场解决", evidence: ["photo://0.jpg"] }
    : { _tag: "Report", actor: reporter, ...fields }
  let result = Case.execute(Case.initial, first)
  if (Either.isLeft(result)) throw new Error(`${id}: ${String(result.left)}`)
  let state = result.right.state
  const events: Array<CaseEvent> = [...result.right.events]
  let now = reportedAt
  for (const [minutes, step] of steps) {
    now += minutes * MINUTE
    if (state._tag !== "Case") break
    result = Case.execute(state, step(state, id, DateTime.unsafeMake(Math.min(now, NOW - MINUTE))))
    if (Either.isLeft(result)) throw new Error(`${id}: ${String(result.left)}`)
    state = result.right.state
    events.push(...result.right.events)
  }
  return events
}

// --- measuring -------------------------------------------------------------------

const quantile = (xs: ReadonlyArray<number>, q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

const main = async () => {
  const url = process.env["CIVICGRID_PG_URL"]
  if (url === undefined) {
    console.log("sizing: set CIVICGRID_PG_URL (a PostgreSQL server where a database may be created)")
    return
  }
  const name = `cg_sizing_${process.pid}`
  const admin = ManagedRuntime.make(PgClient.layer({ url: Redacted.make(url) }))
  await admin.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`)))
  const runtime = ManagedRuntime.make(
    Layer.orDie(PgClient.layer({ url: Redacted.make(withDatabase(url, name)), maxConnections: 4 }))
  )
  const run = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>): Promise<A> =>
    runtime.runPromise(Effect.orDie(effect))
  try {
    const version = await run(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ server_version: string }>`SHOW server_version`)
    )
    console.log(
      `sizing: ${N} cases, layout up to migration ${LAYOUT}, PostgreSQL ${version[0]?.server_version}, node ${process.version}`
    )
    const subset = Object.fromEntries(
      Object.entries(Migrations.migrations).filter(([k]) => Number(k.split("_")[0]) <= LAYOUT)
    )
    await run(Migrator.make({})({ loader: Migrator.fromRecord(subset), table: Migrations.table }))
    const world = district()
    await run(Effect.flatMap(SqlHierarchyRepository.make, (h) => h.save(LevelScheme.FiveLevel, world.units)))

    const repo = await run(SqlCaseRepository.make({ timeLimits }))
    if (WRITE === "import") {
      // whole histories, IMPORT_BATCH cases per transaction, played and written a batch at a time
      const t0 = performance.now()
      let events = 0
      for (let from = 0; from < N; from += IMPORT_BATCH) {
        const inputs: Array<CaseRepository.ImportInput> = []
        for (let i = from; i < Math.min(N, from + IMPORT_BATCH); i++) {
          const history = play(i, world.buildings)
          const after = Case.fold(history)
          if (after._tag !== "Case") throw new Error(`case ${i}: no case`)
          inputs.push({ events: history, after })
          events += history.length
        }
        await run(repo.importNew(inputs))
        if ((from / IMPORT_BATCH) % 40 === 39)
          console.log(`  ${from + IMPORT_BATCH} cases (${((performance.now() - t0) / 1000).toFixed(0)} s)`)
      }
      const wrote = performance.now() - t0
      console.log(
        `imported ${N} cases, ${events} events: ${(wrote / 1000).toFixed(1)} s (${Math.round((N / wrote) * 1000)} cases/s, histories played included)`
      )
    } else {
      // write the year
      const t0 = performance.now()
      const histories: Array<ReadonlyArray<CaseEvent>> = []
      for (let i = 0; i < N; i++) histories.push(play(i, world.buildings))
      const events = histories.reduce((n, h) => n + h.length, 0)
      const played = performance.now() - t0
      // each case's appends: the events of one command (same instant, consecutive) go together
      const groups = histories.map((h) => {
        const out: Array<Array<CaseEvent>> = []
        for (const e of h) {
          const last = out[out.length - 1]
          const prev = last?.[last.length - 1]
          if (last !== undefined && prev !== undefined && prev.at.epochMillis === e.at.epochMillis)
            last.push(e)
          else out.push([e])
        }
        return out
      })
      const rounds = groups.reduce((most, g) => Math.max(most, g.length), 0)
      const t1 = performance.now()
      let appends = 0
      for (let k = 0; k < rounds; k++) {
        const inputs: Array<CaseRepository.AppendInput> = []
        for (const g of groups) {
          const batch = g[k]
          const first = batch?.[0]
          if (batch === undefined || first === undefined) continue
          const history = g.slice(0, k).flat()
          const after = Case.fold([...history, ...batch])
          if (after._tag !== "Case") throw new Error(`${first.caseId}: no case`)
          inputs.push({
            caseId: Case.CaseId.make(first.caseId),
            expectedVersion: history.length,
            events: batch,
            decided: { history, after }
          })
        }
        for (let j = 0; j < inputs.length; j += BATCH) {
          await run(repo.appendAll(inputs.slice(j, j + BATCH)))
          appends += Math.min(BATCH, inputs.length - j)
        }
      }
      const wrote = performance.now() - t1
      console.log(
        `wrote ${N} cases, ${events} events in ${appends} appends: ${(wrote / 1000).toFixed(1)} s (${Math.round((appends / wrote) * 1000)} appends/s; histories played in ${(played / 1000).toFixed(1)} s)`
      )
    }

    // write statistics (before VACUUM: the counters of the writes)
    await new Promise((r) => setTimeout(r, 1500))
    const stats = await run(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) => sql<{ relname: string; ins: string; upd: string; hot: string; del: string }>`
          SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot, n_tup_del AS del
          FROM pg_stat_user_tables WHERE relname LIKE 'cg_%' ORDER BY relname`
      )
    )
    console.log("\nwrites per table (pg_stat_user_tables)")
    console.log(
      `  ${"table".padEnd(32)} ${"inserted".padStart(10)} ${"updated".padStart(10)} ${"HOT".padStart(10)} ${"deleted".padStart(10)}`
    )
    for (const s of stats)
      if (Number(s.ins) + Number(s.upd) + Number(s.del) > 0)
        console.log(
          `  ${s.relname.padEnd(32)} ${s.ins.padStart(10)} ${s.upd.padStart(10)} ${s.hot.padStart(10)} ${s.del.padStart(10)}`
        )

    await run(Effect.flatMap(SqlClient.SqlClient, (sql) => sql`VACUUM ANALYZE`))
    const sizes = await run(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) => sql<{ relname: string; total: string; heap: string; indexes: string; rows: string }>`
          SELECT c.relname, pg_total_relation_size(c.oid) AS total, pg_relation_size(c.oid) AS heap,
            pg_indexes_size(c.oid) AS indexes, c.reltuples::bigint AS rows
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname LIKE 'cg_%'
          ORDER BY pg_total_relation_size(c.oid) DESC`
      )
    )
    let total = 0
    console.log("\nsize per table after VACUUM ANALYZE (bytes per case = total / cases)")
    console.log(
      `  ${"table".padEnd(32)} ${"rows".padStart(10)} ${"heap MB".padStart(9)} ${"index MB".padStart(9)} ${"total MB".padStart(9)} ${"B/case".padStart(8)}`
    )
    for (const s of sizes) {
      total += Number(s.total)
      if (Number(s.total) < 100_000) continue
      console.log(
        `  ${s.relname.padEnd(32)} ${s.rows.padStart(10)} ${(Number(s.heap) / 1e6).toFixed(1).padStart(9)} ${(Number(s.indexes) / 1e6).toFixed(1).padStart(9)} ${(Number(s.total) / 1e6).toFixed(1).padStart(9)} ${Math.round(
          Number(s.total) / N
        )
          .toString()
          .padStart(8)}`
      )
    }
    console.log(
      `  ${"all cg_ tables".padEnd(32)} ${"".padStart(10)} ${"".padStart(9)} ${"".padStart(9)} ${(total / 1e6).toFixed(1).padStart(9)} ${Math.round(
        total / N
      )
        .toString()
        .padStart(8)}`
    )
    const indexes = await run(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) => sql<{ name: string; size: string }>`
          SELECT indexrelname AS name, pg_relation_size(indexrelid) AS size FROM pg_stat_user_indexes
          WHERE relname = 'cg_cases' ORDER BY 2 DESC`
      )
    )
    console.log(
      `\ncg_cases indexes: ${indexes.map((i) => `${i.name} ${(Number(i.size) / 1e6).toFixed(1)} MB`).join(", ")}`
    )

    // the read paths
    const now = DateTime.unsafeMake(NOW)
    const reads: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, SqlClient.SqlClient>]> = [
      ["list: first page (20)", repo.list({ limit: 20 })],
      ["list: status dispatched", repo.list({ limit: 20, status: ["dispatched"] })],
      ["list: within a street", repo.list({ limit: 20, within: Unit.UnitId.make("S03") })],
      ["list: overdue, by deadline", repo.list({ limit: 20, overdueAt: new Date(NOW), order: "deadline" })],
      ["list: red lights", repo.list({ limit: 20, light: { colors: ["red"], at: new Date(NOW) } })],
      [
        "Open311 GET /requests (category, status, 90 days)",
        repo.list({
          limit: 50,
          categoryId: [categories[0] ?? CategoryId.make("x")],
          status: ["closed", "dispatched"],
          reportedFrom: new Date(NOW - 90 * DAY),
          reportedTo: new Date(NOW)
        })
      ],
      ["board: a street", repo.board(Unit.UnitId.make("S03"), now)],
      ["board: the district", repo.board(Unit.UnitId.make("D"), now)],
      ["dueBefore (scheduler, 100)", repo.dueBefore({ before: now, limit: 100 })],
      [
        "lightsCrossed (last hour)",
        repo.lightsCrossed({ since: DateTime.unsafeMake(NOW - HOUR), until: now, limit: 100 })
      ],
      [
        "indicators: district by month (day sums)",
        SqlIndicators.compute({ within: "D", periods: "month", asOf: now })
      ],
      [
        "indicators: district by month (exact, deltas)",
        SqlIndicators.compute({
          within: "D",
          periods: "month",
          asOf: now,
          options: { attributeBy: "location" }
        })
      ]
    ]
    const measure = async (layout: number) => {
      console.log(`\nread paths at layout ${layout} (${RUNS} runs after a warm-up, ms)`)
      for (const [label, effect] of reads) {
        await run(effect)
        const times: Array<number> = []
        for (let r = 0; r < RUNS; r++) {
          const start = performance.now()
          await run(effect)
          times.push(performance.now() - start)
        }
        console.log(
          `  ${label.padEnd(48)} p50 ${quantile(times, 0.5).toFixed(2).padStart(9)}  p99 ${quantile(times, 0.99).toFixed(2).padStart(9)}`
        )
      }
    }
    await measure(LAYOUT)
    if (THEN_LATEST && LAYOUT < Migrations.latestVersion) {
      const t = performance.now()
      await run(
        Migrator.make({})({ loader: Migrator.fromRecord(Migrations.migrations), table: Migrations.table })
      )
      await run(Effect.flatMap(SqlClient.SqlClient, (sql) => sql`VACUUM ANALYZE cg_cases`))
      console.log(
        `\nmigrated to layout ${Migrations.latestVersion} (and VACUUM ANALYZE cg_cases) in ${((performance.now() - t) / 1000).toFixed(1)} s`
      )
      await measure(Migrations.latestVersion)
    }
  } finally {
    await runtime.dispose()
    if (!KEEP)
      await admin.runPromise(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        )
      )
    else console.log(`kept database ${name}`)
    await admin.dispose()
  }
}

await main()
