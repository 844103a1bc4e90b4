/**
 * Indicators computed in SQL (issue 5: "a differential property test checks
 * they equal the core's own computation over the same events, on both
 * databases").
 *
 * Case histories are generated as random walks through the case loop, each
 * command built for the right actor and checked by `Case.execute` (so every
 * history is valid), over the fixture hierarchy (district → two streets →
 * four communities, a building) plus a community and a building the
 * hierarchy does not know. The events are appended in pieces, interleaved
 * across cases, through `SqlCaseRepository` (so the indicator tables are
 * kept incrementally, in the append transactions). Then for the district and
 * each street, at several instants `asOf` (the last event, a random instant
 * in the middle of the histories, a month after), with random granularity
 * and options, `SqlIndicators.compute` must equal the core's
 * `Indicator.compute` over the same events — ratio by ratio, numerator and
 * denominator, for every indicator id, in every period — and list the same
 * unjudged cases. The time limits leave 特急 handling without a rule and the
 * calendar knows 2024–2025 only, so some cases are unjudged (NoTimeLimit,
 * YearNotLoaded). Return visits answer 是否解决 (`Evaluate.resolved`) yes, no
 * or not at all, whatever the rating, and a visit answered "not resolved"
 * may reopen the case; queries count per case and per round.
 */
import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId, type Urgency } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as Indicator from "@civicgrid/core/Indicator"
import * as IndicatorProjection from "@civicgrid/core/IndicatorProjection"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Period from "@civicgrid/core/Period"
import type { Tier } from "@civicgrid/core/Tier"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import projectionMigration, { columns as columns0009 } from "../src/migrations/0009_indicator_projection.js"
import dayShardsMigration from "../src/migrations/0023_indicator_day_shards.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqlIndicators from "../src/SqlIndicators.js"
import {
  A,
  accept,
  B_UNKNOWN,
  B1,
  C_UNKNOWN,
  C1,
  C1X,
  C2,
  C3,
  D,
  dispatch,
  freshDatabase,
  handle,
  report,
  S1,
  S2,
  streetOf,
  units
} from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

// -----------------------------------------------------------------------------
// the world
// -----------------------------------------------------------------------------

const hierarchy = Either.getOrThrow(
  Hierarchy.make(
    LevelScheme.FiveLevel,
    units.map((u) => Unit.make({ id: u.id, parentId: u.parentId, level: u.level, name: u.name }))
  )
)

/** The default policy without a rule for 特急 handling: such runs are unjudged (NoTimeLimit). */
const policy: TimeLimit.TimeLimitPolicy = {
  rules: TimeLimit.defaultPolicy.rules.filter((r) => !(r.step === "handling" && r.urgency === "critical"))
}
/** The official calendar of 2024 and 2025 only: deadlines in 2026 are unjudged (YearNotLoaded). */
const calendar: WorkingCalendar.WorkingCalendar = {
  ...WorkingCalendar.china(),
  years: WorkingCalendar.china().years.filter((y) => y.year <= 2025)
}
const timeLimits: CaseRepository.TimeLimits = { policy, calendar }

const communities = [C1, C2, C3, C1X, C_UNKNOWN] as const
const CHENGGUAN = DepartmentId.make("dept-chengguan")
const hotlineActor: Actor = { id: ActorId.make("12345"), role: "hotline", unitId: D }
const staffRole: Readonly<Record<Tier, Actor["role"]>> = {
  community: "community-staff",
  street: "street-staff",
  district: "district-staff"
}
const categories = [CategoryId.make("市容环境.暴露垃圾"), CategoryId.make("园林绿化.树木倒伏")] as const
const urgencies: ReadonlyArray<Urgency> = ["normal", "urgent", "critical"]
const sources = Case.Source.literals

const T0 = Date.UTC(2025, 0, 2, 0, 0)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

// -----------------------------------------------------------------------------
// generated histories (after the core's Indicator.property.test.ts)
// -----------------------------------------------------------------------------

interface Move {
  readonly choice: number
  readonly gap: number
  readonly variant: number
}

interface Spec {
  readonly community: number
  readonly start: number
  readonly source: number
  readonly urgency: number
  readonly category: number
  readonly variant: number
  readonly moves: ReadonlyArray<Move>
  /** Where the history is cut into appends. */
  readonly cuts: ReadonlyArray<number>
}

const move: fc.Arbitrary<Move> = fc.record({
  choice: fc.nat({ max: 1000 }),
  gap: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 120 }) },
    { weight: 3, arbitrary: fc.integer({ min: 120, max: 2_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 12_000 }) }
  ),
  variant: fc.nat({ max: 1000 })
})

