/**
 * 考核指标（SQL） — the indicators of a district over 1,000,000 cases (issue
 * 5: "Indicators for a district over 1,000,000 cases: aim under one second on
 * both databases"), monthly periods, judged after the last event.
 *
 * The hierarchy: LevelScheme.FiveLevel, 1 district, 10 streets, 100
 * communities, 1,000 compounds, 8,889 buildings = 10,000 units in `cg_units`.
 *
 * The rows are GENERATED DIRECTLY into the indicator tables with bulk
 * inserts (appending a million cases through `Case.decide` and the store would
 * take far longer than the query): 2,000 template histories are played
 * through `Case.execute` with realistic proportions (15 % self-handled, 6 %
 * rejected / voided / merged, the rest accepted and dispatched — 30 % to a
 * compound — some returned, escalated, suspended, extended, reworked,
 * evaluated, a few reopened, 2 % left open; step durations mostly within
 * their limits, some past them), and their indicator deltas computed exactly
 * as the store does (`Indicator.contributor` + `IndicatorProjection.timeline`,
 * default time limits, China calendar). Each
 * of the 1,000,000 cases takes a template, shifted by a whole number of weeks
 * within 2025, in a community (round robin) and one of its buildings: its
 * deltas are the template's, shifted, with its paths — inserted by one
 * `INSERT … SELECT` join of a case table with the template table (in key
 * order; the secondary indexes dropped during the load and rebuilt after), then the per-day sums by one
 * `INSERT … SELECT … GROUP BY`. (Shifted instants are not re-judged on the
 * calendar: as figures they are synthetic; as rows they are what the store
 * keeps.)
 *
 * - baseline — what a developer writes first: load the district's deltas up
 *   to `asOf` (every row: instants and counts) and add them up in JavaScript,
 *   by period (better-sqlite3 row iteration on SQLite; a cursor on
 *   PostgreSQL). Its figures are checked equal to civicgrid's.
 * - civicgrid — `SqlIndicators.compute({ within: district, periods: "month",
 *   asOf })`: the per-day sums of the district's communities (a path range of
 *   their primary key), the deltas of `asOf`'s day, folded into months.
 *
 * Also printed: the same query for one street, and the exact path without the
 * day sums (`hotlineSources: ["hotline"]`: every delta of the district read
 * and grouped in SQL).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId, type Urgency } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as Indicator from "@civicgrid/core/Indicator"
import * as IndicatorProjection from "@civicgrid/core/IndicatorProjection"
import * as Period from "@civicgrid/core/Period"
import type { Tier } from "@civicgrid/core/Tier"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { compareAsync, figure } from "@civicgrid/testkit/Bench"
import { prng } from "@civicgrid/testkit/Random"
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
import * as Stream from "effect/Stream"
import { DAY_SHIFT, dayOf, VALUES, valueColumns } from "../src/internal/indicatorStore.js"
import * as Migrations from "../src/Migrations.js"
import * as SqlIndicators from "../src/SqlIndicators.js"

const N = 1_000_000
const TEMPLATES = 2_000
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY
const OFFSET_MIN = 480
/** Monday 2025-01-06 09:00 in Beijing: the templates start in its week. */
const BASE = Date.UTC(2025, 0, 6, 1, 0)
const AS_OF = Date.UTC(2026, 0, 20)
const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

// -----------------------------------------------------------------------------
// the hierarchy: 1 + 10 + 100 + 1,000 + 8,889 = 10,000 units
// -----------------------------------------------------------------------------

interface Community {
  readonly id: string
  readonly street: string
  readonly compounds: ReadonlyArray<string>
  readonly buildings: ReadonlyArray<string>
}

const hierarchy = () => {
  const units: Array<{ id: string; parentId: string | null; level: string; name: string }> = [
    { id: "D", parentId: null, level: "district", name: "区" }
  ]
  const communities: Array<Community> = []
  const budget = 8_889
  for (let s = 0; s < 10; s++) {
    const street = `S${s}`
    units.push({ id: street, parentId: "D", level: "street", name: `街道${s}` })
    for (let c = 0; c < 10; c++) {
      const community = `${street}-C${c}`
      units.push({ id: community, parentId: street, level: "community", name: `社区${s}-${c}` })
      const compounds: Array<string> = []
      const buildings: Array<string> = []
      for (let p = 0; p < 10; p++) {
        const compound = `${community}-P${p}`
        compounds.push(compound)
        units.push({ id: compound, parentId: community, level: "compound", name: `小区${p}` })
        const k = s * 100 + c * 10 + p
        const count = Math.floor(((k + 1) * budget) / 1000) - Math.floor((k * budget) / 1000)
        for (let b = 0; b < count; b++) {
          const building = `${compound}-B${b}`
          buildings.push(building)
          units.push({ id: building, parentId: compound, level: "building", name: `${b + 1}栋` })
        }
      }
      communities.push({ id: community, street, compounds, buildings })
    }
  }
  return { units, communities, paths: CaseRepository.unitPaths(units) }
}

