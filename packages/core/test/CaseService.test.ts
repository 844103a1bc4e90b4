/**
 * 案件服务 — the use cases every entry point shares, on the in-memory stores:
 * report = route (catalogue, hierarchy) → check → decide → append; execute =
 * load → build → referential rules → decide → append with optimistic
 * concurrency (domain brief §4 "Concurrency": two people acting on the same
 * case at once — exactly one wins, the other gets a clear conflict; no event
 * is lost or applied twice), idempotent reports, and the store's read model.
 * The full conformance suite of the port (memory, SQLite, PostgreSQL) lives in
 * @civicgrid/sql.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as CaseService from "../src/CaseService.js"
import * as Department from "../src/Department.js"
import * as DepartmentRepository from "../src/DepartmentRepository.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const UnitId = Unit.UnitId
const DISTRICT = UnitId.make("d-panlong")
const STREET = UnitId.make("s-qingyun")
const STREET2 = UnitId.make("s-baita")
const JINSHA = UnitId.make("c-jinsha")
const YINSHA = UnitId.make("c-yinsha")
const BAITA = UnitId.make("c-baita")
const BUILDING = UnitId.make("b-jinsha-1")
const units = [
  { id: DISTRICT, parentId: null },
  { id: STREET, parentId: DISTRICT },
  { id: STREET2, parentId: DISTRICT },
  { id: JINSHA, parentId: STREET },
  { id: YINSHA, parentId: STREET },
  { id: BAITA, parentId: STREET2 },
  { id: BUILDING, parentId: JINSHA }
]
const levelOf = (id: string) =>
  id.startsWith("d-")
    ? "district"
    : id.startsWith("s-")
      ? "street"
      : id.startsWith("c-")
        ? "community"
        : "building"
const unitRows = units.map((u) =>
  Unit.make({ id: u.id, parentId: u.parentId, level: levelOf(u.id), name: u.id })
)

const person = (
  id: string,
  role: Actor.Role,
  unitId: Unit.UnitId,
  departmentId?: Actor.DepartmentId
): Actor.Actor =>
  departmentId === undefined
    ? { id: Actor.ActorId.make(id), role, unitId }
    : { id: Actor.ActorId.make(id), role, unitId, departmentId }

const CHENGGUAN = Actor.DepartmentId.make("urban-management")
const STREET_TEAM = Actor.DepartmentId.make("baita-enforcement")
const gridWorker = person("gw", "grid-worker", JINSHA)
const staff = person("cs", "community-staff", JINSHA)
const streetStaff = person("ss", "street-staff", STREET)
const districtStaff = person("ds", "district-staff", DISTRICT)
const resident = person("r-1", "resident", BUILDING)
const chengguan = person("cg", "department", DISTRICT, CHENGGUAN)
const hotline = person("hotline", "hotline", DISTRICT)

/** 暴露垃圾 (community tier), 自来水管破裂 (starts at the street tier). */
const GARBAGE = "SJ-0102"
const WATER_MAIN = "SJ-0402"

/** Monday 2024-03-04 09:00 Beijing. */
const T0 = Date.UTC(2024, 2, 4, 1, 0)
const MINUTE = 60_000
const at = (millis: number) => DateTime.unsafeMake(millis)
const id = (caseId: string) => Case.CaseId.make(caseId)

const reportInput = (
  caseId: string,
  millis = T0,
  unit: Unit.UnitId = JINSHA,
  overrides: Partial<CaseService.ReportInput> = {}
): CaseService.ReportInput => ({
  caseId,
  actor: { ...gridWorker, unitId: unit === BUILDING ? JINSHA : unit },
  at: at(millis),
  categoryId: GARBAGE,
  description: "楼道堆放杂物",
  location: { unitId: unit },
  ...overrides
})
const report = (caseId: string, millis = T0, unit: Unit.UnitId = JINSHA) =>
  CaseService.report(reportInput(caseId, millis, unit))

/** Runs a command built without looking at the case. */
const run = (command: CaseCommand, options: { readonly expectedVersion?: number } = {}) =>
  CaseService.execute(command.caseId, () => command, options)

const accept = (caseId: string, millis: number, actor: Actor.Actor = staff): CaseCommand => ({
  _tag: "Accept",
  caseId: id(caseId),
  actor,
  at: at(millis)
})
const dispatchTo = (
  caseId: string,
  millis: number,
  target: Case.DispatchTarget,
  actor: Actor.Actor = staff
): CaseCommand => ({ _tag: "Dispatch", caseId: id(caseId), actor, at: at(millis), target })
const dispatch = (caseId: string, millis: number): CaseCommand =>
  dispatchTo(caseId, millis, { _tag: "Department", departmentId: CHENGGUAN })
