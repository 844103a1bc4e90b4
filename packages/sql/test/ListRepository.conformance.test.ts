import { type Actor, ActorId } from "@civicgrid/core/Actor"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as MicroWish from "@civicgrid/core/MicroWish"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import * as TaskList from "@civicgrid/core/TaskList"
import { UnitId } from "@civicgrid/core/Unit"
import { addEqualityTesters, describe, expect, it, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { flip } from "./support/Errors.js"
import { build, district } from "./support/Hierarchies.js"
import { targets } from "./support/Stores.js"

addEqualityTesters()

const place = district()
const h = build(place)
const T0 = Date.UTC(2024, 4, 10, 1, 0)
const at = (hours: number): DateTime.Utc => DateTime.unsafeMake(T0 + hours * 3_600_000)

const problem = (id: string, unitId: string, extra: Partial<Parameters<typeof ProblemList.make>[0]> = {}) =>
  ProblemList.make({
    id,
    unitId,
    categoryId: "environment",
    source: { _tag: "HouseholdVisit" },
    description: `问题 ${id}`,
    reportedAt: at(0),
    tags: ["保洁"],
    ...extra
  })

const resource = (
  id: string,
  scope: ReadonlyArray<string>,
  extra: Partial<Parameters<typeof ResourceList.make>[0]> = {}
) =>
  ResourceList.make({
    id,
    name: `资源 ${id}`,
    kind: "service",
    tags: ["保洁"],
    scope,
    capacity: 3,
    provider: { kind: "co-building-unit", name: "共建单位" },
    ...extra
  })

const task = (
  id: string,
  problemId: string,
  owner: TaskList.Owner,
  deadline: DateTime.Utc,
  resourceIds: ReadonlyArray<string> = []
) => TaskList.make({ id, problemId, title: `任务 ${id}`, resourceIds, owner, deadline })

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository).save(place.scheme, place.rows)
  return yield* ListRepository
})

const inScope = (unitId: string, within: string) => Hierarchy.isWithin(h, unitId, within)

// --- micro-wish actors ---------------------------------------------------------

const C = UnitId.make("s1c1")
const person = (id: string, role: Actor["role"], unitId: UnitId): Actor => ({
  id: ActorId.make(id),
  role,
  unitId
})
const gridWorker = person("gw-1", "grid-worker", C)
const staff = person("cs-1", "community-staff", C)
const partyMember = person("pm-li", "street-staff", UnitId.make("s1"))
const liClaim: MicroWish.Claimant = { id: partyMember.id, kind: "party-member", label: "党员 李某" }

const post = (wishId: string, communityId: UnitId = C): MicroWish.Post => ({
  _tag: "Post",
  wishId: MicroWish.WishId.make(wishId),
  actor: person("gw-1", "grid-worker", communityId),
  at: at(1),
  household: { unitId: UnitId.make(`${communityId}b1`), label: "1号楼 困难家庭" },
  communityId,
  title: "一个新书包",
  description: "网格走情时征集",
  estimatedValue: 120,
  categories: ["学习用品"]
})