// -----------------------------------------------------------------------------
// template histories, through Case.execute
// -----------------------------------------------------------------------------

const categories = [
  CategoryId.make("市容环境.暴露垃圾"),
  CategoryId.make("街面秩序.占道经营"),
  CategoryId.make("园林绿化.树木倒伏")
]
const CHENGGUAN = DepartmentId.make("dept-chengguan")
const TEMPLATE_COMMUNITY = UnitId.make("S0-C0")
const TEMPLATE_COMPOUND = UnitId.make("S0-C0-P0")

const staffOf = (c: Case.Case): Actor => ({
  id: ActorId.make(`staff-${c.ownerUnitId}`),
  role: c.tier === "community" ? "community-staff" : c.tier === "street" ? "street-staff" : "district-staff",
  unitId: c.ownerUnitId
})
const handlerOf = (c: Case.Case): Actor => {
  const target = c.dispatchTarget
  if (target === null || target._tag === "Department") {
    return { id: ActorId.make("dept"), role: "department", unitId: UnitId.make("D"), departmentId: CHENGGUAN }
  }
  return { id: ActorId.make(`unit-${target.unitId}`), role: "community-staff", unitId: target.unitId }
}
const hotline: Actor = { id: ActorId.make("12345"), role: "hotline", unitId: UnitId.make("D") }