const spec: fc.Arbitrary<Spec> = fc.record({
  community: fc.oneof(
    { weight: 12, arbitrary: fc.nat({ max: 3 }) },
    { weight: 1, arbitrary: fc.constant(4) }
  ),
  // most in 2025; some in the last days of December, whose deadlines fall in 2026
  start: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 330 * 24 * 60 }) },
    { weight: 1, arbitrary: fc.integer({ min: 360 * 24 * 60, max: 363 * 24 * 60 }) }
  ),
  source: fc.nat({ max: sources.length - 1 }),
  urgency: fc.nat({ max: urgencies.length - 1 }),
  category: fc.nat({ max: categories.length - 1 }),
  variant: fc.nat({ max: 1000 }),
  moves: fc.array(move, { minLength: 0, maxLength: 18 }),
  cuts: fc.array(fc.nat({ max: 30 }), { maxLength: 3 })
})

const ending: ReadonlySet<Case.CommandTag> = new Set(["Reject", "Void", "Merge"])

const weight = (tag: Case.CommandTag, state: Case.Case): number => {
  if (ending.has(tag)) return 1
  switch (tag) {
    case "Escalate":
      return state.tier === "district" ? 0 : 2
    case "ApproveSuspension":
    case "DenySuspension":
      return state.pendingSuspension === null ? 0 : 10
    case "ApproveExtension":
    case "DenyExtension":
      return state.pendingExtension === null ? 0 : 10
    case "RequestSuspension":
      return state.pendingSuspension === null ? 3 : 0
    case "RequestExtension":
      return state.pendingExtension === null ? 3 : 0
    case "Reopen":
      return state.evaluation?.rating === "dissatisfied" || state.evaluation?.resolved === false ? 10 : 0
    case "Evaluate":
      return state.status === "closed" || state.evaluation?.rating === "unreachable" ? 10 : 0
    default:
      return 10
  }
}

const legalIn = (state: Case.Case): ReadonlyArray<Case.CommandTag> =>
  Case.transitions
    .filter((t) => t.from === state.status)
    .flatMap((t) => Array.from({ length: weight(t.command, state) }, () => t.command))

const staff = (c: Case.Case): Actor => ({
  id: ActorId.make(`staff-${c.ownerUnitId}`),
  role: staffRole[c.tier],
  unitId: c.ownerUnitId
})

const handler = (c: Case.Case): Actor => {
  const target = c.dispatchTarget
  if (target === null) return staff(c)
  return target._tag === "Department"
    ? { id: ActorId.make("dept"), role: "department", unitId: D, departmentId: target.departmentId }
    : { id: ActorId.make(`unit-${target.unitId}`), role: "community-staff", unitId: target.unitId }
}

const command = (
  tag: Case.CommandTag,
  c: Case.Case,
  community: Unit.UnitId,
  at: DateTime.Utc,
  v: number
): CaseCommand => {
  const meta = { caseId: c.id, at }
  switch (tag) {
    case "Report":
    case "SelfHandle":
    case "Accept":
      return { _tag: "Accept", ...meta, actor: staff(c) }
    case "Reject":
      return { _tag: "Reject", ...meta, actor: staff(c), reason: "不属于受理范围" }
    case "Void":
      return { _tag: "Void", ...meta, actor: staff(c), reason: "duplicate", note: "重复上报" }
    case "Dispatch": {
      const targets: ReadonlyArray<Case.DispatchTarget> = [
        { _tag: "Department", departmentId: CHENGGUAN },
        { _tag: "Unit", unitId: community },
        { _tag: "Unit", unitId: B1 },
        { _tag: "Unit", unitId: streetOf[community] ?? D }
      ]
      return {
        _tag: "Dispatch",
        ...meta,
        actor: staff(c),
        target: targets[v % targets.length] ?? { _tag: "Department", departmentId: CHENGGUAN }
      }
    }
    case "Return":
      return { _tag: "Return", ...meta, actor: handler(c), reason: "非本部门职责" }
    case "Handle":
      return { _tag: "Handle", ...meta, actor: handler(c), result: "已处置", evidence: ["photo://1.jpg"] }
    case "Verify":
      return v % 4 === 0
        ? { _tag: "Verify", ...meta, actor: staff(c), outcome: "fail", note: "仍未整改" }
        : { _tag: "Verify", ...meta, actor: staff(c), outcome: "pass" }
    case "Evaluate": {
      // every rating; 是否解决 answered yes, no or not asked on the visits that reach the resident
      const rating = Case.Rating.literals[v % 5] ?? "satisfied"
      const answer = rating === "unreachable" || rating === "refused" ? 0 : Math.floor(v / 5) % 3
      return {
        _tag: "Evaluate",
        ...meta,
        actor: hotlineActor,
        rating,
        ...(answer === 0 ? {} : { resolved: answer === 1 })
      }
    }
    case "Reopen":
      return {
        _tag: "Reopen",
        ...meta,
        actor: hotlineActor,
        reason: "群众不满意",
        to: v % 2 === 0 && c.dispatchTarget !== null ? "handling" : "dispatch"
      }
    case "RequestSuspension":
      return { _tag: "RequestSuspension", ...meta, actor: handler(c), reason: "等待产权单位确认" }
    case "ApproveSuspension":
      return { _tag: "ApproveSuspension", ...meta, actor: staff(c) }
    case "DenySuspension":
      return { _tag: "DenySuspension", ...meta, actor: staff(c), reason: "理由不充分" }
    case "Resume":
      return { _tag: "Resume", ...meta, actor: staff(c) }
    case "RequestExtension":
      return {
        _tag: "RequestExtension",
        ...meta,
        actor: handler(c),
        amount: { amount: 1 + (v % 3), unit: v % 5 === 0 ? "natural-days" : "working-days" },
        reason: "需协调施工单位"
      }
    case "ApproveExtension":
      return { _tag: "ApproveExtension", ...meta, actor: staff(c) }
    case "DenyExtension":
      return { _tag: "DenyExtension", ...meta, actor: staff(c), reason: "不予延期" }
    case "Merge":
      return { _tag: "Merge", ...meta, actor: staff(c), targetId: Case.CaseId.make("case-target") }
    case "Escalate":
      return {
        _tag: "Escalate",
        ...meta,
        actor: staff(c),
        toUnitId: c.tier === "community" ? (streetOf[community] ?? D) : D,
        reason: "需上级协调"
      }
    case "Supervise":
      // supervision changes nothing the indicators count
      return {
        _tag: "Supervise",
        ...meta,
        actor: { id: ActorId.make("district-1"), role: "district-staff", unitId: D },
        level: v % 2 === 0 ? "urge" : "supervise",
        note: "请加快办理"
      }
    case "Comment":
      // comments change nothing the indicators count
      return v % 2 === 0
        ? { _tag: "Comment", ...meta, actor: staff(c), text: "会办备注", visibility: "internal" }
        : {
            _tag: "Comment",
            ...meta,
            actor: hotlineActor,
            text: "群众补充说明",
            visibility: "public",
            media: ["https://example.org/p.jpg"]
          }
  }
}