const execute = (state: MicroWish.State, command: MicroWish.MicroWishCommand) => {
  const result = MicroWish.execute(state, command)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

describe.each(targets)("ListRepository on $name", (target) => {
  it.effect(
    "problems: upsert by id, read back equal, by jurisdiction and status; refused with every violation",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const p1 = problem("p1", "s1c1b1", { gridId: "g1", caseIds: ["case-9"], demand: 2 })
        const p2 = problem("p2", "s1c2")
        const p3 = problem("p3", "s2c1", { source: { _tag: "PlatformCase", caseId: "case-1" } })
        yield* repo.putProblems([p3, p1, p2])
        expect(yield* repo.problem("p1")).toEqual(p1)
        expect(yield* repo.problems()).toEqual([p1, p2, p3])
        expect(yield* repo.problems({ within: "s1" })).toEqual([p1, p2])
        expect(yield* repo.problems({ within: "s1c1" })).toEqual([p1])
        const planned = ProblemList.plan(p2, { taskId: "t1", at: at(2) })
        if (Either.isLeft(planned)) throw new Error("plan")
        yield* repo.putProblems([planned.right])
        expect(yield* repo.problems({ status: ["planned"] })).toEqual([planned.right])
        expect(yield* repo.problems({ within: "s1", status: ["open"] })).toEqual([p1])
        expect(yield* flip(repo.problem("nope"))).toMatchObject({
          _tag: "ListItemNotFound",
          list: "problem"
        })
        expect(yield* flip(repo.problems({ within: "nope" }))).toEqual(
          new Hierarchy.UnitNotFound({ unitId: "nope" })
        )

        const refused = yield* flip(
          repo.putProblems([
            problem("p4", "nowhere"),
            problem("p5", "s1c1", { categoryId: "fireworks" }),
            problem("p5", "s1c1"),
            { ...problem("p6", "s1c1"), status: "closed" }
          ])
        )
        expect(refused._tag).toBe("ProblemListInvalid")
        expect(refused.violations.map((v) => `${v.problemId}:${v.rule}`)).toEqual([
          "p4:unknown-unit",
          "p5:duplicate-id",
          "p5:unknown-category",
          "p6:status-fields"
        ])
        expect((yield* repo.problems()).map((p) => p.id)).toEqual(["p1", "p2", "p3"])
        // a local category table is accepted when given
        const local = ProblemList.extendCategories(ProblemList.defaultCategories, [
          { id: ProblemList.ProblemCategoryId.make("fireworks"), name: "烟花爆竹", nameEn: "fireworks" }
        ])
        if (Either.isLeft(local)) throw new Error("categories")
        yield* repo.putProblems([problem("p5", "s1c1", { categoryId: "fireworks" })], {
          categories: local.right
        })
        expect((yield* repo.problem("p5")).categoryId).toBe("fireworks")
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "resources: round trip; within (a scope unit in the jurisdiction) and serving (ResourceList.serves)",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const r1 = resource("r1", ["s1"], {
          availability: { from: at(0), to: at(100) },
          description: "近1000平方米用房",
          kind: "venue"
        })
        const r2 = resource("r2", ["s1c1b2", "s2c1"], {
          provider: { kind: "party-member", name: "李某", partyMemberClass: "core" }
        })
        const r3 = resource("r3", ["d1"], { provider: { kind: "volunteer", name: "志愿者王某" } })
        yield* repo.putResources([r1, r2, r3])
        expect(yield* repo.resource("r1")).toEqual(r1)
        expect(yield* repo.resources()).toEqual([r1, r2, r3])
        expect(yield* repo.resources({ within: "s1c1" })).toEqual([r2])
        expect(yield* repo.resources({ within: "s2" })).toEqual([r2])
        for (const unit of ["s1c1b2", "s1c2", "s2c1b1", "d1"]) {
          const expected = [r1, r2, r3].filter((r) => ResourceList.serves(h, r, unit))
          expect(yield* repo.resources({ serving: unit })).toEqual(expected)
        }
        expect(yield* repo.resources({ within: "s2", serving: "s2c1b3" })).toEqual([r2])
        const refused = yield* flip(
          repo.putResources([resource("r4", ["zz"]), resource("r5", ["s1"], { tags: [] })])
        )
        expect(refused.violations.map((v) => `${v.resourceId}:${v.rule}`)).toEqual([
          "r4:unknown-scope-unit",
          "r5:no-tags"
        ])
        expect((yield* repo.resources()).map((r) => r.id)).toEqual(["r1", "r2", "r3"])
        // an upsert replaces the scope
        const moved = resource("r2", ["s2c2"])
        yield* repo.putResources([moved])
        expect(yield* repo.resources({ within: "s1" })).toEqual([r1])
        expect(yield* repo.resources({ within: "s2c2" })).toEqual([moved])
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect("tasks: round trip; owner jurisdiction, status and overdue (TaskList.overdueTasks order)", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      yield* repo.putProblems([problem("p1", "s1c1"), problem("p2", "s2c1")])
      yield* repo.putResources([resource("r1", ["d1"])])
      const t1 = task("t1", "p1", TaskList.unitOwner("s1c1"), at(10), ["r1"])
      const t2 = task("t2", "p1", TaskList.departmentOwner("城管"), at(5))
      const t3 = {
        ...task("t3", "p2", TaskList.unitOwner("s2c1"), at(8)),
        supervision: { unitId: UnitId.make("s2"), level: "street" as const, since: at(9) }
      }
      const started = TaskList.start(task("t4", "p2", TaskList.unitOwner("s2"), at(3)), { at: at(1) })
      const done = Either.flatMap(
        TaskList.start(task("t5", "p1", TaskList.unitOwner("s1"), at(2)), { at: at(1) }),
        (t) => TaskList.complete(t, { at: at(4) })
      )
      if (Either.isLeft(started) || Either.isLeft(done)) throw new Error("transitions")
      const all = [t1, t2, t3, started.right, done.right]
      yield* repo.putTasks(all)
      expect(yield* repo.task("t3")).toEqual(t3)
      expect(yield* repo.tasks()).toEqual(all)
      expect(yield* repo.tasks({ within: "s2" })).toEqual([t3, started.right])
      expect(yield* repo.tasks({ status: ["done"] })).toEqual([done.right])
      const now = at(9)
      expect(yield* repo.tasks({ overdueAt: now })).toEqual(TaskList.overdueTasks(all, now))
      expect((yield* repo.tasks({ overdueAt: now })).map((t) => t.id)).toEqual(["t4", "t2", "t3"])
      expect(yield* repo.tasks({ overdueAt: now, within: "d1" })).toEqual([started.right, t3])
      const refused = yield* flip(
        repo.putTasks([
          task("t6", "p9", TaskList.unitOwner("zz"), at(1), ["r9"]),
          task("t7", "p1", TaskList.unitOwner("s1"), at(1)),
          task("t7", "p1", TaskList.unitOwner("s1"), at(2))
        ])
      )
      expect(refused.violations.map((v) => `${v.taskId}:${v.rule}`)).toEqual([
        "t6:unknown-problem",
        "t6:unknown-resource",
        "t6:unknown-unit",
        "t7:duplicate-id"
      ])
      expect((yield* repo.tasks()).map((t) => t.id)).toEqual(["t1", "t2", "t3", "t4", "t5"])
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "micro-wishes: an event stream; the state is the fold of its events; listed by jurisdiction and status",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const s1 = execute(MicroWish.initial, post("w1"))
        expect(yield* repo.appendWishEvents({ wishId: "w1", expectedVersion: 0, events: s1.events })).toEqual(
          { wishId: "w1", version: 1 }
        )
        const s2 = execute(s1.state, {
          _tag: "Claim",
          wishId: MicroWish.WishId.make("w1"),
          actor: partyMember,
          at: at(2),
          claimant: liClaim
        })
        const s3 = execute(s2.state, {
          _tag: "Fulfil",
          wishId: MicroWish.WishId.make("w1"),
          actor: partyMember,
          at: at(3),
          evidence: ["photo-1"]
        })
        yield* repo.appendWishEvents({
          wishId: "w1",
          expectedVersion: 1,
          events: [...s2.events, ...s3.events]
        })
        const s4 = execute(s3.state, {
          _tag: "Confirm",
          wishId: MicroWish.WishId.make("w1"),
          actor: staff,
          at: at(4)
        })
        yield* repo.appendWishEvents({ wishId: "w1", expectedVersion: 3, events: s4.events })
        const events = [...s1.events, ...s2.events, ...s3.events, ...s4.events]
        expect(yield* repo.wishEvents("w1")).toEqual(events)
        expect(yield* repo.wish("w1")).toEqual(MicroWish.fold(events))
        expect((yield* repo.wish("w1")).status).toBe("confirmed")
        const other = execute(MicroWish.initial, post("w2", UnitId.make("s2c1")))
        yield* repo.appendWishEvents({ wishId: "w2", expectedVersion: 0, events: other.events })
        expect((yield* repo.wishes()).map((w) => w.id)).toEqual(["w1", "w2"])
        expect((yield* repo.wishes({ within: "s1" })).map((w) => w.id)).toEqual(["w1"])
        expect((yield* repo.wishes({ status: ["posted"] })).map((w) => w.id)).toEqual(["w2"])
        expect(yield* repo.wishEvents("nope")).toEqual([])
        expect(yield* flip(repo.wish("nope"))).toMatchObject({ _tag: "WishNotFound", wishId: "nope" })
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "micro-wishes: a stale expected version is a WishConcurrencyConflict; a broken history and an unknown community are refused",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const posted = execute(MicroWish.initial, post("w1"))
        yield* repo.appendWishEvents({ wishId: "w1", expectedVersion: 0, events: posted.events })
        const claim = execute(posted.state, {
          _tag: "Claim",
          wishId: MicroWish.WishId.make("w1"),
          actor: partyMember,
          at: at(2),
          claimant: liClaim
        })
        yield* repo.appendWishEvents({ wishId: "w1", expectedVersion: 1, events: claim.events })
        // a second writer that also saw version 1
        const withdraw = execute(posted.state, {
          _tag: "Withdraw",
          wishId: MicroWish.WishId.make("w1"),
          actor: gridWorker,
          at: at(3)
        })
        const conflict = yield* flip(
          repo.appendWishEvents({ wishId: "w1", expectedVersion: 1, events: withdraw.events })
        )
        expect(conflict).toMatchObject({
          _tag: "WishConcurrencyConflict",
          wishId: "w1",
          expectedVersion: 1,
          actualVersion: 2
        })
        expect((yield* repo.wish("w1")).status).toBe("claimed")
        // events that do not continue the stored history (a gap)
        const gap = { ...withdraw.events[0], sequence: 5 } as MicroWish.MicroWishEvent
        const replay = yield* flip(repo.appendWishEvents({ wishId: "w1", expectedVersion: 2, events: [gap] }))
        expect(replay).toMatchObject({ _tag: "MicroWishReplayError", rule: "sequence", expected: 3 })
        const foreign = execute(MicroWish.initial, post("w3", UnitId.make("nowhere")))
        const unknown = yield* flip(
          repo.appendWishEvents({ wishId: "w3", expectedVersion: 0, events: foreign.events })
        )
        expect(unknown).toMatchObject({ _tag: "WishUnitNotFound", unitId: "nowhere" })
        expect(yield* repo.wishEvents("w3")).toEqual([])
        expect(yield* repo.wishEvents("w1")).toHaveLength(2)
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "micro-wishes: racing writers with the same expected version — one wins, the others get a conflict, no event is lost or doubled",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const posted = execute(MicroWish.initial, post("w1"))
        const results = yield* Effect.all(
          Array.from({ length: 4 }, () =>
            Effect.either(repo.appendWishEvents({ wishId: "w1", expectedVersion: 0, events: posted.events }))
          ),
          { concurrency: "unbounded" }
        )
        expect(results.filter(Either.isRight)).toHaveLength(1)
        for (const r of results.filter(Either.isLeft)) {
          expect(r.left).toMatchObject({
            _tag: "WishConcurrencyConflict",
            expectedVersion: 0,
            actualVersion: 1
          })
        }
        expect(yield* repo.wishEvents("w1")).toEqual(posted.events)
        expect(yield* repo.wish("w1")).toEqual(posted.state)
      }).pipe(Effect.provide(target.layer()))
  )

  layer(target.layer(), { timeout: "30 seconds" })("properties", (it) => {
    const units = Hierarchy.units(h).map((u) => u.id)
    let run = 0
    const arbTasks = fc.array(
      fc.record({
        owner: fc.oneof(
          fc.constantFrom(...units).map(TaskList.unitOwner),
          fc.constant(TaskList.departmentOwner("城管"))
        ),
        deadline: fc.integer({ min: 0, max: 48 }),
        status: fc.constantFrom<TaskList.TaskStatus>("pending", "in-progress", "done", "cancelled")
      }),
      { maxLength: 12 }
    )

    it.effect.prop(
      "problems and tasks by jurisdiction, status and overdue equal the core's filters over what was stored",
      [arbTasks, fc.constantFrom(...units), fc.integer({ min: 0, max: 48 })],
      ([specs, within, now]) =>
        Effect.gen(function* () {
          const repo = yield* setup
          const prefix = `run${run++}-`
          const problems = specs.map((s, i) =>
            problem(`${prefix}p${i}`, s.owner._tag === "Unit" ? s.owner.unitId : "s1c1")
          )
          const tasks = specs.map((s, i) => ({
            ...task(`${prefix}t${i}`, `${prefix}p${i}`, s.owner, at(s.deadline)),
            status: s.status
          }))
          yield* repo.putProblems(problems)
          yield* repo.putTasks(tasks)
          const mine = <A extends { readonly id: string }>(xs: ReadonlyArray<A>) =>
            xs.filter((x) => x.id.startsWith(prefix))
          expect(mine(yield* repo.problems({ within }))).toEqual(
            problems.filter((p) => inScope(p.unitId, within)).sort((a, b) => (a.id < b.id ? -1 : 1))
          )
          const owned = tasks.filter((t) => t.owner._tag === "Unit" && inScope(t.owner.unitId, within))
          expect(mine(yield* repo.tasks({ within }))).toEqual(
            [...owned].sort((a, b) => (a.id < b.id ? -1 : 1))
          )
          expect(mine(yield* repo.tasks({ overdueAt: at(now) }))).toEqual(
            TaskList.overdueTasks(tasks, at(now))
          )
          expect(mine(yield* repo.tasks({ overdueAt: at(now), within, status: ["pending"] }))).toEqual(
            TaskList.overdueTasks(
              owned.filter((t) => t.status === "pending"),
              at(now)
            )
          )
        }),
      { fastCheck: { numRuns: 15 } }
    )
  })
})
