/**
 * 规模 — the scheduler's and the board's cost over 1,000,000 cases (issue 16:
 * "the scheduler's and the board's cost at 1,000,000 cases"), on SQLite (a
 * temporary file) and PostgreSQL (`CIVICGRID_PG_URL`: a fresh database,
 * created and dropped here; skipped without it).
 *
 * **The district.** LevelScheme.FiveLevel: 1 district, 10 streets, 300
 * communities, 900 compounds, 9,000 buildings, saved through
 * `SqlHierarchyRepository` (so `cg_units.path` is the repository's own).
 *
 * **The read model, in bulk.** Appending a million cases through the use
 * cases would take hours; the measured queries read only `cg_cases` (and
 * `cg_case_events` for the board's escalations of the day). So a handful of
 * template histories are played through `Case.execute` and turned into rows
 * with the store's own `caseRow` (`CaseRepository.summarize` with the time
 * limits: deadline, yellow and red instants), and the million rows are one
 * `INSERT … SELECT` of a series (`generate_series` on PostgreSQL, a recursive
 * CTE on SQLite) joined with the templates and the 9,000 buildings: each row
 * takes its template's columns, its instants shifted to its report time, and
 * the location, community, owner and `unit_path` of its building (the path of
 * the building in `cg_units`, as `CaseRepository.casePath` records it). Mix:
 * 70 % closed after dispatch, handling and verification, 8 % self-handled,
 * 6 % rejected (all reported 20 … 365 days ago), 10 % open and dispatched
 * and 3 % reported and not yet accepted (within their limits: green or
 * yellow), 3 % open and overdue (red) — at the district tier: escalated as
 * far as it goes, as the scheduler leaves them, so they are no candidates.
 * These rows have no events (only the read model is queried for them).
 *
 * **The due cases are real.** `EscalationService.escalateDue` loads each
 * candidate's events, folds, decides and appends; so the ~1,000 due cases of
 * each tick are real histories (reported three days before `now` and
 * accepted at a community), appended through `SqlCaseRepository.appendAll`
 * before the tick (untimed). Each timed tick escalates its own fresh 1,000
 * (the previous ticks' are at the street tier with a deadline after `now`).
 *
 * **Measures** (median and p95 of several runs, after a warm-up), each
 * printed with its ratio to two baselines measured in the same run: a plain
 * `SELECT count(*) FROM cg_cases` and a primary-key lookup. Also printed:
 * PostgreSQL's `EXPLAIN ANALYZE` (SQLite's `EXPLAIN QUERY PLAN`) of the
 * board's and `dueBefore`'s statements (restated here as the store writes
 * them), to show which indexes they use.
 *
 * **Proposed indexes.** Then, in the bench database only (the migrations are
 * not changed), the indexes this bench proposes — the open cases by deadline
 * (`(deadline, case_id) WHERE status IN <open statuses>`, partial: closed
 * rows keep their last deadline, so the plain `cg_cases_deadline` walks every
 * closed case before `now`) and closings by instant (`(closed_at)`, the
 * board's "closed today") — and every measure again, with the plans.
 *
 * Run: `CIVICGRID_PG_URL=postgres://… npm run bench:scale --workspace=@civicgrid/sql`
 * (not part of the plain `npm run bench`: about eleven minutes for both databases).
 *
 * The calendar is `WorkingCalendar.china()` plus plain years 2027 … 2030 (no
 * holidays), so a bench run near a year's end does not fail with
 * `YearNotLoaded`. Template instants shifted by arbitrary amounts are not
 * re-judged on the calendar: as figures they are synthetic, as rows they are
 * what the store keeps.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as EscalationService from "@civicgrid/core/EscalationService"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import type { Tier } from "@civicgrid/core/Tier"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { results } from "@civicgrid/testkit/Bench"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { caseColumns, caseRow, prefixUpperBound, type SqlRow } from "../src/internal/caseRows.js"
import * as Migrations from "../src/Migrations.js"
import * as SqlHierarchyRepository from "../src/SqlHierarchyRepository.js"
import * as SqlRepositories from "../src/SqlRepositories.js"

const N = 1_000_000
const DUE = 1_000
const STREETS = 10
const COMMUNITIES_PER_STREET = 30
const COMPOUNDS = 3
const BUILDINGS = 10
const RUNS = 15
const TICK_RUNS = 3
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** `now` of every measure: the wall clock when the bench starts, to the minute. */
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE

const calendar = [2027, 2028, 2029, 2030].reduce(
  (c, year) =>
    WorkingCalendar.loadedYears(c).includes(year)
      ? c
      : Either.getOrThrow(WorkingCalendar.withYear(c, year, { holidays: [], workdays: [] })),
  WorkingCalendar.china()
)
const timeLimits: CaseRepository.TimeLimits = { policy: TimeLimit.defaultPolicy, calendar }
const openStatuses = Case.statuses.filter((s) => !CaseRepository.notOpenStatuses.includes(s))

// -----------------------------------------------------------------------------
// the district
// -----------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, "0")

interface Building {
  readonly id: string
  readonly community: string
  readonly street: string
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
      for (let p = 0; p < COMPOUNDS; p++) {
        const compound = `${community}-P${p}`
        units.push(Unit.make({ id: compound, parentId: community, level: "compound", name: `小区${p}` }))
        for (let b = 0; b < BUILDINGS; b++) {
          const id = `${compound}-B${b}`
          units.push(Unit.make({ id, parentId: compound, level: "building", name: `${b + 1}栋` }))
          buildings.push({ id, community, street })
        }
      }
    }
  }
  return { units, buildings }
}

// -----------------------------------------------------------------------------
// histories through Case.execute
// -----------------------------------------------------------------------------

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

type Step = (c: Case.Case, caseId: Case.CaseId, at: DateTime.Utc) => CaseCommand

/** Plays a report and then the steps (minutes after the previous one); the events and the state. */
const play = (
  caseId: string,
  building: Building,
  reportedAt: number,
  steps: ReadonlyArray<readonly [minutes: number, Step]>,
  selfHandled = false
): { readonly events: ReadonlyArray<CaseEvent>; readonly state: Case.Case } => {
  const id = Case.CaseId.make(caseId)
  const community = Unit.UnitId.make(building.community)
  const fields = {
    caseId: id,
    at: DateTime.unsafeMake(reportedAt),
    source: "patrol" as const,
    categoryId: CategoryId.make("市容环境.暴露垃圾"),
    urgency: "normal" as const,
    description: "楼道堆放杂物",
    location: { unitId: Unit.UnitId.make(building.id) },
    communityId: community,
    tier: "community" as Tier,
    anonymous: false
  }
  const reporter: Actor = { id: ActorId.make("gw"), role: "grid-worker", unitId: community }
  const first: CaseCommand = selfHandled
    ? { _tag: "SelfHandle", actor: reporter, ...fields, result: "已当场解决", evidence: ["photo://0.jpg"] }
    : { _tag: "Report", actor: reporter, ...fields }
  let result = Case.execute(Case.initial, first)
  if (Either.isLeft(result)) throw new Error(`${caseId}: ${String(result.left)}`)
  let state = result.right.state
  const events: Array<CaseEvent> = [...result.right.events]
  let now = reportedAt
  for (const [minutes, step] of steps) {
    now += minutes * MINUTE
    if (state._tag !== "Case") break
    result = Case.execute(state, step(state, id, DateTime.unsafeMake(now)))
    if (Either.isLeft(result)) throw new Error(`${caseId}: ${String(result.left)}`)
    state = result.right.state
    events.push(...result.right.events)
  }
  if (state._tag !== "Case") throw new Error(`${caseId}: no case`)
  return { events, state }
}

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

/**
 * A template: a kind of case, its share (per cent), and how its report time
 * is chosen: `now - lo - (hash % span)`; `span` 0 means "within the template's
 * red mark" (so the case is green or yellow at `now`).
 */
interface Template {
  readonly name: string
  readonly weight: number
  readonly lo: number
  readonly span: number
  readonly selfHandled?: boolean
  readonly steps: ReadonlyArray<readonly [number, Step]>
}

