import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as AccessList from "../src/AccessList.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as TaskList from "../src/TaskList.js"
import * as Unit from "../src/Unit.js"

const HOUR = 3_600_000
const T0 = Date.UTC(2024, 2, 1)
const hour = (n: number): DateTime.Utc => DateTime.unsafeMake(T0 + n * HOUR)

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}
const left = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected Left")
  return e.left
}

const hierarchy = right(
  Hierarchy.make(LevelScheme.FiveLevel, [
    Unit.make({ id: "d", parentId: null, level: "district", name: "某区" }),
    Unit.make({ id: "s", parentId: "d", level: "street", name: "某街道" }),
    Unit.make({ id: "xx", parentId: "s", level: "community", name: "××社区" })
  ])
)

const task = (fields: { readonly workCode?: string; readonly deadline?: DateTime.Utc } = {}): TaskList.Task =>
  TaskList.make({
    id: "T-1",
    problemId: "P-1",
    title: "集中整治电瓶车乱停、飞线充电",
    resourceIds: ["R-b", "R-a", "R-b"],
    owner: TaskList.unitOwner("xx"),
    deadline: fields.deadline ?? hour(100),
    ...(fields.workCode === undefined ? {} : { workCode: fields.workCode })
  })

describe("TaskList — lifecycle", () => {
  it("make builds a pending task with sorted resources", () => {
    const t = task()
    expect(t.status).toBe("pending")
    expect(t.resourceIds).toEqual(["R-a", "R-b"])
    expect(TaskList.isSupervised(t)).toBe(false)
  })

  it("pending → in-progress → done (待办 → 办理中 → 已办结), on time", () => {
    const done = right(TaskList.complete(right(TaskList.start(task(), { at: hour(1) })), { at: hour(100) }))
    expect([done.status, done.completedAt, done.timeliness]).toEqual(["done", hour(100), "on-time"])
    expect(TaskList.isDoneLate(done)).toBe(false)
  })

  it("逾期办结: a task done after its deadline is recorded as done late, and is not overdue", () => {
    const late = right(TaskList.complete(right(TaskList.start(task(), { at: hour(1) })), { at: hour(101) }))
    expect(late.timeliness).toBe("late")
    expect(TaskList.isDoneLate(late)).toBe(true)
    expect(TaskList.overdue(late, hour(500))).toBe(false)
  })

  it("a pending task cannot be completed (illegal-transition); done cannot be cancelled", () => {
    const err = left(TaskList.complete(task(), { at: hour(2) }))
    expect([err.taskId, err.status, err.action, err.rule]).toEqual([
      "T-1",
      "pending",
      "complete",
      "illegal-transition"
    ])
    const done = right(TaskList.complete(right(TaskList.start(task(), { at: hour(1) })), { at: hour(2) }))
    expect(left(TaskList.cancel(done, { at: hour(3), reason: "x" })).rule).toBe("illegal-transition")
  })

  it("completing before the start is refused (time-order); cancelling needs a reason", () => {
    const started = right(TaskList.start(task(), { at: hour(10) }))
    expect(left(TaskList.complete(started, { at: hour(9) })).rule).toBe("time-order")
    expect(left(TaskList.cancel(started, { at: hour(11), reason: "" })).rule).toBe("reason-required")
    const cancelled = right(TaskList.cancel(started, { at: hour(11), reason: "问题已由物业自行解决" }))
    expect([cancelled.status, cancelled.cancelReason]).toEqual(["cancelled", "问题已由物业自行解决"])
  })

  it("督办: street supervision can be raised to district supervision, not repeated or lowered", () => {
    const street = right(TaskList.supervise(task(), { unitId: "s", level: "street", at: hour(5) }))
    expect(TaskList.isSupervised(street)).toBe(true)
    expect(TaskList.supervisionLevelNames[street.supervision?.level ?? "city"]).toBe("街道督办")
    expect(left(TaskList.supervise(street, { unitId: "s", level: "street", at: hour(6) })).rule).toBe(
      "supervision-not-raised"
    )
    expect(left(TaskList.supervise(street, { unitId: "s", level: "community", at: hour(6) })).rule).toBe(
      "supervision-not-raised"
    )
    const district = right(
      TaskList.supervise(street, { unitId: "d", level: "district", at: hour(7), note: "区督办" })
    )
    expect(district.supervision).toEqual({ unitId: "d", level: "district", since: hour(7), note: "区督办" })
  })
})