const handle = (caseId: string, millis: number): CaseCommand => ({
  _tag: "Handle",
  caseId: id(caseId),
  actor: chengguan,
  at: at(millis),
  result: "已清理",
  evidence: ["photo://after.jpg"]
})
const verify = (caseId: string, millis: number): CaseCommand => ({
  _tag: "Verify",
  caseId: id(caseId),
  actor: staff,
  at: at(millis),
  outcome: "pass"
})
const evaluate = (
  caseId: string,
  millis: number,
  rating: Case.Rating,
  fields: { readonly note?: string; readonly resolved?: boolean } = {}
): CaseCommand => ({
  _tag: "Evaluate",
  caseId: id(caseId),
  actor: hotline,
  at: at(millis),
  rating,
  ...fields
})
const merge = (caseId: string, targetId: string, millis: number): CaseCommand => ({
  _tag: "Merge",
  caseId: id(caseId),
  actor: staff,
  at: at(millis),
  targetId: id(targetId),
  note: "重复上报"
})

/** The stores and settings the use cases run over: the hierarchy above, two departments. */
const stores = (repository: Layer.Layer<CaseRepository.CaseRepository>) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const hierarchies = yield* HierarchyRepository.HierarchyRepository
      yield* hierarchies.save(LevelScheme.FiveLevel, unitRows)
      const departments = yield* DepartmentRepository.DepartmentRepository
      yield* departments.put([
        ...Department.fromStandard(DISTRICT).filter((d) => d.id === CHENGGUAN),
        {
          id: STREET_TEAM,
          name: "白塔街道综合执法队",
          nameEn: "Baita Street Enforcement Team",
          jurisdiction: STREET2
        }
      ])
    }).pipe(Effect.orDie)
  ).pipe(
    Layer.provideMerge(
      Layer.mergeAll(repository, DepartmentRepository.layerMemory, CaseService.layerSettings()).pipe(
        Layer.provideMerge(HierarchyRepository.layerMemory)
      )
    )
  )

const memory = (options: CaseRepository.MemoryOptions = {}) =>
  stores(CaseRepository.layerMemory({ units, ...options }))

/**
 * The in-memory store, with every read followed by a yield: concurrent
 * writers all read the case before any of them appends — the race the brief
 * describes, made deterministic.
 */
const racing = (options: CaseRepository.MemoryOptions = {}) =>
  stores(
    Layer.effect(
      CaseRepository.CaseRepository,
      Effect.map(CaseRepository.CaseRepository, (inner) => ({
        ...inner,
        events: (caseId: string) => Effect.zipLeft(inner.events(caseId), Effect.yieldNow()),
        findByIdempotencyKey: (key: string) =>
          Effect.zipLeft(inner.findByIdempotencyKey(key), Effect.yieldNow())
      }))
    ).pipe(Layer.provide(CaseRepository.layerMemory({ units, ...options })))
  )

const closed = (caseId: string) =>
  Effect.gen(function* () {
    yield* report(caseId)
    yield* Effect.forEach(
      [
        accept(caseId, T0 + MINUTE),
        dispatch(caseId, T0 + 2 * MINUTE),
        handle(caseId, T0 + 3 * MINUTE),
        verify(caseId, T0 + 4 * MINUTE)
      ],
      (command) => run(command),
      { discard: true }
    )
  })

const refusedRule = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (e) => ("rule" in e ? `${e._tag}:${String(e.rule)}` : e._tag))