const templates: ReadonlyArray<Template> = [
  {
    name: "closed",
    weight: 70,
    lo: 20 * DAY,
    span: 345 * DAY,
    steps: [
      [30, accept],
      [60, dispatch],
      [24 * 60, handle],
      [4 * 60, verify]
    ]
  },
  { name: "self-handled", weight: 8, lo: 20 * DAY, span: 345 * DAY, selfHandled: true, steps: [] },
  { name: "rejected", weight: 6, lo: 20 * DAY, span: 345 * DAY, steps: [[60, reject]] },
  {
    name: "open, dispatched",
    weight: 10,
    lo: 0,
    span: 0,
    steps: [
      [30, accept],
      [60, dispatch]
    ]
  },
  { name: "open, reported", weight: 3, lo: 0, span: 0, steps: [] },
  {
    name: "open, overdue, at the district",
    weight: 3,
    lo: 0,
    span: 60 * DAY,
    steps: [
      [30, accept],
      [60, escalateTo("S00")],
      [60, escalateTo("D")],
      [60, dispatch]
    ]
  }
]

const INSTANTS = new Set([
  "step_started_at",
  "deadline",
  "yellow_at",
  "red_at",
  "reported_at",
  "closed_at",
  "updated_at",
  "commented_at",
  "supervised_at"
])
const LOCATED = new Set(["case_id", "owner_unit_id", "community_id", "unit_id", "unit_path"])

/** The template rows (instants as offsets from the report) and the slot table (100 slots by weight). */
const templateRows = (first: Building) => {
  const T = NOW - 40 * DAY
  const rows: Array<SqlRow> = []
  const slots: Array<SqlRow> = []
  templates.forEach((t, k) => {
    const { state } = play(`tpl-${k}`, first, T, t.steps, t.selfHandled)
    const row = caseRow(state, "/", timeLimits)
    const out: { [c: string]: string | number | null } = { template: k }
    for (const c of caseColumns) {
      if (LOCATED.has(c)) continue
      const v = row[c] ?? null
      out[c] = INSTANTS.has(c) && typeof v === "number" ? v - T : v
    }
    rows.push(out)
    const red = out["red_at"]
    const deadline = out["deadline"]
    // the first of the deadline and the red mark (offsets from the report), when the case has a clock
    const limit = Math.min(
      typeof red === "number" ? red : Number.POSITIVE_INFINITY,
      typeof deadline === "number" ? deadline : Number.POSITIVE_INFINITY
    )
    const bounded = Number.isFinite(limit) ? limit : DAY
    // open within the limits: reported less than 90 % of the way to its deadline before now (not due);
    // overdue: reported an hour to 60 days more than its limits before now
    const lo =
      t.span === 0
        ? 0
        : t.name.startsWith("open, overdue")
          ? Math.max(bounded, typeof red === "number" ? red : 0) + HOUR
          : t.lo
    const span = t.span === 0 ? Math.max(MINUTE, Math.floor(0.9 * bounded)) : t.span
    for (let i = 0; i < t.weight; i++) slots.push({ slot: slots.length, template: k, lo, span })
    console.log(
      `  template ${t.name.padEnd(32)} ${String(t.weight).padStart(3)} %  status ${state.status}, tier ${state.tier}, red ${typeof red === "number" ? `${(red / HOUR).toFixed(1)} h after report` : "none"}`
    )
  })
  if (slots.length !== 100) throw new Error(`weights add up to ${slots.length}`)
  return { rows, slots }
}

// -----------------------------------------------------------------------------
// loading
// -----------------------------------------------------------------------------

const chunked = <A>(xs: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let k = 0; k < xs.length; k += size) out.push(xs.slice(k, k + size))
  return out
}