/** One case's history: a report (or a self-handling), then legal moves, each checked by `Case.execute`. */
const play = (s: Spec, index: number): ReadonlyArray<CaseEvent> => {
  const community = communities[s.community] ?? C1
  const caseId = Case.CaseId.make(`case-${String(index).padStart(3, "0")}`)
  let now = T0 + s.start * MINUTE
  const startTier: Tier = s.variant % 9 === 0 ? "street" : "community"
  const location = s.variant % 4 === 0 ? B1 : s.variant % 7 === 0 ? B_UNKNOWN : community
  const fields = {
    caseId,
    at: DateTime.unsafeMake(now),
    source: sources[s.source] ?? "patrol",
    categoryId: categories[s.category] ?? categories[0],
    urgency: urgencies[s.urgency] ?? "normal",
    description: "楼道堆放杂物",
    location: { unitId: location },
    communityId: community,
    tier: startTier,
    ...(startTier === "street" ? { ownerUnitId: streetOf[community] ?? D } : {}),
    anonymous: false
  }
  // each source filed by a role that files it: the hotline its 12345 cases, a resident through the app or
  // Open311, staff assignments and petitions, a grid worker what it finds on patrol and disputes
  const gridWorker: Actor = { id: ActorId.make("gw"), role: "grid-worker", unitId: community }
  const reporter: Actor =
    fields.source === "hotline"
      ? hotlineActor
      : fields.source === "resident-app" || fields.source === "open311"
        ? { id: ActorId.make("resident"), role: "resident", unitId: community }
        : fields.source === "assigned" || fields.source === "petition"
          ? { id: ActorId.make("cs"), role: "community-staff", unitId: community }
          : gridWorker
  const first: CaseCommand =
    startTier === "community" && s.variant % 5 === 0
      ? {
          _tag: "SelfHandle",
          actor: gridWorker,
          ...fields,
          source: "patrol",
          result: "已当场解决",
          evidence: ["photo://0.jpg"]
        }
      : { _tag: "Report", actor: reporter, ...fields }
  const events: Array<CaseEvent> = []
  let state: Case.State = Case.initial
  const apply = (cmd: CaseCommand): void => {
    const result = Case.execute(state, cmd)
    if (Either.isRight(result)) {
      state = result.right.state
      events.push(...result.right.events)
    }
  }
  apply(first)
  for (const m of s.moves) {
    if (state._tag === "NoCase") break
    now += m.gap * MINUTE
    const legal = legalIn(state)
    const tag = legal[m.choice % Math.max(1, legal.length)]
    if (tag === undefined) break
    apply(command(tag, state, community, DateTime.unsafeMake(now), m.variant))
  }
  return events
}