/** One realistic history (see the module note), played through `Case.execute`. */
const template = (random: () => number, index: number): ReadonlyArray<CaseEvent> => {
  const caseId = Case.CaseId.make(`t${index}`)
  let now = BASE + Math.floor(random() * 5 * 24 * 60) * MINUTE
  const minutes = (typical: number, late: number) =>
    Math.floor(random() < 0.88 ? 1 + random() * typical : typical + random() * late)
  const events: Array<CaseEvent> = []
  let state: Case.State = Case.initial
  const act = (make: (c: Case.Case, at: DateTime.Utc) => CaseCommand, gap: number): boolean => {
    now += gap * MINUTE
    const c = state
    if (c._tag !== "Case") return false
    const result = Case.execute(c, make(c, DateTime.unsafeMake(now)))
    if (Either.isLeft(result)) return false
    state = result.right.state
    events.push(...result.right.events)
    return true
  }
  const u = random()
  const urgency: Urgency = u < 0.8 ? "normal" : u < 0.95 ? "urgent" : "critical"
  const reporter: Actor = { id: ActorId.make("gw"), role: "grid-worker", unitId: TEMPLATE_COMMUNITY }
  const fields = {
    caseId,
    at: DateTime.unsafeMake(now),
    source: Case.Source.literals[Math.floor(random() * Case.Source.literals.length)] ?? "patrol",
    categoryId: categories[Math.floor(random() * categories.length)] ?? CategoryId.make("x"),
    urgency,
    description: "楼道堆放杂物",
    location: { unitId: TEMPLATE_COMMUNITY },
    communityId: TEMPLATE_COMMUNITY,
    tier: "community" as Tier,
    anonymous: false
  }
  const r = random()
  const first: CaseCommand =
    r < 0.15
      ? { _tag: "SelfHandle", actor: reporter, ...fields, result: "已当场解决", evidence: ["photo://0.jpg"] }
      : { _tag: "Report", actor: reporter, ...fields }
  const start = Case.execute(Case.initial, first)
  if (Either.isLeft(start)) return []
  state = start.right.state
  events.push(...start.right.events)
  const stop = () => random() < 0.004
  if (r >= 0.15) {
    if (r < 0.21) {
      const end = random()
      act(
        (c, at) =>
          end < 0.5
            ? { _tag: "Reject", caseId, actor: staffOf(c), at, reason: "不属于受理范围" }
            : end < 0.8
              ? { _tag: "Void", caseId, actor: staffOf(c), at, reason: "duplicate", note: "重复上报" }
              : { _tag: "Merge", caseId, actor: staffOf(c), at, targetId: Case.CaseId.make("t0") },
        minutes(45, 600)
      )
      return events
    }
    if (stop()) return events
    act((c, at) => ({ _tag: "Accept", caseId, actor: staffOf(c), at }), minutes(45, 600))
    if (random() < 0.06) {
      act(
        (c, at) => ({
          _tag: "Escalate",
          caseId,
          actor: staffOf(c),
          at,
          toUnitId: UnitId.make("S0"),
          reason: "需上级协调"
        }),
        minutes(30, 300)
      )
    }
    for (let round = 0; round < 4; round++) {
      if (stop()) return events
      const toCompound = random() < 0.3
      act(
        (c, at) => ({
          _tag: "Dispatch",
          caseId,
          actor: staffOf(c),
          at,
          target: toCompound
            ? { _tag: "Unit", unitId: TEMPLATE_COMPOUND }
            : { _tag: "Department", departmentId: CHENGGUAN }
        }),
        minutes(40, 300)
      )
      if (random() < 0.05) {
        act(
          (c, at) => ({ _tag: "Return", caseId, actor: handlerOf(c), at, reason: "非本部门职责" }),
          minutes(60, 600)
        )
        continue
      }
      break
    }
    if (random() < 0.04) {
      act(
        (c, at) => ({
          _tag: "RequestSuspension",
          caseId,
          actor: handlerOf(c),
          at,
          reason: "等待产权单位确认"
        }),
        minutes(120, 600)
      )
      act((c, at) => ({ _tag: "ApproveSuspension", caseId, actor: staffOf(c), at }), minutes(60, 300))
      act((c, at) => ({ _tag: "Resume", caseId, actor: staffOf(c), at }), minutes(3 * 24 * 60, 5 * 24 * 60))
    }
    if (random() < 0.05) {
      act(
        (c, at) => ({
          _tag: "RequestExtension",
          caseId,
          actor: handlerOf(c),
          at,
          amount: { amount: 1 + Math.floor(random() * 2), unit: "working-days" },
          reason: "需协调施工单位"
        }),
        minutes(120, 600)
      )
      act((c, at) => ({ _tag: "ApproveExtension", caseId, actor: staffOf(c), at }), minutes(60, 300))
    }
    for (let round = 0; round < 3; round++) {
      if (stop()) return events
      act(
        (c, at) => ({
          _tag: "Handle",
          caseId,
          actor: handlerOf(c),
          at,
          result: "已处置",
          evidence: ["photo://1.jpg"]
        }),
        minutes(2 * 24 * 60, 4 * 24 * 60)
      )
      const fail = random() < 0.08
      act(
        (c, at) =>
          fail
            ? { _tag: "Verify", caseId, actor: staffOf(c), at, outcome: "fail", note: "仍未整改" }
            : { _tag: "Verify", caseId, actor: staffOf(c), at, outcome: "pass" },
        minutes(8 * 60, 24 * 60)
      )
      if (!fail) break
    }
  }
  if (state._tag === "Case" && state.status === "closed" && random() < 0.75) {
    const e = random()
    const rating: Case.Rating =
      e < 0.7
        ? "satisfied"
        : e < 0.85
          ? "basically-satisfied"
          : e < 0.93
            ? "dissatisfied"
            : e < 0.97
              ? "unreachable"
              : "refused"
    act(
      (_, at) => ({ _tag: "Evaluate", caseId, actor: hotline, at, rating }),
      minutes(2 * 24 * 60, 3 * 24 * 60)
    )
    if (rating === "dissatisfied" && random() < 0.5) {
      act(
        (_, at) => ({ _tag: "Reopen", caseId, actor: hotline, at, reason: "群众不满意", to: "handling" }),
        minutes(60, 600)
      )
    }
  }
  return events
}

interface TemplateRow {
  readonly template: number
  readonly source: string
  readonly change: number
  readonly seq: number
  readonly at: number
  readonly alt: number | null
  readonly values: Int32Array
}