const load = (world: ReturnType<typeof district>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* Migrations.run
    const hierarchy = yield* SqlHierarchyRepository.make
    yield* hierarchy.save(LevelScheme.FiveLevel, world.units).pipe(Effect.orDie)
    const paths = new Map(
      (yield* sql<{ readonly id: string; readonly path: string }>`SELECT id, path FROM cg_units`).map((r) => [
        r.id,
        r.path
      ])
    )
    const first = world.buildings[0]
    if (first === undefined) throw new Error("no building")
    const tpl = templateRows(first)
    const templateColumns = caseColumns.filter((c) => !LOCATED.has(c))
    const typeOf = (c: string) =>
      INSTANTS.has(c) || c === "version" || c === "supervisions" ? "BIGINT" : "TEXT"
    yield* sql.unsafe(
      `CREATE TABLE bench_templates (template INTEGER PRIMARY KEY, ${templateColumns.map((c) => `${c} ${typeOf(c)}`).join(", ")})`
    )
    yield* sql`INSERT INTO bench_templates ${sql.insert(tpl.rows)}`
    yield* sql.unsafe(
      "CREATE TABLE bench_slots (slot INTEGER PRIMARY KEY, template INTEGER, lo BIGINT, span BIGINT)"
    )
    yield* sql`INSERT INTO bench_slots ${sql.insert(tpl.slots)}`
    yield* sql.unsafe(
      "CREATE TABLE bench_locations (k INTEGER PRIMARY KEY, unit_id TEXT, community_id TEXT, street_id TEXT, unit_path TEXT)"
    )
    const locations = world.buildings.map((b, k) => ({
      k,
      unit_id: b.id,
      community_id: b.community,
      street_id: b.street,
      unit_path: paths.get(b.id) ?? ""
    }))
    for (const chunk of chunked(locations, 500)) yield* sql`INSERT INTO bench_locations ${sql.insert(chunk)}`
    const L = locations.length
    const series = sql.onDialectOrElse({
      pg: () => `SELECT g::bigint AS g FROM generate_series(1, ${N}) AS g`,
      orElse: () =>
        `WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ${N}) SELECT g FROM s`
    })
    const expressions = caseColumns.map((c) => {
      switch (c) {
        case "case_id":
          return `'bulk-' || x.g`
        case "owner_unit_id":
          return `CASE t.tier WHEN 'community' THEN l.community_id WHEN 'street' THEN l.street_id ELSE 'D' END`
        case "community_id":
        case "unit_id":
        case "unit_path":
          return `l.${c}`
        default:
          return INSTANTS.has(c) ? `t.${c} + x.r` : `t.${c}`
      }
    })
    yield* sql.unsafe(`
      INSERT INTO cg_cases (${caseColumns.join(", ")})
      SELECT ${expressions.join(", ")}
      FROM (SELECT s.g, ${NOW} - b.lo - ((s.g * 2654435761) % b.span) AS r, b.template
            FROM (${series}) s JOIN bench_slots b ON b.slot = s.g % 100) x
      JOIN bench_templates t ON t.template = x.template
      JOIN bench_locations l ON l.k = (x.g * 7919) % ${L}`)
    for (const table of ["bench_templates", "bench_slots", "bench_locations"])
      yield* sql.unsafe(`DROP TABLE ${table}`)
    yield* sql.onDialectOrElse({
      pg: () => sql.unsafe("VACUUM ANALYZE"),
      orElse: () => sql.unsafe("ANALYZE")
    })
    const counted = yield* sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM cg_cases`
    return Number(counted[0]?.n ?? 0)
  })

/** `DUE` real cases, reported three days before `now` and accepted at a community: due for escalation. */
const dueCases = (world: ReturnType<typeof district>, round: number) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    const inputs = []
    for (let i = 0; i < DUE; i++) {
      const building = world.buildings[(i * 97 + round * 13) % world.buildings.length]
      if (building === undefined) continue
      const { events } = play(`due-${round}-${i}`, building, NOW - 3 * DAY - i * MINUTE, [[30, accept]])
      inputs.push({ caseId: Case.CaseId.make(`due-${round}-${i}`), expectedVersion: 0, events })
    }
    for (const chunk of chunked(inputs, 200)) yield* repo.appendAll(chunk).pipe(Effect.orDie)
  })

// -----------------------------------------------------------------------------
// measuring
// -----------------------------------------------------------------------------

interface Stats {
  readonly median: number
  readonly p95: number
  readonly runs: number
}

const statsOf = (samples: ReadonlyArray<number>): Stats => {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0
  const mid = Math.floor(sorted.length / 2)
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
  return { median, p95: at(0.95), runs: sorted.length }
}

const measure = async (
  run: () => Promise<unknown>,
  runs = RUNS,
  setup?: (k: number) => Promise<void>
): Promise<Stats> => {
  const samples: Array<number> = []
  for (let k = 0; k <= runs; k++) {
    if (setup !== undefined) await setup(k)
    global.gc?.()
    const start = performance.now()
    await run()
    if (k > 0) samples.push(performance.now() - start)
  }
  return statsOf(samples)
}

const ms = (x: number) =>
  `${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ms`

const report = (
  db: string,
  title: string,
  s: Stats,
  baselines: { readonly count: Stats; readonly lookup: Stats }
) => {
  console.log(`\n${title} — ${db}`)
  console.log(
    `  civicgrid median ${ms(s.median).padStart(14)}   p95 ${ms(s.p95).padStart(14)}   (${s.runs} runs)`
  )
  console.log(
    `  ratio     ${(s.median / baselines.count.median).toFixed(3)}× the count(*) baseline, ${(s.median / baselines.lookup.median).toFixed(1)}× the primary-key lookup`
  )
  results.push({
    title: `${title} — ${db} (vs count(*))`,
    baselineMs: baselines.count.median,
    subjectMs: s.median,
    ratio: baselines.count.median / s.median,
    targetMet: undefined
  })
}

type Runtime = ManagedRuntime.ManagedRuntime<SqlRepositories.Repositories | SqlClient.SqlClient, never>

const run = async (db: string, runtime: Runtime, world: ReturnType<typeof district>, explain: Explain) => {
  const go = <A, E>(effect: Effect.Effect<A, E, SqlRepositories.Repositories | SqlClient.SqlClient>) =>
    runtime.runPromise(Effect.orDie(effect))
  const now = DateTime.unsafeMake(NOW)
  await go(dueCases(world, 0))
  // baselines
  const count = await measure(() =>
    go(Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT count(*) AS n FROM cg_cases`))
  )
  let probe = 0
  const lookup = await measure(() =>
    go(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) => sql`SELECT * FROM cg_cases WHERE case_id = ${`bulk-${1 + ((probe++ * 7919) % N)}`}`
      )
    )
  )
  console.log(`\nbaselines — ${db}`)
  console.log(
    `  SELECT count(*) FROM cg_cases          median ${ms(count.median).padStart(12)}   p95 ${ms(count.p95)}`
  )
  console.log(
    `  primary-key lookup (SELECT * … = id)   median ${ms(lookup.median).padStart(12)}   p95 ${ms(lookup.p95)}`
  )
  const baselines = { count, lookup }
  const repo = (f: (r: CaseRepository.CaseRepository["Type"]) => Effect.Effect<unknown, unknown>) =>
    go(Effect.flatMap(CaseRepository.CaseRepository, f))

  /** The measured queries and the tick, on the store as it is (`variant` names the indexes). */
  const queries = async (variant: string, round: number) => {
    const tag = variant === "" ? db : `${db}, ${variant}`
    const dueQuery = { before: now, limit: 200, tiers: ["community", "street"] as ReadonlyArray<Tier> }
    let found = 0
    const due = await measure(() =>
      repo((r) => Effect.map(r.dueBefore(dueQuery), (xs) => (found = xs.length)))
    )
    report(
      tag,
      `dueBefore(now, limit 200, tiers community/street), ${DUE} due in ${N.toLocaleString("en-US")}`,
      due,
      baselines
    )
    console.log(`  check     first batch: ${found} candidates`)

    const D = Unit.UnitId.make("D")
    const street = Unit.UnitId.make("S03")
    const community = Unit.UnitId.make("S03-C07")
    let root: CaseRepository.Board | undefined
    for (const [unit, label] of [
      [D, "district root (1,000,000 cases)"],
      [street, "a street (~100,000 cases)"],
      [community, "a community (~3,300 cases)"]
    ] as const) {
      const s = await measure(() =>
        repo((r) =>
          Effect.map(r.board(unit, now), (b) => {
            if (unit === D) root = b
            return b
          })
        )
      )
      report(tag, `board(${unit}) — ${label}`, s, baselines)
    }
    if (root !== undefined) console.log(`  check     district board: ${JSON.stringify(root).slice(0, 300)}`)

    let red = 0
    const list = await measure(() =>
      repo((r) =>
        Effect.map(
          r.list({ light: { colors: ["red"], at: new Date(NOW) }, order: "deadline" }),
          (page) => (red = page.items.length)
        )
      )
    )
    report(tag, "list({ light: red, order: deadline }) first page (50)", list, baselines)
    console.log(`  check     first page: ${red} cases`)

    await explain(go, variant === "" ? undefined : ["dueBefore", "list", "closed today (district"])
    // one full scheduler tick on 1,000 due cases; each run's cases appended before it, untimed
    const outcomes: Array<string> = []
    const tick = await measure(
      () =>
        go(
          Effect.map(EscalationService.escalateDue(now, { timeLimits }), (o) => {
            outcomes.push(
              `${o.escalated.length} escalated, ${o.notDue.length} not due, ${o.skipped.length} skipped, ${o.deferred.length} deferred`
            )
          })
        ),
      TICK_RUNS,
      async (k) => {
        if (k > 0) await go(dueCases(world, round + k))
      }
    )
    report(tag, `EscalationService.escalateDue — one tick, ${DUE} due cases`, tick, baselines)
    console.log(`  check     outcomes: ${outcomes.join("; ")}`)
    console.log(`  (${(tick.median / DUE).toFixed(2)} ms per escalated case)`)
  }
  await queries("", 0)
  // the indexes this bench proposes (not in the migrations): the open cases by deadline, and closings by instant
  await go(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.all(
        [
          sql.unsafe(
            `CREATE INDEX bench_cases_open_deadline ON cg_cases (deadline, case_id) WHERE status IN (${openStatuses.map((s) => `'${s}'`).join(", ")})`
          ),
          sql.unsafe("CREATE INDEX bench_cases_closed ON cg_cases (closed_at)"),
          sql.unsafe("ANALYZE")
        ],
        { discard: true }
      )
    )
  )
  await go(dueCases(world, 100))
  await queries("with the proposed indexes", 100)
}

