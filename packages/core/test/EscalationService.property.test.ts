/**
 * 超时自动上报（用例） — for random sets of cases and clocks, running the
 * escalation job twice at once (two "instances" sharing the memory stores,
 * every read followed by a yield so that both read before either writes) and
 * once more escalates each due case exactly once: the `Escalated` events per
 * case are what `Escalation.due` on the folded cases says, never doubled.
 * And the scheduler's lease: of instances ticking at once, one runs the job.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import { type Actor, ActorId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as CaseService from "../src/CaseService.js"
import * as DepartmentRepository from "../src/DepartmentRepository.js"
import * as Escalation from "../src/Escalation.js"
import * as EscalationService from "../src/EscalationService.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as Lease from "../src/Lease.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Scheduler from "../src/Scheduler.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const rows = [
  Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道" }),
  Unit.make({ id: "jinsha", parentId: "qingyun", level: "community", name: "金沙社区" }),
  Unit.make({ id: "yinhe", parentId: "qingyun", level: "community", name: "银河社区" })
]
const hierarchy = Either.getOrThrowWith(Hierarchy.make(LevelScheme.FiveLevel, rows), (e) => e.message)
const timeLimits: CaseRepository.TimeLimits = {
  policy: TimeLimit.defaultPolicy,
  calendar: WorkingCalendar.china()
}
const ctx: Escalation.Context = { hierarchy, timeLimits: timeLimits.policy, calendar: timeLimits.calendar }

const person = (id: string, role: Actor["role"], unitId: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unitId)
})

// Monday 2025-04-07 09:00 in Beijing (01:00 UTC)
const T0 = Date.UTC(2025, 3, 7, 1, 0)
const HOUR = 3_600_000
const at = (millis: number): DateTime.Utc => DateTime.unsafeMake(millis)

/** One generated case: where, when (hours after T0), and how far it got (0 reported … 3 closed). */
interface Spec {
  readonly community: "jinsha" | "yinhe"
  readonly reportedAfter: number
  readonly stage: 0 | 1 | 2 | 3
}

const commandsOf = (id: string, spec: Spec): ReadonlyArray<CaseCommand> => {
  const caseId = Case.CaseId.make(id)
  const t = T0 + spec.reportedAfter * HOUR
  const staff = person(`社区-${spec.community}`, "community-staff", spec.community)
  const out: Array<CaseCommand> = [
    {
      _tag: "Report",
      caseId,
      actor: person(`网格员-${spec.community}`, "grid-worker", spec.community),
      at: at(t),
      source: "patrol",
      categoryId: CategoryId.make("SJ-0101"),
      urgency: "normal",
      description: "私搭乱建",
      location: { unitId: Unit.UnitId.make(spec.community) },
      communityId: Unit.UnitId.make(spec.community),
      tier: "community",
      anonymous: false
    }
  ]
  if (spec.stage >= 1) out.push({ _tag: "Accept", caseId, actor: staff, at: at(t + 0.1 * HOUR) })
  if (spec.stage >= 2) {
    out.push({
      _tag: "Dispatch",
      caseId,
      actor: staff,
      at: at(t + 0.2 * HOUR),
      target: { _tag: "Unit", unitId: Unit.UnitId.make(spec.community) }
    })
  }
  if (spec.stage >= 3)
    out.push({ _tag: "Reject", caseId, actor: staff, at: at(t + 0.3 * HOUR), reason: "不属实" })
  return out
}

/** The events of a case decided from its commands (a command the decider refuses is left out). */
const eventsOf = (id: string, spec: Spec): ReadonlyArray<CaseEvent> => {
  let state: Case.State = Case.initial
  const events: Array<CaseEvent> = []
  for (const command of commandsOf(id, spec)) {
    const result = Case.execute(state, command)
    if (Either.isLeft(result)) continue
    state = result.right.state
    events.push(...result.right.events)
  }
  return events
}