const templates = (): { rows: Array<TemplateRow>; perCase: number } => {
  const random = prng(20250101)
  const contributor = Either.getOrThrow(
    Indicator.contributor({
      timeLimits: timeLimits.policy,
      calendar: timeLimits.calendar,
      isLocal: (handler, community) => handler.startsWith(community)
    })
  )
  const rows: Array<TemplateRow> = []
  for (let t = 0; t < TEMPLATES; t++) {
    const events = template(random, t)
    const report = events[0]
    if (report?._tag !== "Reported") continue
    const h = Either.getOrThrow(Indicator.history(events))
    const tl = IndicatorProjection.timeline(contributor, h, Number.NEGATIVE_INFINITY)
    for (const d of tl.deltas) {
      rows.push({
        template: t,
        source: report.source,
        change: d.change,
        seq: d.seq,
        at: d.at,
        alt: d.alt,
        values: d.values
      })
    }
  }
  return { rows, perCase: rows.length / TEMPLATES }
}

// -----------------------------------------------------------------------------
// loading
// -----------------------------------------------------------------------------

const unitRows = (world: ReturnType<typeof hierarchy>) =>
  world.units.map((u) => {
    const path = world.paths.get(u.id) ?? `/${u.id}/`
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

const deltaIndexes = [
  ["cg_case_indicator_deltas_change", "(change_at)"],
  ["cg_case_indicator_deltas_path", "(community_path)"]
] as const

/**
 * Loads the bench database: hierarchy, the template rows, a million cases
 * (template, shift, paths), their deltas by one join, the day sums.
 */
const load = (world: ReturnType<typeof hierarchy>, tpl: ReturnType<typeof templates>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* Migrations.run
    for (const chunk of chunked(unitRows(world), 500)) yield* sql`INSERT INTO cg_units ${sql.insert(chunk)}`
    const values = valueColumns.join(", ")
    yield* sql.unsafe(
      `CREATE TABLE bench_templates (template INTEGER, source TEXT, change_off BIGINT, seq INTEGER, at_off BIGINT, alt_off BIGINT, ${valueColumns.map((c) => `${c} INTEGER`).join(", ")})`
    )
    yield* sql.unsafe(
      "CREATE TABLE bench_cases (i INTEGER, template INTEGER, shift BIGINT, community_path TEXT, location_path TEXT)"
    )
    const templateRows = tpl.rows.map((r) => {
      const row: Record<string, string | number | null> = {
        template: r.template,
        source: r.source,
        change_off: r.change - BASE,
        seq: r.seq,
        at_off: r.at - BASE,
        alt_off: r.alt === null ? null : r.alt - BASE
      }
      valueColumns.forEach((c, i) => {
        row[c] = r.values[i] ?? 0
      })
      return row
    })
    for (const chunk of chunked(templateRows, 400))
      yield* sql`INSERT INTO bench_templates ${sql.insert(chunk)}`
    const random = prng(7)
    const caseRows: Array<Record<string, string | number>> = []
    for (let i = 0; i < N; i++) {
      const community = world.communities[i % world.communities.length]
      if (community === undefined) continue
      const building = community.buildings[Math.floor(random() * community.buildings.length)] ?? community.id
      caseRows.push({
        i,
        template: Math.floor(random() * TEMPLATES),
        shift: Math.floor(random() * 50) * WEEK,
        community_path: world.paths.get(community.id) ?? "",
        location_path: world.paths.get(building) ?? ""
      })
    }
    for (const chunk of chunked(caseRows, 5_000)) yield* sql`INSERT INTO bench_cases ${sql.insert(chunk)}`
    for (const [name] of deltaIndexes) yield* sql.unsafe(`DROP INDEX ${name}`)
    yield* sql.unsafe(`
      INSERT INTO cg_case_indicator_deltas (case_id, change_at, seq, at, alt, community_path, location_path, source, ${values})
      SELECT 'case-' || c.i, t.change_off + c.shift + ${BASE}, t.seq, t.at_off + c.shift + ${BASE},
             CASE WHEN t.alt_off IS NULL THEN NULL ELSE t.alt_off + c.shift + ${BASE} END,
             c.community_path, c.location_path, t.source, ${valueColumns.map((v) => `t.${v}`).join(", ")}
      FROM bench_cases c JOIN bench_templates t ON t.template = c.template
      ORDER BY 1, 2, 3`)
    for (const [name, columns] of deltaIndexes)
      yield* sql.unsafe(`CREATE INDEX ${name} ON cg_case_indicator_deltas ${columns}`)
    const shift = OFFSET_MIN * MINUTE + DAY_SHIFT * DAY
    yield* sql.unsafe(`
      INSERT INTO cg_case_indicator_days (community_path, day, alt_day, change_day, ${values})
      SELECT community_path, (at + ${shift}) / ${DAY}, CASE WHEN alt IS NULL THEN 0 ELSE (alt + ${shift}) / ${DAY} END,
             (change_at + ${shift}) / ${DAY}, ${valueColumns.map((v) => `SUM(${v})`).join(", ")}
      FROM cg_case_indicator_deltas GROUP BY 1, 2, 3, 4`)
    yield* sql.unsafe("DROP TABLE bench_cases")
    yield* sql.unsafe("DROP TABLE bench_templates")
    yield* sql.onDialectOrElse({
      pg: () => sql.unsafe("VACUUM ANALYZE"),
      orElse: () => sql.unsafe("ANALYZE")
    })
    const counted = yield* sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM cg_case_indicator_deltas`
    const days = yield* sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM cg_case_indicator_days`
    return { rows: Number(counted[0]?.n ?? 0), days: Number(days[0]?.n ?? 0) }
  })

const chunked = <A>(xs: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let k = 0; k < xs.length; k += size) out.push(xs.slice(k, k + size))
  return out
}

