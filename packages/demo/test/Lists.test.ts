/**
 * 三张清单 — the demo lists' promises: generated deterministically; a few
 * problems per community, each in a unit of that community, over the five
 * default categories, a list the core validates; resources from co-building
 * units, social organisations, party members of all four classes and
 * volunteers, scoped to communities and streets; tasks made by the core
 * planner that keep its rules (within scope and capacity, one task per planned
 * problem, problem and task statuses that agree, overdue tasks supervised),
 * planned street by street exactly as one plan over the district would;
 * linked cases that are real cases of the problem's community; options
 * refused naming each bad field; and for every district size and seed, lists
 * that keep every rule.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as Planner from "@civicgrid/core/Planner"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import * as TaskList from "@civicgrid/core/TaskList"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Cases from "../src/Cases.js"
import * as District from "../src/District.js"
import * as Lists from "../src/Lists.js"
import * as Rules from "./support/listRules.js"

const district = District.makeDefault()
const hierarchy = Either.getOrThrow(Hierarchy.make(district.scheme, district.units))
const year = Either.getOrThrow(Cases.generate(district, { count: 1000 }))
const lists = Either.getOrThrow(Lists.generate(district, {}, year.inputs))
const communities = district.units.filter((u) => u.level === "community")
const streets = district.units.filter((u) => u.level === "street")

describe("Lists", () => {
  it("deterministic: the same district, options and cases give the same lists; another seed gives others", () => {
    expect(Either.getOrThrow(Lists.generate(district, {}, year.inputs))).toEqual(lists)
    const other = Either.getOrThrow(Lists.generate(district, { seed: 7 }, year.inputs))
    expect(other.problems).not.toEqual(lists.problems)
  })

  it("问题清单: 4–8 problems per community, each in a unit of that community, over the five categories; the core validates the list", () => {
    for (const community of communities) {
      const mine = lists.problems.filter((p) => p.id.startsWith(`P-${community.id}-`))
      expect(mine.length).toBeGreaterThanOrEqual(Lists.defaults.problemsPerCommunity.min)
      expect(mine.length).toBeLessThanOrEqual(Lists.defaults.problemsPerCommunity.max)
      for (const p of mine) expect(Hierarchy.isWithin(hierarchy, p.unitId, community.id)).toBe(true)
    }
    expect(lists.problems.every((p) => communities.some((c) => p.id.startsWith(`P-${c.id}-`)))).toBe(true)
    expect(new Set(lists.problems.map((p) => p.categoryId))).toEqual(
      new Set(ProblemList.defaultCategories.map((c) => c.id))
    )
    expect(Either.isRight(ProblemList.validate(lists.problems, { hierarchy }))).toBe(true)
    // 来源: household visits, party branches and platform cases all feed the list
    const sources = new Set(lists.problems.map((p) => p.source._tag))
    for (const tag of ["HouseholdVisit", "PartyBranch", "PlatformCase"] as const)
      expect(sources).toContain(tag)
    // 上报时间: in the cases' year, before the lists' date
    for (const p of lists.problems) {
      expect(DateTime.toDateUtc(p.reportedAt).getUTCFullYear()).toBe(Cases.defaults.year)
      expect(DateTime.lessThan(p.reportedAt, lists.asOf)).toBe(true)
    }
  })

  it("资源清单: street resources from co-building units and social organisations, per community a venue and party members of all four classes; the core validates the list", () => {
    expect(Either.isRight(ResourceList.validate(lists.resources, { hierarchy }))).toBe(true)
    for (const street of streets) {
      const kinds = new Set(
        lists.resources.filter((r) => r.scope.includes(street.id)).map((r) => r.provider.kind)
      )
      expect(kinds).toEqual(new Set(["co-building-unit", "social-organization"]))
    }
    for (const community of communities) {
      const mine = lists.resources.filter((r) => r.scope.includes(community.id))
      expect(
        mine.some((r) => r.kind === "venue" && r.tags.includes(ResourceList.CapabilityTag.make("场地")))
      ).toBe(true)
      expect(mine.some((r) => r.provider.kind === "party-member")).toBe(true)
    }
    const classes = ResourceList.partyMembersByClass(lists.resources)
    for (const k of ["core", "ordinary", "mobile", "elderly"] as const)
      expect(classes[k].length).toBeGreaterThan(0)
    // 流动党员 serve in the summer holidays only
    for (const r of classes.mobile) expect(r.availability).toBeDefined()
    // a party member or volunteer is a person of the district's staff
    const people = new Set(district.people.map((p) => p.id as string))
    for (const r of lists.resources) {
      if (r.provider.kind === "party-member" || r.provider.kind === "volunteer") {
        expect(people.has(r.provider.personId ?? "")).toBe(true)
      }
    }
  })

  it("任务清单: the planner's rules hold — no task outside a resource's scope or over its capacity, one task per planned problem, statuses that agree", () => {
    expect(Rules.violations(district, lists)).toEqual([])
    expect(lists.tasks.length).toBeGreaterThan(0)
    // most problems were planned, and most of those solved by the end of the year
    const planned = lists.problems.filter((p) => p.taskId !== undefined)
    expect(planned.length * 2).toBeGreaterThan(lists.problems.length)
    expect(lists.problems.filter((p) => p.status === "resolved").length * 2).toBeGreaterThan(planned.length)
    // every open problem is explained
    for (const u of lists.unmatched) expect(u.message.length).toBeGreaterThan(0)
  })

  it("街道分片: planning street by street gives the tasks of one Planner.plan over the whole district", () => {
    const taskOf = new Map(lists.tasks.map((t) => [t.problemId as string, t]))
    // the problems as they were before planning: open, unless closed as outside the community's remit
    const open = lists.problems
      .filter((p) => p.status !== "closed" || p.taskId !== undefined)
      .map((p) => ProblemList.make(p))
    const whole = Either.getOrThrow(
      Planner.plan({
        hierarchy,
        problems: open,
        resources: lists.resources,
        options: {
          taskIdOf: (p) => `T-${p.id.slice(2)}`,
          titleOf: (p) => taskOf.get(p.id)?.title ?? p.description,
          deadlineOf: (p) => taskOf.get(p.id)?.deadline ?? DateTime.add(p.reportedAt, { days: 30 })
        }
      })
    )
    const planned = (t: TaskList.Task) => [t.id, t.problemId, t.title, t.resourceIds, t.owner, t.deadline]
    expect(whole.tasks.map(planned)).toEqual(lists.tasks.map(planned))
    expect(whole.allocations).toEqual(lists.allocations)
    expect(whole.unmatched.map((u) => u.problemId)).toEqual(lists.unmatched.map((u) => u.problemId))
  })

  it("the rules are not vacuous: a task engaging a resource outside its scope, and a problem whose status disagrees with its task, are reported", () => {
    const [task] = lists.tasks.filter((t) => t.status === "done")
    const owner = task?.owner._tag === "Unit" ? task.owner.unitId : ""
    // a resource of another community (community resources serve their own community only)
    const foreign = lists.resources.find(
      (r) => r.scope.length === 1 && r.scope[0] !== owner && communities.some((c) => c.id === r.scope[0])
    )
    expect(task).toBeDefined()
    expect(foreign).toBeDefined()
    if (task === undefined || foreign === undefined) return
    const broken = {
      ...lists,
      tasks: lists.tasks.map((t) => (t.id === task.id ? { ...t, resourceIds: [foreign.id] } : t)),
      problems: lists.problems.map((p) =>
        p.id === task.problemId ? { ...p, status: "planned" as const } : p
      )
    }
    const found = Rules.violations(district, broken)
    expect(found).toContain(
      `task ${task.id}: ${foreign.id} does not serve ${lists.problems.find((p) => p.id === task.problemId)?.unitId}`
    )
    expect(found).toContain(`problem ${task.problemId} is planned but its task is done`)
  })

  it("督办 and 超期: tasks still open past their deadline at the year's end are supervised by the street or district; done late is recorded late", () => {
    const overdue = TaskList.overdueTasks(lists.tasks, lists.asOf)
    expect(overdue.length).toBeGreaterThan(0)
    for (const t of overdue) {
      if (DateTime.lessThan(DateTime.add(t.deadline, { days: 1 }), lists.asOf)) {
        expect(["street", "district"]).toContain(t.supervision?.level)
      }
    }
    for (const t of lists.tasks) {
      if (t.status !== "done" || t.completedAt === undefined) continue
      expect(TaskList.isDoneLate(t)).toBe(DateTime.greaterThan(t.completedAt, t.deadline))
    }
    expect(
      new Set(lists.tasks.map((t) => t.supervision?.level).filter((l) => l !== undefined)).size
    ).toBeGreaterThan(1)
  })

  it("平台案件: every linked case is a seeded case of the problem's community, reported in the half year before the problem", () => {
    const refs = new Map(Lists.caseRefs(year.inputs).map((c) => [c.caseId, c]))
    const linked = lists.problems.filter((p) => p.caseIds.length > 0)
    expect(linked.length).toBeGreaterThan(0)
    for (const p of linked) {
      const community = communities.find((c) => Hierarchy.isWithin(hierarchy, p.unitId, c.id))
      for (const id of p.caseIds) {
        const ref = refs.get(id)
        expect(ref?.communityId).toBe(community?.id)
        const at = ref === undefined ? 0 : DateTime.toEpochMillis(ref.reportedAt)
        const reported = DateTime.toEpochMillis(p.reportedAt)
        expect(at < reported && at >= reported - 180 * 86_400_000).toBe(true)
      }
      if (p.source._tag === "PlatformCase") expect(p.caseIds).toContain(p.source.caseId)
    }
    // without cases, no problem names one
    const alone = Either.getOrThrow(Lists.generate(district))
    expect(alone.problems.filter((p) => p.caseIds.length > 0 || p.source._tag === "PlatformCase")).toEqual([])
  })

  it("选项校验: a bad problem count, a year outside the official calendar and a fractional seed are all named", () => {
    const refused = Lists.generate(district, { problemsPerCommunity: 51, year: 1999, seed: 0.5 })
    expect(Either.isLeft(refused)).toBe(true)
    if (Either.isRight(refused) || refused.left._tag !== "InvalidListOptions") return
    expect(refused.left.violations.map((v) => [v.field, v.value])).toEqual([
      ["seed", 0.5],
      ["year", 1999],
      ["problemsPerCommunity", 51]
    ])
    expect(refused.left.message).toContain("problemsPerCommunity must be an integer from 0 to 50")
    expect(Either.isLeft(Lists.validate({ problemsPerCommunity: -1 }))).toBe(true)
  })

  it.prop(
    "规模: for every district size and seed the lists keep every rule, with exactly problemsPerCommunity problems per community",
    [
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer(),
      fc.integer({ min: 0, max: 12 }),
      fc.integer()
    ],
    ([streetCount, communitiesPerStreet, districtSeed, perCommunity, seed]) => {
      const d = Either.getOrThrow(
        District.make({
          streets: streetCount,
          communitiesPerStreet,
          seed: districtSeed,
          householdsScale: 0.5
        })
      )
      const cases = Either.getOrThrow(Cases.generate(d, { count: 60, seed }))
      const generated = Either.getOrThrow(
        Lists.generate(d, { seed, problemsPerCommunity: perCommunity }, cases.inputs)
      )
      expect(generated.problems).toHaveLength(streetCount * communitiesPerStreet * perCommunity)
      expect(Rules.violations(d, generated)).toEqual([])
    },
    { fastCheck: { numRuns: 25 } }
  )
})