/** A world: the histories, and the appends that store them (each case in pieces, interleaved). */
interface World {
  readonly events: ReadonlyArray<CaseEvent>
  readonly batches: ReadonlyArray<ReadonlyArray<CaseRepository.AppendInput>>
  readonly first: number
  readonly last: number
}

const worldOf = (specs: ReadonlyArray<Spec>): World => {
  const histories = specs.map(play)
  const pieces = histories.map((events, i) => {
    const cuts = [...new Set((specs[i]?.cuts ?? []).map((c) => 1 + (c % Math.max(1, events.length))))]
      .filter((c) => c < events.length)
      .sort((a, b) => a - b)
    const out: Array<CaseRepository.AppendInput> = []
    let from = 0
    for (const to of [...cuts, events.length]) {
      const part = events.slice(from, to)
      const firstEvent = part[0]
      if (firstEvent !== undefined)
        out.push({ caseId: firstEvent.caseId, expectedVersion: from, events: part })
      from = to
    }
    return out
  })
  const batches: Array<Array<CaseRepository.AppendInput>> = []
  for (let round = 0; ; round++) {
    const batch = pieces.flatMap((p) => {
      const input = p[round]
      return input === undefined ? [] : [input]
    })
    if (batch.length === 0) break
    // a round as one batch, or one append per case
    if (round % 2 === 0) batches.push(batch)
    else for (const input of batch) batches.push([input])
  }
  const events = histories.flat()
  const instants = events.map((e) => e.at.epochMillis)
  return { events, batches, first: Math.min(...instants), last: Math.max(...instants) }
}

/** A world of scripted cases: commands executed in order (each must be accepted), appended one command at a time. */
const scripted = (commands: ReadonlyArray<CaseCommand>): World => {
  const states = new Map<string, Case.State>()
  const events: Array<CaseEvent> = []
  const batches: Array<Array<CaseRepository.AppendInput>> = []
  for (const cmd of commands) {
    const state = states.get(cmd.caseId) ?? Case.initial
    const result = Either.getOrThrow(Case.execute(state, cmd))
    batches.push([
      {
        caseId: cmd.caseId,
        expectedVersion: state._tag === "Case" ? state.version : 0,
        events: result.events
      }
    ])
    states.set(cmd.caseId, result.state)
    events.push(...result.events)
  }
  const instants = events.map((e) => e.at.epochMillis)
  return { events, batches, first: Math.min(...instants), last: Math.max(...instants) }
}

const worlds = fc.array(spec, { minLength: 1, maxLength: 12 }).map(worldOf)

/** A query's varying part: the instant, granularity and options. */
interface Variant {
  readonly asOf: number
  readonly granularity: Period.Granularity
  readonly options: Indicator.Options
}

const variants = fc.record({
  where: fc.double({ min: 0, max: 1, noNaN: true }),
  granularity: fc.constantFrom<Period.Granularity>("day", "week", "month", "quarter"),
  basicWeight: fc.constantFrom(1, 0.9),
  hotline: fc.boolean(),
  location: fc.integer({ min: 0, max: 4 }),
  utc: fc.integer({ min: 0, max: 4 }),
  counting: fc.constantFrom<Indicator.Counting>("case", "round")
})

const variantsOf = (
  world: World,
  v: typeof variants extends fc.Arbitrary<infer A> ? A : never
): ReadonlyArray<Variant> => {
  const options: Indicator.Options = {
    basicWeight: v.basicWeight,
    counting: v.counting,
    ...(v.hotline ? { hotlineSources: ["hotline", "resident-app"] as const } : {}),
    ...(v.location === 0 ? { attributeBy: "location" as const } : {}),
    ...(v.utc === 0 ? { utcOffsetMinutes: 0 } : {})
  }
  const middle = Math.round(world.first + v.where * (world.last - world.first))
  return [
    { asOf: world.last, granularity: v.granularity, options: {} },
    { asOf: middle, granularity: v.granularity, options },
    { asOf: world.last + 30 * DAY, granularity: "month", options }
  ]
}

// -----------------------------------------------------------------------------
// comparing
// -----------------------------------------------------------------------------

const encodeReason = Schema.encodeSync(Schema.Union(TimeLimit.NoTimeLimit, WorkingCalendar.YearNotLoaded))

const comparable = (list: ReadonlyArray<Indicator.Unjudged>) =>
  list.map((x) => ({
    caseId: x.caseId,
    unitId: x.unitId,
    step: x.step,
    reason: encodeReason(x.reason),
    indicators: x.indicators
  }))

const ratios = (m: Indicator.Indicators) =>
  Object.fromEntries(Indicator.ids.map((id) => [id, [m[id].numerator, m[id].denominator]]))