// -----------------------------------------------------------------------------
// the naive baseline: load the rows, add them up in JavaScript
// -----------------------------------------------------------------------------

/** Adds delta rows (at, alt, values) by month, as a developer would: the period of each row, then the sums. */
class NaiveSums {
  private readonly byLabel = new Map<
    string,
    { period: Period.Period; endDay: number; sums: { all: Float64Array; hotline: Float64Array } }
  >()

  add(at: number, alt: number | null, values: ArrayLike<number>): void {
    const period = Period.periodOf(DateTime.unsafeMake(at), "month", { utcOffsetMinutes: OFFSET_MIN })
    const label = Period.label(period)
    let entry = this.byLabel.get(label)
    if (entry === undefined) {
      entry = {
        period,
        endDay: dayOf(Period.end(period).epochMillis, OFFSET_MIN),
        sums: { all: new Float64Array(VALUES), hotline: new Float64Array(VALUES) }
      }
      this.byLabel.set(label, entry)
    }
    // a row with alt holds conditional numerators: they count when alt lies in the period
    if (alt !== null && dayOf(alt, OFFSET_MIN) >= entry.endDay) return
    const { all, hotline } = entry.sums
    for (let i = 0; i < VALUES; i++) {
      all[i] = (all[i] ?? 0) + (values[i] ?? 0)
      hotline[i] = (hotline[i] ?? 0) + (values[i] ?? 0)
    }
  }

  result(): Array<readonly [string, Indicator.Indicators]> {
    return [...this.byLabel.entries()]
      .sort((a, b) => Period.start(a[1].period).epochMillis - Period.start(b[1].period).epochMillis)
      .map(([label, e]) => [label, IndicatorProjection.indicators(e.sums)] as const)
  }
}

const selectDeltas = `SELECT at, alt, ${valueColumns.join(", ")} FROM cg_case_indicator_deltas
  WHERE community_path >= '/D/' AND community_path < '/D0' AND change_at <= ${AS_OF}`

const fingerprint = (periods: ReadonlyArray<readonly [string, Indicator.Indicators]>): string =>
  JSON.stringify(
    periods.map(([label, m]) => [label, Indicator.ids.map((id) => [m[id].numerator, m[id].denominator])])
  )

const subjectFigures = (r: SqlIndicators.Result) => r.periods.map((p) => [p.label, p.indicators] as const)

// -----------------------------------------------------------------------------
// runs
// -----------------------------------------------------------------------------

const query = (within: string, options?: Indicator.Options) =>
  SqlIndicators.compute({
    within,
    periods: "month",
    asOf: DateTime.unsafeMake(AS_OF),
    ...(options === undefined ? {} : { options })
  }).pipe(Effect.orDie)

const timed = async <A>(f: () => Promise<A>): Promise<readonly [number, A]> => {
  const start = performance.now()
  const a = await f()
  return [performance.now() - start, a] as const
}

