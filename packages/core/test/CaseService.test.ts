/**
 * 案件服务 on the in-memory store (`CaseRepository.layerMemory`): execute =
 * load → decide → append with optimistic concurrency (domain brief §4
 * "Concurrency": two people acting on the same case at once — exactly one
 * wins, the other gets a clear conflict; no event is lost or applied twice),
 * idempotent reports, and the store's read model. The full conformance suite
 * of the port (memory, SQLite, PostgreSQL) lives in @civicgrid/sql.
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
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as CaseService from "../src/CaseService.js"
import * as TimeLimit from "../src/TimeLimit.js"
import { UnitId } from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const DISTRICT = UnitId.make("d-panlong")
const STREET = UnitId.make("s-qingyun")
const JINSHA = UnitId.make("c-jinsha")
const YINSHA = UnitId.make("c-yinsha")
const BUILDING = UnitId.make("b-jinsha-1")
const units = [
  { id: DISTRICT, parentId: null },
  { id: STREET, parentId: DISTRICT },
  { id: JINSHA, parentId: STREET },
  { id: YINSHA, parentId: STREET },
  { id: BUILDING, parentId: JINSHA }
]

const person = (
  id: string,
  role: Actor.Role,
  unitId: UnitId,
  departmentId?: Actor.DepartmentId
): Actor.Actor =>
  departmentId === undefined
    ? { id: Actor.ActorId.make(id), role, unitId }
    : { id: Actor.ActorId.make(id), role, unitId, departmentId }

const CHENGGUAN = Actor.DepartmentId.make("chengguan")
const gridWorker = person("gw", "grid-worker", JINSHA)
const staff = person("cs", "community-staff", JINSHA)
const chengguan = person("cg", "department", DISTRICT, CHENGGUAN)
const hotline = person("hotline", "hotline", DISTRICT)

/** Monday 2024-03-04 09:00 Beijing. */
const T0 = Date.UTC(2024, 2, 4, 1, 0)
const MINUTE = 60_000
const at = (millis: number) => DateTime.unsafeMake(millis)
const id = (caseId: string) => Case.CaseId.make(caseId)

const report = (
  caseId: string,
  millis = T0,
  community: UnitId = JINSHA,
  unit: UnitId = community
): CaseCommand => ({
  _tag: "Report",
  caseId: id(caseId),
  actor: { ...gridWorker, unitId: community },
  at: at(millis),
  source: "patrol",
  categoryId: CategoryId.make("市容环境.暴露垃圾"),
  urgency: "normal",
  description: "楼道堆放杂物",
  location: { unitId: unit },
  communityId: community,
  tier: "community",
  anonymous: false,
  attributes: {}
})
const accept = (caseId: string, millis: number): CaseCommand => ({
  _tag: "Accept",
  caseId: id(caseId),
  actor: staff,
  at: at(millis)
})
const dispatch = (caseId: string, millis: number): CaseCommand => ({
  _tag: "Dispatch",
  caseId: id(caseId),
  actor: staff,
  at: at(millis),
  target: { _tag: "Department", departmentId: CHENGGUAN }
})
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
const unreachable = (caseId: string, millis: number, note: string): CaseCommand => ({
  _tag: "Evaluate",
  caseId: id(caseId),
  actor: hotline,
  at: at(millis),
  rating: "unreachable",
  note
})

/**
 * The in-memory store, with every read followed by a yield: concurrent
 * writers all read the case before any of them appends — the race the brief
 * describes, made deterministic.
 */
const racing = (options: CaseRepository.MemoryOptions = {}) =>
  Layer.effect(
    CaseRepository.CaseRepository,
    Effect.map(CaseRepository.CaseRepository, (inner) => ({
      ...inner,
      events: (caseId: string) => Effect.zipLeft(inner.events(caseId), Effect.yieldNow()),
      findByIdempotencyKey: (key: string) =>
        Effect.zipLeft(inner.findByIdempotencyKey(key), Effect.yieldNow())
    }))
  ).pipe(Layer.provide(CaseRepository.layerMemory({ units, ...options })))

const closed = (caseId: string) =>
  Effect.forEach(
    [
      report(caseId),
      accept(caseId, T0 + MINUTE),
      dispatch(caseId, T0 + 2 * MINUTE),
      handle(caseId, T0 + 3 * MINUTE),
      verify(caseId, T0 + 4 * MINUTE)
    ],
    (command) => CaseService.execute(command),
    { discard: true }
  )