/** The oracle: fold every case, escalate what `Escalation.due` lists at each clock in turn. */
const expectedEscalations = (
  histories: ReadonlyArray<ReadonlyArray<CaseEvent>>,
  clocks: ReadonlyArray<DateTime.Utc>
): Map<string, number> => {
  const states = new Map<string, Case.Case>()
  for (const events of histories) {
    const state = Case.fold(events)
    if (state._tag === "Case") states.set(state.id, state)
  }
  const counts = new Map<string, number>([...states.keys()].map((id) => [id, 0]))
  for (const now of clocks) {
    for (const due of Escalation.due(states.values(), now, ctx).due) {
      const state = states.get(due.caseId)
      if (state === undefined) continue
      const result = Case.execute(state, due.command)
      if (Either.isLeft(result) || result.right.state._tag !== "Case") continue
      states.set(due.caseId, result.right.state)
      counts.set(due.caseId, (counts.get(due.caseId) ?? 0) + 1)
    }
  }
  return counts
}

/** The memory stores, every read followed by a yield (concurrent runs interleave at each read). */
const stores = Layer.effectDiscard(
  Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows)).pipe(
    Effect.orDie
  )
).pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      Layer.effect(
        CaseRepository.CaseRepository,
        Effect.map(CaseRepository.CaseRepository, (inner) => ({
          ...inner,
          events: (caseId: string) => Effect.zipLeft(inner.events(caseId), Effect.yieldNow()),
          dueBefore: (query: CaseRepository.DueQuery) =>
            Effect.zipLeft(inner.dueBefore(query), Effect.yieldNow())
        }))
      ).pipe(Layer.provide(CaseRepository.layerMemory({ units: rows, timeLimits }))),
      DepartmentRepository.layerMemory,
      CaseService.layerSettings()
    ).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
  )
)

const spec: fc.Arbitrary<Spec> = fc.record({
  community: fc.constantFrom("jinsha" as const, "yinhe" as const),
  reportedAfter: fc.integer({ min: 0, max: 24 * 20 }),
  stage: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const)
})