describe("TaskList — assign under the community work access list (seed 001)", () => {
  const item = (code: string, name: string): AccessList.AccessItem => ({
    code: AccessList.WorkCode.make(code),
    name,
    authority: "XX县区",
    basis: "XX县区社区工作准入制度"
  })
  const list = right(
    AccessList.make({
      positive: [item("P-01", "组织开展社区文化体育活动")],
      negative: [item("N-01", "招商引资")],
      mode: "strict"
    })
  )

  it("work on the negative list is refused for a community, naming the rule and the list item", () => {
    const err = left(
      TaskList.assign(task({ workCode: "N-01" }), TaskList.unitOwner("xx"), { hierarchy, accessList: list })
    )
    expect(err._tag).toBe("AccessRefused")
    if (err._tag !== "AccessRefused") return
    expect([err.rule, err.code, err.level, err.item?.basis]).toEqual([
      "negative-list",
      "N-01",
      "community",
      "XX县区社区工作准入制度"
    ])
  })

  it("positive-list work is assigned; strict mode refuses unclassified work", () => {
    const ok = right(
      TaskList.assign(task({ workCode: "P-01" }), TaskList.unitOwner("xx"), { hierarchy, accessList: list })
    )
    expect(ok.owner).toEqual(TaskList.unitOwner("xx"))
    const err = left(TaskList.assign(task(), TaskList.unitOwner("xx"), { hierarchy, accessList: list }))
    expect(err._tag === "AccessRefused" && err.rule).toBe("unclassified")
  })

  it("the list governs communities only: the street and departments may be given the work", () => {
    const toStreet = right(
      TaskList.assign(task({ workCode: "N-01" }), TaskList.unitOwner("s"), { hierarchy, accessList: list })
    )
    expect(toStreet.owner).toEqual(TaskList.unitOwner("s"))
    const toDept = right(
      TaskList.assign(task({ workCode: "N-01" }), TaskList.departmentOwner("城管"), {
        hierarchy,
        accessList: list
      })
    )
    expect(toDept.owner).toEqual(TaskList.departmentOwner("城管"))
  })

  it("an owner unit outside the hierarchy is refused (unknown-owner); a closed task cannot be assigned", () => {
    const err = left(TaskList.assign(task(), TaskList.unitOwner("ghost"), { hierarchy }))
    expect(err._tag === "TaskRefused" && err.rule).toBe("unknown-owner")
    const cancelled = right(TaskList.cancel(task(), { at: hour(1), reason: "撤销" }))
    const err2 = left(TaskList.assign(cancelled, TaskList.unitOwner("xx"), { hierarchy }))
    expect(err2._tag === "TaskRefused" && err2.rule).toBe("illegal-transition")
  })
})

// ---------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------

type Step =
  | { readonly _tag: "start"; readonly at: number }
  | { readonly _tag: "complete"; readonly at: number }
  | { readonly _tag: "cancel"; readonly at: number; readonly reason: string }
  | { readonly _tag: "supervise"; readonly at: number; readonly level: TaskList.SupervisionLevel }

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ _tag: fc.constant("start" as const), at: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ _tag: fc.constant("complete" as const), at: fc.integer({ min: 0, max: 200 }) }),
  fc.record({
    _tag: fc.constant("cancel" as const),
    at: fc.integer({ min: 0, max: 200 }),
    reason: fc.constantFrom("", "重复任务")
  }),
  fc.record({
    _tag: fc.constant("supervise" as const),
    at: fc.integer({ min: 0, max: 200 }),
    level: fc.constantFrom(...TaskList.SupervisionLevel.literals)
  })
)