const within = (unitId: string, ancestor: string): boolean =>
  unitId === ancestor ||
  Option.match(Hierarchy.ancestors(hierarchy, unitId), {
    onNone: () => false,
    onSome: (list) => list.some((a) => a.id === ancestor)
  })

/** SqlIndicators for the district and each street equal the core's compute, period by period. */
const check = (world: World, variant: Variant) =>
  Effect.gen(function* () {
    const asOf = DateTime.unsafeMake(variant.asOf)
    const core = Either.getOrThrow(
      Indicator.compute({
        hierarchy,
        timeLimits: policy,
        calendar,
        granularity: variant.granularity,
        asOf,
        options: variant.options,
        events: world.events
      })
    )
    for (const unit of [D, S1, S2]) {
      const got = yield* SqlIndicators.compute({
        within: unit,
        periods: variant.granularity,
        asOf,
        options: variant.options
      })
      const labels = [...new Set([...core.periods.map(Period.label), ...got.periods.map((p) => p.label)])]
      const sqlBy = new Map(got.periods.map((p) => [p.label, p.indicators]))
      const coreBy = new Map(
        core.periods.map((p) => [Period.label(p), Option.getOrElse(core.get(unit, p), () => Indicator.empty)])
      )
      for (const label of labels) {
        const expected = ratios(coreBy.get(label) ?? Indicator.empty)
        const actual = ratios(sqlBy.get(label) ?? Indicator.empty)
        expect({ unit, label, ...actual }).toEqual({ unit, label, ...expected })
      }
      expect(comparable(got.unjudged)).toEqual(
        comparable(core.unjudged.filter((x) => within(x.unitId, unit)))
      )
    }
  })

/** The store under test on a dialect: a fresh database, the case store with time limits, and the client. */
const storeOn = (dialect: (typeof dialects)[number], options: SqlCaseRepository.Options = { timeLimits }) =>
  SqlCaseRepository.layer(options).pipe(Layer.provideMerge(freshDatabase(dialect)))

const appendAll = (batches: World["batches"]) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    for (const batch of batches) yield* repo.appendAll(batch)
  })

/** Empties the case and indicator tables (one database serves every run of a property). */
const clear = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const table of [
    "cg_case_events",
    "cg_outbox",
    "cg_cases",
    "cg_idempotency",
    "cg_case_indicator_deltas",
    "cg_case_indicator_days",
    "cg_case_indicator_unjudged",
    "cg_case_indicator_cases"
  ]) {
    yield* sql`DELETE FROM ${sql(table)}`
  }
}).pipe(Effect.orDie)

describe("SqlIndicators — columns", () => {
  it("the tables of migration 0009 hold exactly the core's stored columns (IndicatorProjection), in order", () => {
    expect([...columns0009]).toEqual([...IndicatorProjection.columnNames])
  })
})