describe("CaseService", () => {
  it.effect("采集上报 → 立案: execute appends the decided events and returns the case they fold to", () =>
    Effect.gen(function* () {
      const reported = yield* CaseService.execute(report("case-1"))
      expect(reported.events.map((e) => e._tag)).toEqual(["Reported"])
      expect(reported.state).toMatchObject({ status: "reported", version: 1 })
      const accepted = yield* CaseService.execute(accept("case-1", T0 + MINUTE))
      expect(accepted.events.map((e) => [e._tag, e.sequence])).toEqual([["Accepted", 2]])
      expect(accepted.state).toMatchObject({ status: "accepted", version: 2 })
      expect(yield* CaseService.load("case-1")).toEqual(accepted.state)
    }).pipe(Effect.provide(CaseRepository.layerMemory()))
  )

  it.effect("a refused command appends nothing and fails with CaseRefused naming the rule", () =>
    Effect.gen(function* () {
      yield* CaseService.execute(report("case-1"))
      const refused = yield* Effect.flip(CaseService.execute(handle("case-1", T0 + MINUTE)))
      expect(refused._tag).toBe("CaseRefused")
      if (refused._tag === "CaseRefused") expect(refused.rule).toBe("status")
      const repo = yield* CaseRepository.CaseRepository
      expect((yield* repo.events("case-1")).length).toBe(1)
    }).pipe(Effect.provide(CaseRepository.layerMemory()))
  )

  it.effect("load: an unknown case is CaseNotFound", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(CaseService.load("no-such-case"))
      expect(missing).toBeInstanceOf(CaseRepository.CaseNotFound)
      expect(missing.message).toContain("no-such-case")
    }).pipe(Effect.provide(CaseRepository.layerMemory()))
  )

  it.effect(
    "并发: two people dispatch the same case at once — exactly one wins, the other gets ConcurrencyConflict",
    () =>
      Effect.gen(function* () {
        yield* CaseService.execute(report("case-1"))
        yield* CaseService.execute(accept("case-1", T0 + MINUTE))
        const [a, b] = yield* Effect.all(
          [
            Effect.either(CaseService.execute(dispatch("case-1", T0 + 2 * MINUTE))),
            Effect.either(CaseService.execute(dispatch("case-1", T0 + 3 * MINUTE)))
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
            CaseService.execute(unreachable("case-1", T0 + 10 * MINUTE, `writer-${k}`)).pipe(
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
        const first = yield* CaseService.execute(report("case-1"), { idempotencyKey: "12345-0001" })
        const retry = yield* CaseService.execute(report("case-2"), { idempotencyKey: "12345-0001" })
        expect([first.replayed, retry.replayed]).toEqual([false, true])
        expect(retry.events).toEqual([])
        expect(retry.state).toEqual(first.state)
        const repo = yield* CaseRepository.CaseRepository
        expect(yield* repo.findByIdempotencyKey("12345-0001")).toEqual(Option.some("case-1"))
        expect(yield* repo.events("case-2")).toEqual([])
        // a key on a command that does not create a case is ignored
        const accepted = yield* CaseService.execute(accept("case-1", T0 + MINUTE), {
          idempotencyKey: "12345-0001"
        })
        expect(accepted.replayed).toBe(false)
      }).pipe(Effect.provide(CaseRepository.layerMemory()))
  )

  it.effect("幂等: racing reports with one key create one case; the losers get the winner's case", () =>
    Effect.gen(function* () {
      const outcomes = yield* Effect.all(
        Array.from({ length: 5 }, (_, k) =>
          CaseService.execute(report(`case-${k}`, T0 + k), { idempotencyKey: "hotline-42" })
        ),
        { concurrency: "unbounded" }
      )
      expect(outcomes.map((o) => o.replayed)).toEqual([false, true, true, true, true])
      expect(new Set(outcomes.map((o) => o.state.id))).toEqual(new Set(["case-0"]))
      const repo = yield* CaseRepository.CaseRepository
      expect((yield* repo.list({})).items.map((s) => s.caseId)).toEqual(["case-0"])
    }).pipe(Effect.provide(racing()))
  )

  it.effect(
    "the read model: summarize(fold(events)), subtree lists by unit path, deadlines from the time limits",
    () =>
      Effect.gen(function* () {
        yield* CaseService.execute(report("in-building", T0, JINSHA, BUILDING))
        yield* CaseService.execute(report("in-yinsha", T0 + 1, YINSHA))
        yield* CaseService.execute(report("elsewhere", T0 + 2, UnitId.make("c-unknown")))
        const repo = yield* CaseRepository.CaseRepository
        const within = (unitId: UnitId) =>
          Effect.map(repo.list({ within: unitId }), (page) => page.items.map((s) => s.caseId))
        expect(yield* within(JINSHA)).toEqual(["in-building"])
        expect(yield* within(STREET)).toEqual(["in-yinsha", "in-building"])
        expect(yield* within(UnitId.make("c-unknown"))).toEqual(["elsewhere"])
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
        expect(overdue.items.map((s) => s.caseId)).toEqual(["elsewhere", "in-yinsha", "in-building"])
      }).pipe(
        Effect.provide(
          CaseRepository.layerMemory({
            units,
            timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }
          })
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