const apply = (t: TaskList.Task, s: Step) => {
  switch (s._tag) {
    case "start":
      return TaskList.start(t, { at: hour(s.at) })
    case "complete":
      return TaskList.complete(t, { at: hour(s.at) })
    case "cancel":
      return TaskList.cancel(t, { at: hour(s.at), reason: s.reason })
    case "supervise":
      return TaskList.supervise(t, { unitId: "s", level: s.level, at: hour(s.at) })
  }
}

const target: Record<Step["_tag"], TaskList.TaskStatus | null> = {
  start: "in-progress",
  complete: "done",
  cancel: "cancelled",
  supervise: null
}

/** Random tasks reached by random step sequences. */
const arbTask = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.array(arbStep, { maxLength: 6 }))
  .map(([deadline, steps]) => {
    let t = task({ deadline: hour(deadline) })
    for (const s of steps) {
      const r = apply(t, s)
      if (Either.isRight(r)) t = r.right
    }
    return t
  })

describe("TaskList — properties", () => {
  it.prop(
    "moves follow the transition table; a refused move names task, status and rule and leaves the task unchanged",
    [fc.integer({ min: 0, max: 200 }), fc.array(arbStep, { maxLength: 10 })],
    ([deadline, steps]) => {
      let t = task({ deadline: hour(deadline) })
      for (const s of steps) {
        const before = JSON.stringify(t)
        const to = target[s._tag]
        const legal = to === null ? TaskList.isOpen(t) : TaskList.transitions[t.status].includes(to)
        const r = apply(t, s)
        if (Either.isRight(r)) {
          expect(legal).toBe(true)
          if (to !== null) expect(r.right.status).toBe(to)
          t = r.right
        } else {
          expect([r.left.taskId, r.left.status, r.left.action]).toEqual([t.id, t.status, s._tag])
          if (!legal) expect(r.left.rule).toBe("illegal-transition")
          expect(JSON.stringify(t)).toBe(before)
        }
      }
    }
  )

  it.prop(
    "overdue is false for done and cancelled tasks, and true exactly when now > deadline for open ones",
    [arbTask, fc.integer({ min: 0, max: 300 })],
    ([t, now]) => {
      const n = hour(now)
      if (t.status === "done" || t.status === "cancelled") expect(TaskList.overdue(t, n)).toBe(false)
      else expect(TaskList.overdue(t, n)).toBe(DateTime.greaterThan(n, t.deadline))
    }
  )

  it.prop("a done task is late exactly when it was completed after its deadline", [arbTask], ([t]) => {
    if (t.status !== "done" || t.completedAt === undefined) return
    expect(TaskList.isDoneLate(t)).toBe(DateTime.greaterThan(t.completedAt, t.deadline))
  })

  it.prop(
    "overdueTasks returns exactly the overdue tasks, earliest deadline first, ties by id",
    [fc.array(arbTask, { maxLength: 8 }), fc.integer({ min: 0, max: 300 })],
    ([ts, now]) => {
      const tasks = ts.map((t, i) => ({ ...t, id: TaskList.TaskId.make(`T-${i}`) }))
      const out = TaskList.overdueTasks(tasks, hour(now))
      expect(out.map((t) => t.id).sort()).toEqual(
        tasks
          .filter((t) => TaskList.overdue(t, hour(now)))
          .map((t) => t.id)
          .sort()
      )
      for (let i = 1; i < out.length; i++) {
        const a = out[i - 1]
        const b = out[i]
        if (a === undefined || b === undefined) continue
        const da = DateTime.toEpochMillis(a.deadline)
        const db = DateTime.toEpochMillis(b.deadline)
        expect(da < db || (da === db && a.id < b.id)).toBe(true)
      }
    }
  )
})