describe.each(dialects)("SqlIndicators on $name", (dialect) => {
  layer(storeOn(dialect), { timeout: 30_000 })("differential", (it) => {
    it.effect.prop(
      "差分: for the district and each street, at any asOf, granularity and options, the SQL indicators equal Indicator.compute over the same events — every ratio's numerator and denominator, and the unjudged cases",
      [worlds, variants],
      ([world, v]) =>
        Effect.gen(function* () {
          yield* clear
          yield* appendAll(world.batches)
          for (const variant of variantsOf(world, v)) yield* check(world, variant)
        }),
      { timeout: 120_000, fastCheck: { numRuns: 12 } }
    )
  })

  // the day sums spread over shards (PostgreSQL; SQLite keeps one): the same figures
  layer(storeOn(dialect, { timeLimits, indicators: { dayShards: 8 } }), { timeout: 30_000 })(
    "differential, day sums in 8 shards",
    (it) => {
      it.effect.prop(
        "差分: with the day sums in 8 shards, the SQL indicators still equal Indicator.compute over the same events",
        [worlds, variants],
        ([world, v]) =>
          Effect.gen(function* () {
            yield* clear
            yield* appendAll(world.batches)
            for (const variant of variantsOf(world, v)) yield* check(world, variant)
          }),
        { timeout: 120_000, fastCheck: { numRuns: 6 } }
      )
    }
  )

  it.effect(
    "挂账: a run whose clock is stopped does not turn late while suspended, and does after it resumes — as in the core at every asOf",
    () =>
      Effect.gen(function* () {
        const id = Case.CaseId.make("suspended")
        const t = Date.UTC(2025, 2, 3, 1, 0) // Monday 09:00 in Beijing
        const at = (minutes: number) => DateTime.unsafeMake(t + minutes * MINUTE)
        const world = scripted([
          report(id, { at: t }),
          accept(id, t + MINUTE),
          dispatch(id, t + 2 * MINUTE),
          {
            _tag: "RequestSuspension",
            caseId: id,
            actor: A.chengguan,
            at: at(3),
            reason: "等待产权单位确认"
          },
          { _tag: "ApproveSuspension", caseId: id, actor: A.communityStaff, at: at(4) },
          { _tag: "Resume", caseId: id, actor: A.communityStaff, at: at(20 * 24 * 60) }
        ])
        // suspended (the resume not yet appended): never late, however long it waits
        yield* appendAll(world.batches.slice(0, 5))
        for (const asOf of [t + 5 * MINUTE, t + 10 * DAY, t + 19 * DAY]) {
          yield* check(world, { asOf, granularity: "month", options: {} })
        }
        const waiting = yield* SqlIndicators.compute({ within: D, periods: "month", asOf: at(400 * 24 * 60) })
        expect(waiting.periods.map((p) => ratios(p.indicators)["on-time-handling"])).toEqual([[0, 0]])
        yield* appendAll(world.batches.slice(5))
        for (const asOf of [t + 10 * DAY, t + 20 * DAY + MINUTE, t + 30 * DAY, t + 200 * DAY]) {
          yield* check(world, { asOf, granularity: "week", options: {} })
        }
        const late = yield* SqlIndicators.compute({
          within: D,
          periods: "quarter",
          asOf: DateTime.unsafeMake(t + 200 * DAY)
        })
        // resumed on day 20 with its 3 working days left, never handled: late at the moved deadline, still in March
        expect(late.periods.map((p) => [p.label, ratios(p.indicators)["on-time-handling"]])).toEqual([
          ["2025-Q1", [0, 1]]
        ])
      }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect(
    "处置率: a run handled after its deadline counts as handled only in the period of its deadline — not when handled on the first day of the next",
    () =>
      Effect.gen(function* () {
        const t = Date.UTC(2025, 2, 26, 1, 0) // Wednesday 2025-03-26 09:00 in Beijing; 3 working days → Monday 03-31
        const world = scripted([
          report("late-handling", { at: t }),
          accept("late-handling", t + MINUTE),
          dispatch("late-handling", t + 2 * MINUTE),
          handle("late-handling", Date.UTC(2025, 2, 31, 16, 30)) // 2025-04-01 00:30 in Beijing
        ])
        yield* appendAll(world.batches)
        const asOf = DateTime.unsafeMake(Date.UTC(2025, 3, 10))
        for (const granularity of ["day", "week", "month"] as const) {
          yield* check(world, { asOf: asOf.epochMillis, granularity, options: {} })
        }
        const byMonth = yield* SqlIndicators.compute({ within: D, periods: "month", asOf })
        const march = byMonth.periods.find((p) => p.label === "2025-03")
        expect(ratios(march?.indicators ?? Indicator.empty)["handling"]).toEqual([0, 1])
        const byWeek = yield* SqlIndicators.compute({ within: D, periods: "week", asOf })
        const week = byWeek.periods.find((p) => p.label === "2025-W14")
        expect(ratios(week?.indicators ?? Indicator.empty)["handling"]).toEqual([1, 1])
      }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect(
    "是否解决: a 满意 return visit where the resident says the problem is not resolved — appended without a defect (was a 500: 未解决 = 重办: 1 ≠ 0); 解决率 1 / 3 (only the visit answered yes), 满意率 2 / 3, 重办率 1 / 3, as in the core",
    () =>
      Effect.gen(function* () {
        const t = Date.UTC(2025, 2, 3, 1, 0) // Monday 09:00 in Beijing
        const visit = (
          id: string,
          rating: Case.Rating,
          resolved: boolean,
          start: number
        ): Array<CaseCommand> => [
          {
            _tag: "Report",
            caseId: Case.CaseId.make(id),
            actor: hotlineActor,
            at: DateTime.unsafeMake(start),
            source: "hotline",
            categoryId: categories[0],
            urgency: "normal",
            description: "楼道堆放杂物",
            location: { unitId: C1 },
            communityId: C1,
            tier: "community",
            anonymous: false
          },
          accept(id, start + MINUTE),
          dispatch(id, start + 2 * MINUTE),
          handle(id, start + 120 * MINUTE),
          {
            _tag: "Verify",
            caseId: Case.CaseId.make(id),
            actor: A.communityStaff,
            at: DateTime.unsafeMake(start + 150 * MINUTE),
            outcome: "pass"
          },
          {
            _tag: "Evaluate",
            caseId: Case.CaseId.make(id),
            actor: hotlineActor,
            at: DateTime.unsafeMake(start + DAY),
            rating,
            resolved
          }
        ]
        const reopen: CaseCommand = {
          _tag: "Reopen",
          caseId: Case.CaseId.make("unresolved-reopened"),
          actor: hotlineActor,
          at: DateTime.unsafeMake(t + DAY + 30 * MINUTE),
          reason: "问题未解决",
          to: "handling"
        }
        const world = scripted([
          ...visit("unresolved", "satisfied", false, t),
          ...visit("unresolved-reopened", "basically-satisfied", false, t + 5 * MINUTE),
          reopen,
          ...visit("resolved", "dissatisfied", true, t + 10 * MINUTE)
        ])
        yield* appendAll(world.batches)
        const asOf = world.last + HOUR
        for (const granularity of ["day", "month"] as const) {
          yield* check(world, { asOf, granularity, options: {} })
          yield* check(world, {
            asOf,
            granularity,
            options: { hotlineSources: ["hotline"], counting: "round" }
          })
        }
        const got = yield* SqlIndicators.compute({
          within: D,
          periods: "month",
          asOf: DateTime.unsafeMake(asOf)
        })
        const march = ratios(got.periods[0]?.indicators ?? Indicator.empty)
        // solved: only "resolved" (the resident's answer wins over the rating); 满意 + 基本满意 = 2 of 3
        expect([march["resolution"], march["satisfaction"], march["reopen"]]).toEqual([
          [1, 3],
          [2, 3],
          [1, 3]
        ])
      }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect(
    "迁移 0009: a database holding cases is marked incomplete by the migration — IndicatorsUnavailable until rebuild, then the core's figures",
    () =>
      Effect.gen(function* () {
        const world = worldOf(
          Array.from({ length: 5 }, (_, i) => ({
            community: i % 4,
            start: 20 * 24 * 60 + i * 613,
            source: i % sources.length,
            urgency: i % 2,
            category: 0,
            variant: i * 7 + 1,
            moves: Array.from({ length: 9 }, (_, k) => ({
              choice: k * 5 + i,
              gap: 45 + k * 40,
              variant: k + i
            })),
            cuts: [3]
          }))
        )
        yield* appendAll(world.batches)
        const asOf = DateTime.unsafeMake(world.last + DAY)
        yield* SqlIndicators.compute({ within: D, periods: "month", asOf })
        // the migration as it runs on a database that already holds cases (then 0023, which
        // recreates the day sums again, as for any database migrated from before 0009)
        yield* Effect.orDie(projectionMigration)
        yield* Effect.orDie(dayShardsMigration)
        const error = yield* Effect.flip(SqlIndicators.compute({ within: D, periods: "month", asOf }))
        expect(error._tag === "IndicatorsUnavailable" ? error.reason : error._tag).toBe("incomplete")
        const rebuilt = yield* SqlIndicators.rebuild(timeLimits)
        expect(rebuilt.cases).toBe(5)
        yield* check(world, { asOf: world.last + DAY, granularity: "month", options: {} })
        yield* check(world, { asOf: world.first + DAY, granularity: "week", options: { counting: "round" } })
      }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect(
    "并发: concurrent appends to cases of one community on one day all land, and the day sums they share add up to the core's figures",
    () =>
      Effect.gen(function* () {
        const world = worldOf(
          Array.from({ length: 12 }, (_, i) => ({
            community: 0,
            start: 50 * 24 * 60 + i,
            source: i % sources.length,
            urgency: 0,
            category: 0,
            variant: 1,
            moves: Array.from({ length: 6 }, (_, k) => ({ choice: k + i, gap: 20 + k, variant: k + i })),
            cuts: [1, 3]
          }))
        )
        const repo = yield* CaseRepository.CaseRepository
        // each case's appends in order, the cases concurrently
        const byCase = new Map<string, Array<CaseRepository.AppendInput>>()
        for (const input of world.batches.flat())
          byCase.set(input.caseId, [...(byCase.get(input.caseId) ?? []), input])
        yield* Effect.forEach(
          [...byCase.values()],
          (inputs) => Effect.forEach(inputs, (input) => repo.append(input), { discard: true }),
          { concurrency: "unbounded", discard: true }
        )
        yield* check(world, { asOf: world.last + DAY, granularity: "day", options: {} })
      }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect("an explicit period range lists every period of it, 'no data' where there is none", () =>
    Effect.gen(function* () {
      const world = worldOf([
        {
          community: 0,
          start: 40 * 24 * 60,
          source: 0,
          urgency: 0,
          category: 0,
          variant: 1,
          moves: [
            { choice: 0, gap: 5, variant: 0 },
            { choice: 0, gap: 5, variant: 0 }
          ],
          cuts: []
        }
      ])
      yield* appendAll(world.batches)
      const from = Period.periodOf(DateTime.unsafeMake(T0), "month")
      const to = Period.shift(from, 3)
      const asOf = DateTime.unsafeMake(world.last + DAY)
      const got = yield* SqlIndicators.compute({ within: D, periods: { from, to }, asOf })
      expect(got.periods.map((p) => p.label)).toEqual(["2025-01", "2025-02", "2025-03", "2025-04"])
      const core = Either.getOrThrow(
        Indicator.measure({
          hierarchy,
          timeLimits: policy,
          calendar,
          granularity: "month",
          asOf,
          events: world.events
        })
      )
      const feb = core.periods.find((p) => p.label === "2025-02")
      expect(feb).toBeDefined()
      expect(ratios(got.periods[1]?.indicators ?? Indicator.empty)).toEqual(
        ratios(feb?.indicators ?? Indicator.empty)
      )
      expect(ratios(got.periods[0]?.indicators ?? Indicator.empty)).toEqual(ratios(Indicator.empty))
    }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect(
    "不可用: a store without time limits marks the tables incomplete — IndicatorsUnavailable until rebuild, then the core's figures",
    () =>
      Effect.gen(function* () {
        const world = worldOf(
          Array.from({ length: 6 }, (_, i) => ({
            community: i % 4,
            start: 10 * 24 * 60 + i * 997,
            source: i % sources.length,
            urgency: i % 2,
            category: 0,
            variant: i * 3 + 1,
            moves: Array.from({ length: 8 }, (_, k) => ({ choice: k * 7 + i, gap: 60 + k * 30, variant: k })),
            cuts: []
          }))
        )
        yield* appendAll(world.batches)
        const asOf = DateTime.unsafeMake(world.last + DAY)
        const error = yield* Effect.flip(SqlIndicators.compute({ within: D, periods: "month", asOf }))
        expect(error).toBeInstanceOf(SqlIndicators.IndicatorsUnavailable)
        if (error._tag === "IndicatorsUnavailable") expect(error.reason).toBe("incomplete")
        const rebuilt = yield* SqlIndicators.rebuild(timeLimits)
        expect(rebuilt.cases).toBe(6)
        yield* check(world, { asOf: world.last + DAY, granularity: "month", options: {} })
        yield* check(world, {
          asOf: world.first + DAY,
          granularity: "week",
          options: { attributeBy: "location" }
        })
      }).pipe(Effect.provide(storeOn(dialect, {})))
  )

  it.effect("closure steps the tables were not kept for, and an unknown unit, are typed errors", () =>
    Effect.gen(function* () {
      const asOf = DateTime.unsafeMake(T0)
      const steps = yield* Effect.flip(
        SqlIndicators.compute({
          within: D,
          periods: "month",
          asOf,
          options: { closureSteps: ["filing", "handling"] }
        })
      )
      expect(steps._tag).toBe("IndicatorsUnavailable")
      if (steps._tag === "IndicatorsUnavailable") expect(steps.reason).toBe("closure-steps")
      const unknown = yield* Effect.flip(
        SqlIndicators.compute({ within: "no-such-unit", periods: "month", asOf })
      )
      expect(unknown._tag).toBe("IndicatorQueryInvalid")
      const options = yield* Effect.flip(
        SqlIndicators.compute({ within: D, periods: "month", asOf, options: { basicWeight: 2 } })
      )
      expect(options._tag).toBe("IndicatorOptionsInvalid")
    }).pipe(Effect.provide(storeOn(dialect)))
  )

  it.effect("rebuild reproduces the tables the appends kept: the same figures before and after", () =>
    Effect.gen(function* () {
      const world = worldOf(
        Array.from({ length: 8 }, (_, i) => ({
          community: i % 4,
          start: 100 * 24 * 60 + i * 541,
          source: i % sources.length,
          urgency: i % 3,
          category: i % 2,
          variant: i * 5 + 2,
          moves: Array.from({ length: 10 }, (_, k) => ({
            choice: k * 13 + i,
            gap: 30 + ((k * 97) % 900),
            variant: k + i
          })),
          cuts: [2, 5]
        }))
      )
      yield* appendAll(world.batches)
      const sql = yield* SqlClient.SqlClient
      const snapshot = () =>
        sql<{ readonly n: unknown; readonly s: unknown }>`
          SELECT COUNT(*) AS n, SUM(accepted + closure_due + handling_due + round_due + filing_due + dispatches + first_closures + visits_valid + hotline_unresolved) AS s FROM cg_case_indicator_days`
      const before = yield* snapshot()
      const asOf = DateTime.unsafeMake(world.last + 3 * DAY)
      const figures = yield* SqlIndicators.compute({ within: D, periods: "week", asOf })
      yield* SqlIndicators.rebuild(timeLimits)
      const again = yield* SqlIndicators.compute({ within: D, periods: "week", asOf })
      expect(again.periods.map((p) => [p.label, ratios(p.indicators)])).toEqual(
        figures.periods.map((p) => [p.label, ratios(p.indicators)])
      )
      const after = yield* snapshot()
      expect(Number(after[0]?.s)).toBe(Number(before[0]?.s))
    }).pipe(Effect.provide(storeOn(dialect)))
  )
})