// -----------------------------------------------------------------------------
// the plans
// -----------------------------------------------------------------------------

type Go = <A, E>(
  effect: Effect.Effect<A, E, SqlRepositories.Repositories | SqlClient.SqlClient>
) => Promise<A>

type Explain = (go: Go, only?: ReadonlyArray<string>) => Promise<void>

/** The statements of `board` and `dueBefore`, restated as SqlCaseRepository writes them (values inlined). */
const statements = async (
  go: Go,
  only?: ReadonlyArray<string>
): Promise<ReadonlyArray<readonly [string, string]>> => {
  const rows = await go(
    Effect.flatMap(
      SqlClient.SqlClient,
      (sql) => sql<{ readonly path: string }>`SELECT path FROM cg_units WHERE id = 'S03'`
    )
  )
  const prefix = rows[0]?.path ?? "/D/S03/"
  const upper = prefixUpperBound(prefix)
  const within = `(unit_path >= '${prefix}' AND unit_path < '${upper}')`
  const open = `status IN (${openStatuses.map((s) => `'${s}'`).join(", ")})`
  const day = CaseRepository.boardDay(DateTime.unsafeMake(NOW))
  const all: ReadonlyArray<readonly [string, string]> = [
    [
      "board cells (street S03)",
      `SELECT status, CASE WHEN yellow_at IS NULL OR red_at IS NULL THEN 'none' WHEN red_at <= ${NOW} THEN 'red' WHEN yellow_at <= ${NOW} THEN 'yellow' ELSE 'green' END AS light, COUNT(*) AS n FROM cg_cases WHERE ${within} AND ${open} GROUP BY 1, 2`
    ],
    [
      "board overdue (street S03)",
      `SELECT tier, COUNT(*) AS n FROM cg_cases WHERE ${within} AND ${open} AND red_at <= ${NOW} AND yellow_at IS NOT NULL GROUP BY tier`
    ],
    [
      "board closed today (street S03)",
      `SELECT COUNT(*) AS n FROM cg_cases WHERE ${within} AND closed_at >= ${day.from} AND closed_at < ${day.to}`
    ],
    [
      "board escalated today (street S03)",
      `SELECT COUNT(*) AS n FROM cg_case_events e JOIN cg_cases c ON c.case_id = e.case_id WHERE e.tag = 'Escalated' AND e.at >= ${day.from} AND e.at < ${day.to} AND c.unit_path >= '${prefix}' AND c.unit_path < '${upper}'`
    ],
    [
      "board supervised (street S03)",
      `SELECT COUNT(*) AS n FROM cg_cases WHERE ${within} AND ${open} AND supervisions > 0`
    ],
    [
      "board cells (district root D)",
      `SELECT status, CASE WHEN yellow_at IS NULL OR red_at IS NULL THEN 'none' WHEN red_at <= ${NOW} THEN 'red' WHEN yellow_at <= ${NOW} THEN 'yellow' ELSE 'green' END AS light, COUNT(*) AS n FROM cg_cases WHERE (unit_path >= '/D/' AND unit_path < '${prefixUpperBound("/D/")}') AND ${open} GROUP BY 1, 2`
    ],
    [
      "board closed today (district root D)",
      `SELECT COUNT(*) AS n FROM cg_cases WHERE (unit_path >= '/D/' AND unit_path < '${prefixUpperBound("/D/")}') AND closed_at >= ${day.from} AND closed_at < ${day.to}`
    ],
    [
      "list({ light: red, order: deadline }) first page",
      `SELECT case_id FROM cg_cases WHERE (red_at <= ${NOW}) AND yellow_at IS NOT NULL AND red_at IS NOT NULL AND ${open} AND deadline IS NOT NULL ORDER BY deadline ASC, case_id ASC LIMIT 51`
    ],
    [
      "dueBefore (limit 200, tiers community/street)",
      `SELECT case_id FROM cg_cases WHERE deadline < ${NOW} AND ${open} AND tier IN ('community', 'street') ORDER BY deadline, case_id LIMIT 200`
    ]
  ]
  return only === undefined ? all : all.filter(([name]) => only.some((x) => name.includes(x)))
}