describe("EscalationService.escalateDue", () => {
  it.effect.prop(
    "two instances at once, then again: each due case escalated exactly once per clock, as the fold says",
    [
      fc.array(spec, { minLength: 1, maxLength: 10 }),
      fc.array(fc.integer({ min: 0, max: 24 * 60 }), { minLength: 1, maxLength: 3 })
    ],
    ([specs, hours]) =>
      Effect.gen(function* () {
        const repo = yield* CaseRepository.CaseRepository
        const histories = specs.map((s, k) => eventsOf(`CASE-${String(k).padStart(3, "0")}`, s))
        for (const events of histories) {
          const first = events[0]
          if (first === undefined) continue
          yield* repo.append({ caseId: first.caseId, expectedVersion: 0, events })
        }
        const clocks = [...hours].sort((a, b) => a - b).map((h) => at(T0 + h * HOUR))
        const escalated: Array<string> = []
        for (const now of clocks) {
          const [a, b] = yield* Effect.all(
            [
              EscalationService.escalateDue(now, { timeLimits, batchSize: 3 }),
              EscalationService.escalateDue(now, { timeLimits, batchSize: 3 })
            ],
            { concurrency: 2 }
          )
          const again = yield* EscalationService.escalateDue(now, { timeLimits })
          expect(again.escalated).toEqual([])
          escalated.push(...[...a.escalated, ...b.escalated].map((e) => e.caseId))
        }
        const expected = expectedEscalations(histories, clocks)
        for (const [caseId, count] of expected) {
          const events = yield* repo.events(caseId)
          expect(events.filter((e) => e._tag === "Escalated").length, caseId).toBe(count)
          expect(escalated.filter((id) => id === caseId).length, caseId).toBe(count)
          // the read model is the fold of the events
          const state = Case.fold(events)
          if (state._tag !== "Case") return assert.fail(`no case ${caseId}`)
          expect(yield* repo.summary(caseId)).toEqual(CaseRepository.summarize(state, timeLimits))
        }
      }).pipe(Effect.provide(stores)),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect("finds its candidates in the read model by deadline, earliest first, in batches", () =>
    Effect.gen(function* () {
      const repo = yield* CaseRepository.CaseRepository
      for (const [k, hours] of [30, 10, 20].entries()) {
        const events = eventsOf(`D-${k}`, { community: "jinsha", reportedAfter: hours, stage: 1 })
        yield* repo.append({ caseId: Case.CaseId.make(`D-${k}`), expectedVersion: 0, events })
      }
      const before = at(T0 + 60 * 24 * HOUR)
      const first = yield* repo.dueBefore({ before, limit: 2 })
      expect(first.map((s) => s.caseId)).toEqual(["D-1", "D-2"])
      const last = first[1]
      if (last === undefined) return assert.fail("no second candidate")
      const after = Option.getOrUndefined(CaseRepository.dueKeyOf(last))
      const rest = yield* repo.dueBefore({ before, limit: 2, ...(after === undefined ? {} : { after }) })
      expect(rest.map((s) => s.caseId)).toEqual(["D-0"])
      expect(yield* repo.dueBefore({ before: at(T0), limit: 10 })).toEqual([])
      expect(yield* repo.dueBefore({ before, limit: 10, tiers: ["street"] })).toEqual([])
      const outcome = yield* EscalationService.escalateDue(before, { timeLimits, batchSize: 1 })
      expect(outcome.escalated.map((e) => e.caseId)).toEqual(["D-1", "D-2", "D-0"])
      expect(outcome.escalated.every((e) => e.from === "community" && e.to.tier === "street")).toBe(true)
    }).pipe(Effect.provide(stores))
  )
})

describe("Scheduler and Lease", () => {
  it.effect(
    "of instances ticking at once one runs the job; the holder keeps it; another takes over on expiry",
    () =>
      Effect.gen(function* () {
        const leases = yield* Lease.makeMemoryLeases
        const instances = ["a", "b", "c"].map((holder) => Lease.makeMemory(leases, holder))
        let runs = 0
        const job = Scheduler.job(
          "count",
          Effect.sync(() => ++runs)
        )
        const tickOn = (lease: Lease.Lease["Type"]) =>
          Effect.provideService(Scheduler.tick(job, "60 seconds"), Lease.Lease, lease)
        const first = yield* Effect.all(instances.map(tickOn), { concurrency: "unbounded" })
        expect(first.filter((r) => r._tag === "ran").length).toBe(1)
        expect(runs).toBe(1)
        const holder = first.findIndex((r) => r._tag === "ran")
        // within the lease's time to live nobody else runs it; its holder renews it
        yield* TestClock.adjust("30 seconds")
        const second = yield* Effect.all(instances.map(tickOn))
        expect(second.map((r) => r._tag)).toEqual(instances.map((_, k) => (k === holder ? "ran" : "held")))
        // the holder stops: once the lease expired, exactly one other instance takes over
        yield* TestClock.adjust("61 seconds")
        const others = instances.filter((_, k) => k !== holder)
        const third = yield* Effect.all(others.map(tickOn), { concurrency: "unbounded" })
        expect(third.filter((r) => r._tag === "ran").length).toBe(1)
        expect(runs).toBe(3)
      })
  )

  it.effect("a failing job is reported and does not stop the next tick", () =>
    Effect.gen(function* () {
      const job = Scheduler.job("boom", Effect.fail("broken"))
      const result = yield* Scheduler.tick(job, "1 second").pipe(Effect.provide(Lease.layerMemory()))
      expect(result._tag).toBe("failed")
    })
  )

  it.scoped("the layer ticks on its schedule under the lease; disabled it does nothing", () =>
    Effect.gen(function* () {
      let runs = 0
      const job = Scheduler.job(
        "count",
        Effect.sync(() => ++runs)
      )
      yield* Layer.build(
        Scheduler.layer({
          interval: "10 seconds",
          schedule: Schedule.spaced("10 seconds"),
          jobs: [job]
        }).pipe(Layer.provide(Lease.layerMemory()))
      )
      yield* Layer.build(
        Scheduler.layer({ interval: "10 seconds", enabled: false, jobs: [job] }).pipe(
          Layer.provide(Lease.layerMemory())
        )
      )
      yield* TestClock.adjust("35 seconds")
      expect(runs).toBe(4)
    })
  )

  it.live("by default it ticks every interval of real time, whatever the clock", () =>
    Effect.gen(function* () {
      const third = yield* Deferred.make<void>()
      let runs = 0
      const job = Scheduler.job(
        "count",
        Effect.flatMap(
          Effect.sync(() => ++runs),
          (n) => (n === 3 ? Deferred.succeed(third, undefined) : Effect.void)
        )
      )
      yield* Effect.scoped(
        Effect.zipRight(
          Layer.build(
            Scheduler.layer({ interval: "5 millis", jobs: [job] }).pipe(Layer.provide(Lease.layerMemory()))
          ),
          Deferred.await(third)
        )
      )
      expect(runs).toBeGreaterThanOrEqual(3)
    })
  )
})