describe("CaseService", () => {
  it.effect(
    "采集上报 → 立案: report routes and appends; execute returns the state before, the events and the state after",
    () =>
      Effect.gen(function* () {
        const reported = yield* report("case-1")
        expect(reported.events.map((e) => e._tag)).toEqual(["Reported"])
        expect(reported.before).toEqual(Case.initial)
        expect(reported.after).toMatchObject({
          status: "reported",
          version: 1,
          source: "patrol",
          communityId: JINSHA,
          tier: "community",
          urgency: "normal"
        })
        const accepted = yield* run(accept("case-1", T0 + MINUTE))
        expect(accepted.before).toEqual(reported.after)
        expect(accepted.events.map((e) => [e._tag, e.sequence])).toEqual([["Accepted", 2]])
        expect(accepted.after).toMatchObject({ status: "accepted", version: 2 })
        expect(yield* CaseService.load("case-1")).toEqual(accepted.after)
      }).pipe(Effect.provide(memory()))
  )

  it.effect("a refused command appends nothing and fails with CaseRefused naming the rule", () =>
    Effect.gen(function* () {
      yield* report("case-1")
      expect(yield* refusedRule(run(handle("case-1", T0 + MINUTE)))).toBe("CaseRefused:status")
      const repo = yield* CaseRepository.CaseRepository
      expect((yield* repo.events("case-1")).length).toBe(1)
    }).pipe(Effect.provide(memory()))
  )

  it.effect("load and execute: an unknown case is CaseNotFound", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(CaseService.load("no-such-case"))
      expect(missing).toBeInstanceOf(CaseRepository.CaseNotFound)
      expect(missing.message).toContain("no-such-case")
      expect(yield* refusedRule(run(accept("no-such-case", T0)))).toBe("CaseNotFound")
    }).pipe(Effect.provide(memory()))
  )

  describe("placement: one routing for every entry point", () => {
    it.effect(
      "a category outside the catalogue, or a unit outside the hierarchy, is a RoutingFailed naming the field",
      () =>
        Effect.gen(function* () {
          const unknownCategory = yield* Effect.flip(
            CaseService.report(reportInput("x", T0, JINSHA, { categoryId: "XX-9999" }))
          )
          expect(unknownCategory).toMatchObject({
            _tag: "RoutingFailed",
            field: "categoryId",
            rule: "unknown-category"
          })
          const unknownUnit = yield* Effect.flip(
            CaseService.report(reportInput("x", T0, UnitId.make("c-nowhere")))
          )
          expect(unknownUnit).toMatchObject({ _tag: "RoutingFailed", field: "unitId", rule: "unknown-unit" })
          const repo = yield* CaseRepository.CaseRepository
          expect(yield* repo.events("x")).toEqual([])
        }).pipe(Effect.provide(memory()))
    )

    it.effect(
      "自来水管破裂 starts at the street tier, owned by the street above its community, whoever reports it",
      () =>
        Effect.gen(function* () {
          const reported = yield* CaseService.report(
            reportInput("burst", T0, BUILDING, { categoryId: WATER_MAIN, actor: resident })
          )
          expect(reported.after).toMatchObject({
            tier: "street",
            ownerUnitId: STREET,
            communityId: JINSHA,
            source: "resident-app",
            urgency: "urgent"
          })
        }).pipe(Effect.provide(memory()))
    )

    it.effect(
      "a resident files through the app or Open311 — never as 12345 or 信访 — and cannot start a case at the district",
      () =>
        Effect.gen(function* () {
          const as = (source: Case.Source) =>
            refusedRule(CaseService.report(reportInput("r", T0, BUILDING, { actor: resident, source })))
          expect(yield* as("hotline")).toBe("CaseRefused:source")
          expect(yield* as("petition")).toBe("CaseRefused:source")
          expect(
            yield* refusedRule(
              CaseService.report(reportInput("r", T0, BUILDING, { actor: resident, tier: "district" }))
            )
          ).toBe("CaseRefused:start-tier")
          // district staff may start a case at the district tier
          const raised = yield* CaseService.report(
            reportInput("d", T0, BUILDING, { actor: districtStaff, tier: "district" })
          )
          expect(raised.after).toMatchObject({ tier: "district", ownerUnitId: DISTRICT, source: "assigned" })
        }).pipe(Effect.provide(memory()))
    )

    it.effect("staff report only within their jurisdiction", () =>
      Effect.gen(function* () {
        expect(
          yield* refusedRule(CaseService.report(reportInput("j", T0, BAITA, { actor: streetStaff })))
        ).toBe("CaseRefused:jurisdiction")
      }).pipe(Effect.provide(memory()))
    )
  })

  describe("referential rules", () => {
    it.effect(
      "dispatch: to a known unit of the owner's jurisdiction that contains where the case happened, or a registered department serving it",
      () =>
        Effect.gen(function* () {
          yield* report("c", T0, BUILDING)
          yield* run(accept("c", T0 + MINUTE))
          const to = (target: Case.DispatchTarget) =>
            refusedRule(run(dispatchTo("c", T0 + 2 * MINUTE, target)))
          expect(yield* to({ _tag: "Unit", unitId: UnitId.make("b-nowhere") })).toBe(
            "CaseRefused:unknown-unit"
          )
          // a sibling community (not where it happened), the street (above the owner community)
          expect(yield* to({ _tag: "Unit", unitId: YINSHA })).toBe("CaseRefused:dispatch-jurisdiction")
          expect(yield* to({ _tag: "Unit", unitId: STREET })).toBe("CaseRefused:dispatch-jurisdiction")
          expect(yield* to({ _tag: "Department", departmentId: Actor.DepartmentId.make("nobody") })).toBe(
            "CaseRefused:unknown-department"
          )
          expect(yield* to({ _tag: "Department", departmentId: STREET_TEAM })).toBe(
            "CaseRefused:dispatch-jurisdiction"
          )
          const ok = yield* run(dispatchTo("c", T0 + 2 * MINUTE, { _tag: "Unit", unitId: BUILDING }))
          expect(ok.after.dispatchTarget).toEqual({ _tag: "Unit", unitId: BUILDING })
        }).pipe(Effect.provide(memory()))
    )

    it.effect("escalate: only to the next tier's unit above the case's own community", () =>
      Effect.gen(function* () {
        yield* report("c")
        const escalate = (toUnitId: Unit.UnitId, actor: Actor.Actor, millis: number): CaseCommand => ({
          _tag: "Escalate",
          caseId: id("c"),
          actor,
          at: at(millis),
          toUnitId,
          reason: "社区无力处置"
        })
        expect(yield* refusedRule(run(escalate(STREET2, staff, T0 + MINUTE)))).toBe(
          "CaseRefused:escalation-target"
        )
        expect(yield* refusedRule(run(escalate(DISTRICT, staff, T0 + MINUTE)))).toBe(
          "CaseRefused:escalation-target"
        )
        const up = yield* CaseService.execute("c", (ctx) => {
          const target = Option.getOrThrow(ctx.escalationTarget)
          return escalate(target, staff, T0 + MINUTE)
        })
        expect(up.after).toMatchObject({ tier: "street", ownerUnitId: STREET })
        const top = yield* run(escalate(DISTRICT, streetStaff, T0 + 2 * MINUTE))
        expect(top.after).toMatchObject({ tier: "district", ownerUnitId: DISTRICT })
        expect(yield* refusedRule(run(escalate(STREET, districtStaff, T0 + 3 * MINUTE)))).toBe(
          "CaseRefused:escalation-beyond-district"
        )
      }).pipe(Effect.provide(memory()))
    )

    it.effect("merge: only into an existing case that is open and not itself merged", () =>
      Effect.gen(function* () {
        yield* report("dup")
        yield* report("other", T0 + 1)
        yield* closed("done")
        expect(yield* refusedRule(run(merge("dup", "ghost", T0 + 10 * MINUTE)))).toBe(
          "CaseRefused:merge-target"
        )
        expect(yield* refusedRule(run(merge("dup", "done", T0 + 10 * MINUTE)))).toBe(
          "CaseRefused:merge-target"
        )
        yield* run(merge("other", "dup", T0 + 10 * MINUTE))
        // "other" is merged now: nothing merges into it
        expect(yield* refusedRule(run(merge("dup", "other", T0 + 11 * MINUTE)))).toBe(
          "CaseRefused:merge-target"
        )
      }).pipe(Effect.provide(memory()))
    )

    it.effect(
      "merge under concurrency: two cases merged into each other at once — exactly one wins, no cycle",
      () =>
        Effect.gen(function* () {
          yield* report("a")
          yield* report("b", T0 + 1)
          const [ab, ba] = yield* Effect.all(
            [
              Effect.either(run(merge("a", "b", T0 + MINUTE))),
              Effect.either(run(merge("b", "a", T0 + MINUTE)))
            ],
            { concurrency: "unbounded" }
          )
          expect([Either.isRight(ab), Either.isRight(ba)].filter(Boolean)).toHaveLength(1)
          const loser = Either.isLeft(ab) ? ab.left : Either.isLeft(ba) ? ba.left : undefined
          expect(loser?._tag).toBe("ConcurrencyConflict")
          const states = [yield* CaseService.load("a"), yield* CaseService.load("b")]
          expect(states.map((s) => s.status).sort()).toEqual(["merged", "reported"])
        }).pipe(Effect.provide(racing()))
    )
  })

  it.effect(
    "重办: a resident who says the problem is not resolved reopens the case, whatever the rating",
    () =>
      Effect.gen(function* () {
        yield* closed("c")
        yield* run(evaluate("c", T0 + 5 * MINUTE, "satisfied", { resolved: false }))
        const reopened = yield* run({
          _tag: "Reopen",
          caseId: id("c"),
          actor: hotline,
          at: at(T0 + 6 * MINUTE),
          reason: "问题未解决",
          to: "handling"
        })
        expect(reopened.after).toMatchObject({ status: "dispatched", counts: { reopens: 1 } })
        // a satisfied visit that says nothing about resolution does not reopen
        yield* closed("d")
        yield* run(evaluate("d", T0 + 5 * MINUTE, "satisfied"))
        expect(
          yield* refusedRule(
            run({
              _tag: "Reopen",
              caseId: id("d"),
              actor: hotline,
              at: at(T0 + 6 * MINUTE),
              reason: "再办",
              to: "handling"
            })
          )
        ).toBe("CaseRefused:reopen-requires-dissatisfied")
      }).pipe(Effect.provide(memory()))
  )

  it.effect(
    "a stale expectedVersion is a ConcurrencyConflict; the build may refuse before anything is decided",
    () =>
      Effect.gen(function* () {
        yield* report("c")
        const stale = yield* Effect.flip(run(accept("c", T0 + MINUTE), { expectedVersion: 0 }))
        expect(stale).toMatchObject({ _tag: "ConcurrencyConflict", expectedVersion: 0, actualVersion: 1 })
        const hidden = yield* Effect.flip(CaseService.execute("c", () => Effect.fail("not yours" as const)))
        expect(hidden).toBe("not yours")
        const repo = yield* CaseRepository.CaseRepository
        expect((yield* repo.events("c")).length).toBe(1)
      }).pipe(Effect.provide(memory()))
  )

  it.effect(
    "并发: two people dispatch the same case at once — exactly one wins, the other gets ConcurrencyConflict",
    () =>
      Effect.gen(function* () {
        yield* report("case-1")
        yield* run(accept("case-1", T0 + MINUTE))
        const [a, b] = yield* Effect.all(
          [
            Effect.either(run(dispatch("case-1", T0 + 2 * MINUTE))),
            Effect.either(run(dispatch("case-1", T0 + 3 * MINUTE)))
          ],
          { concurrency: "unbounded" }
        )
        expect([Either.isRight(a), Either.isRight(b)]).toEqual([true, false])
        if (Either.isLeft(b)) {
          expect(b.left).toBeInstanceOf(CaseRepository.ConcurrencyConflict)
          expect(b.left).toMatchObject({ caseId: "case-1", expectedVersion: 2, actualVersion: 3 })
          expect(b.left.message).toContain("并发冲突")
        }
        const repo = yield* CaseRepository.CaseRepository
        expect((yield* repo.events("case-1")).map((e) => e.sequence)).toEqual([1, 2, 3])
      }).pipe(Effect.provide(racing()))
  )

  it.effect.prop(
    "no event is lost or applied twice: n racing writers that retry on conflict are each stored exactly once",
    [fc.integer({ min: 2, max: 8 })],
    ([writers]) =>
      Effect.gen(function* () {
        yield* closed("case-1")
        yield* Effect.all(
          Array.from({ length: writers }, (_, k) =>
            run(evaluate("case-1", T0 + 10 * MINUTE, "unreachable", { note: `writer-${k}` })).pipe(
              Effect.retry({ while: (e) => e._tag === "ConcurrencyConflict" })
            )
          ),
          { concurrency: "unbounded" }
        )
        const repo = yield* CaseRepository.CaseRepository
        const events = yield* repo.events("case-1")
        expect(events.map((e) => e.sequence)).toEqual(events.map((_, k) => k + 1))
        const notes = events.flatMap((e) => (e._tag === "Evaluated" && e.note !== undefined ? [e.note] : []))
        expect([...notes].sort()).toEqual(Array.from({ length: writers }, (_, k) => `writer-${k}`).sort())
        expect((yield* repo.summary("case-1")).version).toBe(6 + writers)
      }).pipe(Effect.provide(racing())),
    { fastCheck: { numRuns: 30 } }
  )

  it.effect(
    "幂等: a report retried with the same key is replayed — one case, whatever id the retry carries",
    () =>
      Effect.gen(function* () {
        const first = yield* CaseService.report(reportInput("case-1"), { idempotencyKey: "12345-0001" })
        const retry = yield* CaseService.report(reportInput("case-2"), { idempotencyKey: "12345-0001" })
        expect([first.replayed, retry.replayed]).toEqual([false, true])
        expect(retry.events).toEqual([])
        expect(retry.after).toEqual(first.after)
        const repo = yield* CaseRepository.CaseRepository
        expect(yield* repo.findByIdempotencyKey("12345-0001")).toEqual(Option.some("case-1"))
        expect(yield* repo.events("case-2")).toEqual([])
      }).pipe(Effect.provide(memory()))
  )

  it.effect("幂等: racing reports with one key create one case; the losers get the winner's case", () =>
    Effect.gen(function* () {
      const outcomes = yield* Effect.all(
        Array.from({ length: 5 }, (_, k) =>
          CaseService.report(reportInput(`case-${k}`, T0 + k), { idempotencyKey: "hotline-42" })
        ),
        { concurrency: "unbounded" }
      )
      expect(outcomes.map((o) => o.replayed)).toEqual([false, true, true, true, true])
      expect(new Set(outcomes.map((o) => o.after.id))).toEqual(new Set(["case-0"]))
      const repo = yield* CaseRepository.CaseRepository
      expect((yield* repo.list({})).items.map((s) => s.caseId)).toEqual(["case-0"])
    }).pipe(Effect.provide(racing()))
  )

  it.effect(
    "the read model: summarize(fold(events)), subtree lists by unit path, deadlines from the time limits",
    () =>
      Effect.gen(function* () {
        yield* report("in-building", T0, BUILDING)
        yield* report("in-yinsha", T0 + 1, YINSHA)
        const repo = yield* CaseRepository.CaseRepository
        const within = (unitId: Unit.UnitId) =>
          Effect.map(repo.list({ within: unitId }), (page) => page.items.map((s) => s.caseId))
        expect(yield* within(JINSHA)).toEqual(["in-building"])
        expect(yield* within(STREET)).toEqual(["in-yinsha", "in-building"])
        const state = yield* CaseService.load("in-building")
        const summary = yield* repo.summary("in-building")
        expect(summary).toEqual(
          CaseRepository.summarize(state, {
            policy: TimeLimit.defaultPolicy,
            calendar: WorkingCalendar.china()
          })
        )
        // filing: 1 working hour from 09:00 → 10:00 Beijing
        expect(summary.deadline === null ? null : DateTime.toEpochMillis(summary.deadline)).toBe(
          T0 + 60 * MINUTE
        )
        const overdue = yield* repo.list({ overdueAt: new Date(T0 + 61 * MINUTE) })
        expect(overdue.items.map((s) => s.caseId)).toEqual(["in-yinsha", "in-building"])
      }).pipe(
        Effect.provide(
          memory({ timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() } })
        )
      )
  )

  it("casePath: the unit's path, else under its community, else /<community>/<unit>/ (ids encoded)", () => {
    const paths = CaseRepository.unitPaths(units)
    const pathOf = (u: string) => paths.get(u)
    expect(paths.get(BUILDING)).toBe("/d-panlong/s-qingyun/c-jinsha/b-jinsha-1/")
    expect(CaseRepository.casePath(pathOf, JINSHA, BUILDING)).toBe(
      "/d-panlong/s-qingyun/c-jinsha/b-jinsha-1/"
    )
    expect(CaseRepository.casePath(pathOf, JINSHA, "b-new")).toBe("/d-panlong/s-qingyun/c-jinsha/b-new/")
    expect(CaseRepository.casePath(pathOf, "c-new", "b-new")).toBe("/c-new/b-new/")
    expect(CaseRepository.casePath(pathOf, "c-new", "c-new")).toBe("/c-new/")
    // ids are path segments: "%" and "/" are percent-encoded, so "within" stays "starts with"
    expect(CaseRepository.casePath(pathOf, "c/new", "b%1")).toBe("/c%2Fnew/b%251/")
    expect(CaseRepository.subtreePath(pathOf, "c/new")).toBe("/c%2Fnew/")
  })

  it.prop(
    "cursors round-trip; anything else is refused by planPage",
    [fc.integer({ min: -8_640_000_000_000, max: 8_640_000_000_000 }), fc.string({ minLength: 1 })],
    ([reportedAt, caseId]) => {
      const cursor = CaseRepository.encodeCursor({ reportedAt, caseId })
      expect(CaseRepository.decodeCursor(cursor)).toEqual(Option.some({ reportedAt, caseId }))
      expect(Either.isRight(CaseRepository.planPage({ after: cursor }))).toBe(true)
      expect(Either.isLeft(CaseRepository.planPage({ after: `${cursor}!` }))).toBe(true)
    }
  )
})