const explainPg: Explain = async (go, only) => {
  for (const [name, statement] of await statements(go, only)) {
    const plan = await go(
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        sql.unsafe<{ readonly "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${statement}`)
      )
    )
    console.log(`\n  EXPLAIN ANALYZE — ${name}`)
    for (const row of plan) console.log(`    ${row["QUERY PLAN"]}`)
  }
}

const explainSqlite: Explain = async (go, only) => {
  for (const [name, statement] of await statements(go, only)) {
    const plan = await go(
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        sql.unsafe<{ readonly detail: string }>(`EXPLAIN QUERY PLAN ${statement}`)
      )
    )
    console.log(`\n  EXPLAIN QUERY PLAN — ${name}`)
    for (const row of plan) console.log(`    ${row.detail}`)
  }
}

// -----------------------------------------------------------------------------
// the databases
// -----------------------------------------------------------------------------

const repositories = SqlRepositories.layer({ timeLimits })

const timed = async <A>(f: () => Promise<A>): Promise<readonly [number, A]> => {
  const start = performance.now()
  const a = await f()
  return [performance.now() - start, a] as const
}

const bench = async (
  db: string,
  client: Layer.Layer<SqlClient.SqlClient>,
  world: ReturnType<typeof district>,
  explain: Explain
) => {
  const loader = ManagedRuntime.make(client)
  try {
    const [t, rows] = await timed(() => loader.runPromise(load(world).pipe(Effect.orDie)))
    console.log(
      `\n  (${db}: ${rows.toLocaleString("en-US")} read-model rows loaded in ${(t / 1000).toFixed(1)} s)`
    )
  } finally {
    await loader.dispose()
  }
  const runtime: Runtime = ManagedRuntime.make(Layer.provideMerge(repositories, client))
  try {
    await run(db, runtime, world, explain)
  } finally {
    await runtime.dispose()
  }
}

