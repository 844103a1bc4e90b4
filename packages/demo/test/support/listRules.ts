/**
 * The rules the demo's three lists keep, as one checker shared by the
 * generator's tests and the seed's read-back tests: it returns every broken
 * rule as a readable line (an empty array when the lists hold), so a failing
 * test shows exactly what broke.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import type * as Planner from "@civicgrid/core/Planner"
import type * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import * as TaskList from "@civicgrid/core/TaskList"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type * as District from "../../src/District.js"

/** The lists to check; the allocations and `asOf` when known (the stores keep neither). */
export interface Checked {
  readonly problems: ReadonlyArray<ProblemList.Problem>
  readonly resources: ReadonlyArray<ResourceList.Resource>
  readonly tasks: ReadonlyArray<TaskList.Task>
  readonly allocations?: ReadonlyArray<Planner.Allocation>
  readonly unmatched?: ReadonlyArray<Planner.Unmatched>
  readonly asOf?: DateTime.Utc
}

const ms = (t: DateTime.Utc | undefined): number | undefined =>
  t === undefined ? undefined : DateTime.toEpochMillis(t)

const levels = ["community", "street", "district", "city"] as const

/** Every rule the lists break, one line each. */
export const violations = (district: District.DemoDistrict, lists: Checked): ReadonlyArray<string> => {
  const out: Array<string> = []
  const hierarchy = Either.getOrThrow(Hierarchy.make(district.scheme, district.units))
  const unitLevels = new Map(district.units.map((u) => [u.id as string, u.level]))
  const level = (id: string): string => unitLevels.get(id) ?? ""
  const problems = new Map(lists.problems.map((p) => [p.id as string, p]))
  const resources = new Map(lists.resources.map((r) => [r.id as string, r]))
  const tasksOf = new Map<string, Array<TaskList.Task>>()
  for (const t of lists.tasks) tasksOf.set(t.problemId, [...(tasksOf.get(t.problemId) ?? []), t])

  // 单元: problems in the district, resources scoped to communities or streets, tasks owned by communities
  for (const p of lists.problems) {
    if (!Hierarchy.has(hierarchy, p.unitId))
      out.push(`problem ${p.id}: unit ${p.unitId} is not in the district`)
  }
  for (const r of lists.resources) {
    for (const u of r.scope) {
      if (!["community", "street"].includes(level(u)))
        out.push(`resource ${r.id}: scope ${u} is no community or street`)
    }
  }

  // 任务: one per planned problem, within each engaged resource's scope and availability, needs covered
  const engaged = new Map<string, number>()
  for (const t of lists.tasks) {
    const p = problems.get(t.problemId)
    if (p === undefined) {
      out.push(`task ${t.id}: unknown problem ${t.problemId}`)
      continue
    }
    if (p.taskId !== t.id) out.push(`task ${t.id}: its problem ${p.id} names task ${String(p.taskId)}`)
    if ((tasksOf.get(p.id) ?? []).length !== 1)
      out.push(`problem ${p.id}: ${tasksOf.get(p.id)?.length} tasks`)
    if (t.owner._tag !== "Unit" || level(t.owner.unitId) !== "community") {
      out.push(`task ${t.id}: owner is not a community`)
    } else if (!Hierarchy.isWithin(hierarchy, p.unitId, t.owner.unitId)) {
      out.push(`task ${t.id}: problem ${p.id} is not in the owner's jurisdiction`)
    }
    if (!DateTime.greaterThan(t.deadline, p.reportedAt)) out.push(`task ${t.id}: deadline before the report`)
    const offered = new Set<string>()
    for (const id of t.resourceIds) {
      const r = resources.get(id)
      if (r === undefined) {
        out.push(`task ${t.id}: unknown resource ${id}`)
        continue
      }
      engaged.set(id, (engaged.get(id) ?? 0) + 1)
      if (!ResourceList.serves(hierarchy, r, p.unitId))
        out.push(`task ${t.id}: ${id} does not serve ${p.unitId}`)
      if (!ResourceList.isAvailable(r, p.reportedAt, t.deadline))
        out.push(`task ${t.id}: ${id} is unavailable`)
      for (const tag of r.tags) offered.add(tag)
    }
    for (const tag of p.tags)
      if (!offered.has(tag)) out.push(`task ${t.id}: no engaged resource offers ${tag}`)
  }
  // 容量: a resource engaged at most `capacity` times, and its allocated units within its capacity
  for (const [id, n] of engaged) {
    const capacity = resources.get(id)?.capacity ?? 0
    if (n > capacity) out.push(`resource ${id}: engaged by ${n} tasks, capacity ${capacity}`)
  }
  if (lists.allocations !== undefined) {
    const units = new Map<string, number>()
    const covered = new Map<string, number>()
    for (const a of lists.allocations) {
      units.set(a.resourceId, (units.get(a.resourceId) ?? 0) + a.units)
      const task = lists.tasks.find((t) => t.id === a.taskId)
      if (task === undefined || !task.resourceIds.includes(a.resourceId)) {
        out.push(`allocation ${a.taskId}/${a.resourceId}: not a resource of the task`)
      }
      for (const tag of a.tags)
        covered.set(`${a.taskId}|${tag}`, (covered.get(`${a.taskId}|${tag}`) ?? 0) + a.units)
    }
    for (const [id, n] of units) {
      const capacity = resources.get(id)?.capacity ?? 0
      if (n > capacity) out.push(`resource ${id}: ${n} units allocated, capacity ${capacity}`)
    }
    for (const t of lists.tasks) {
      const p = problems.get(t.problemId)
      for (const tag of p?.tags ?? []) {
        if ((covered.get(`${t.id}|${tag}`) ?? 0) < (p?.demand ?? 0)) {
          out.push(`task ${t.id}: ${tag} covered by fewer units than the demand`)
        }
      }
    }
  }

  // 状态: problems and tasks agree
  for (const p of lists.problems) {
    const [task, ...more] = tasksOf.get(p.id) ?? []
    const expected: Readonly<Record<ProblemList.ProblemStatus, ReadonlyArray<TaskList.TaskStatus | "none">>> =
      {
        open: ["none"],
        planned: ["pending", "in-progress"],
        resolved: ["done"],
        closed: ["none", "cancelled"]
      }
    if (more.length > 0 || !expected[p.status].includes(task?.status ?? "none")) {
      out.push(`problem ${p.id} is ${p.status} but its task is ${task?.status ?? "none"}`)
    }
    if (p.status === "resolved" && ms(p.resolvedAt) !== ms(task?.completedAt)) {
      out.push(`problem ${p.id}: resolved at another time than its task was done`)
    }
    if (
      (p.status === "open") !==
      (lists.unmatched?.some((u) => u.problemId === p.id) ?? p.status === "open")
    ) {
      out.push(`problem ${p.id}: open, but not explained as unmatched (or the reverse)`)
    }
  }

  // 时间: in order, and nothing after the lists' date
  const asOf = ms(lists.asOf) ?? Number.POSITIVE_INFINITY
  for (const p of lists.problems) {
    const chain = [p.reportedAt, p.plannedAt, p.resolvedAt ?? p.closedAt].map(ms)
    const known = chain.filter((t): t is number => t !== undefined)
    if (known.some((t, i) => i > 0 && t < (known[i - 1] ?? 0)) || known.some((t) => t > asOf)) {
      out.push(`problem ${p.id}: times out of order or after the lists' date`)
    }
  }
  for (const t of lists.tasks) {
    const planned = ms(problems.get(t.problemId)?.plannedAt) ?? 0
    const chain = [planned, ms(t.startedAt), ms(t.completedAt ?? t.cancelledAt)]
    const known = chain.filter((x): x is number => x !== undefined)
    if (known.some((x, i) => i > 0 && x < (known[i - 1] ?? 0)) || known.some((x) => x > asOf)) {
      out.push(`task ${t.id}: times out of order or after the lists' date`)
    }
    if ((ms(t.supervision?.since) ?? 0) > asOf) out.push(`task ${t.id}: supervised after the lists' date`)
    // 督办: a task still open more than a day past its deadline is supervised by the street or higher
    if (
      lists.asOf !== undefined &&
      TaskList.overdue(t, DateTime.subtract(lists.asOf, { days: 1 })) &&
      levels.indexOf(t.supervision?.level ?? "community") < 1
    ) {
      out.push(`task ${t.id}: overdue but not supervised by the street`)
    }
  }
  return out
}