const run = async (
  name: string,
  runtime: ManagedRuntime.ManagedRuntime<SqlClient.SqlClient, never>,
  loaded: { readonly rows: number; readonly days: number },
  naive: () => Promise<Array<readonly [string, Indicator.Indicators]>>
) => {
  console.log(
    `\n  (${name}: ${loaded.rows.toLocaleString("en-US")} delta rows, ${(loaded.rows / N).toFixed(2)} per case; ${loaded.days.toLocaleString("en-US")} day-sum rows)`
  )
  let naiveFigures = ""
  let civicFigures = ""
  await compareAsync({
    title: `Indicators, district of 1,000,000 cases (rows generated directly), monthly — ${name}`,
    runs: 5,
    baselineRuns: 1,
    targetMs: 1000,
    baseline: {
      name: "load the district's deltas, add them up in JavaScript",
      setup: async () => undefined,
      run: async () => {
        naiveFigures = fingerprint(await naive())
      }
    },
    subject: {
      name: "SqlIndicators.compute (day sums, GROUP BY in SQL)",
      setup: async () => undefined,
      run: async () => {
        civicFigures = fingerprint(subjectFigures(await runtime.runPromise(query("D"))))
      }
    }
  })
  console.log(
    `  check     baseline and civicgrid figures ${naiveFigures === civicFigures ? "equal" : "DIFFER"}`
  )
  const [street] = await timed(() => runtime.runPromise(query("S3")))
  figure(`Indicators, one street (100,000 cases), monthly — ${name}`, "SqlIndicators.compute", street)
  const [exact] = await timed(() => runtime.runPromise(query("D", { hotlineSources: ["hotline"] })))
  figure(
    `Indicators, district, without the day sums (hotlineSources: ["hotline"]) — ${name}`,
    "SqlIndicators.compute, every delta grouped in SQL",
    exact
  )
}

const sqliteBench = async (world: ReturnType<typeof hierarchy>, tpl: ReturnType<typeof templates>) => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-bench-"))
  const filename = join(dir, "indicators.sqlite")
  const runtime = ManagedRuntime.make(SqliteClient.layer({ filename }).pipe(Layer.orDie))
  try {
    const [ms, loaded] = await timed(() => runtime.runPromise(load(world, tpl).pipe(Effect.orDie)))
    console.log(`\n  (SQLite: loaded in ${(ms / 1000).toFixed(1)} s)`)
    const db = new Database(filename)
    await run("SQLite file", runtime, loaded, async () => {
      const sums = new NaiveSums()
      const statement = db.prepare(selectDeltas).raw(true)
      const values = new Float64Array(VALUES)
      for (const row of statement.iterate()) {
        if (!Array.isArray(row)) continue
        for (let i = 0; i < VALUES; i++) values[i] = Number(row[i + 2] ?? 0)
        sums.add(Number(row[0]), row[1] === null || row[1] === undefined ? null : Number(row[1]), values)
      }
      return sums.result()
    })
    db.close()
  } finally {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

const pgBench = async (
  url: string,
  world: ReturnType<typeof hierarchy>,
  tpl: ReturnType<typeof templates>
) => {
  const name = `cg_bench_indicators_${process.pid}`
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
  const runtime = ManagedRuntime.make(PgClient.layer({ url: Redacted.make(u.toString()) }).pipe(Layer.orDie))
  try {
    const [ms, loaded] = await timed(() => runtime.runPromise(load(world, tpl).pipe(Effect.orDie)))
    console.log(`\n  (PostgreSQL: loaded in ${(ms / 1000).toFixed(1)} s)`)
    await run("PostgreSQL", runtime, loaded, () =>
      runtime.runPromise(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const sums = new NaiveSums()
          const values = new Float64Array(VALUES)
          yield* Stream.runForEach(sql.unsafe<Record<string, unknown>>(selectDeltas).stream, (row) =>
            Effect.sync(() => {
              valueColumns.forEach((c, i) => {
                values[i] = Number(row[c] ?? 0)
              })
              const alt = row["alt"]
              sums.add(Number(row["at"]), alt === null || alt === undefined ? null : Number(alt), values)
            })
          )
          return sums.result()
        }).pipe(Effect.orDie)
      )
    )
  } finally {
    await runtime.dispose()
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

export default async () => {
  const world = hierarchy()
  const [ms, tpl] = await timed(async () => templates())
  console.log(
    `\n  (${TEMPLATES.toLocaleString("en-US")} template histories through Case.execute and the store's timeline in ${(ms / 1000).toFixed(1)} s: ${tpl.perCase.toFixed(2)} delta rows per case)`
  )
  await sqliteBench(world, tpl)
  const url = process.env["CIVICGRID_PG_URL"]
  if (url === undefined) console.log("\n(PostgreSQL skipped: CIVICGRID_PG_URL is not set)")
  else await pgBench(url, world, tpl)
}