const sqliteBench = async (world: ReturnType<typeof district>) => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-bench-"))
  const filename = join(dir, "scale.sqlite")
  try {
    await bench("SQLite file", SqliteClient.layer({ filename }).pipe(Layer.orDie), world, explainSqlite)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const pgBench = async (url: string, world: ReturnType<typeof district>) => {
  const name = `cg_bench_scale_${process.pid}`
  const admin = (statement: string) =>
    Effect.runPromise(
      Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
        Effect.orDie,
        Effect.asVoid
      )
    )
  await admin(`CREATE DATABASE ${name}`)
  const u = new URL(url)
  u.pathname = `/${name}`
  try {
    await bench(
      "PostgreSQL",
      PgClient.layer({ url: Redacted.make(u.toString()) }).pipe(Layer.orDie),
      world,
      explainPg
    )
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

export default async () => {
  const world = district()
  console.log(
    `\n  (scale: ${world.units.length.toLocaleString("en-US")} units, ${(STREETS * COMMUNITIES_PER_STREET).toLocaleString("en-US")} communities, ${world.buildings.length.toLocaleString("en-US")} buildings; now = ${new Date(NOW).toISOString()})`
  )
  const url = process.env["CIVICGRID_PG_URL"]
  if (url === undefined) console.log("\n(PostgreSQL skipped: CIVICGRID_PG_URL is not set)")
  else await pgBench(url, world)
  await sqliteBench(world)
}
