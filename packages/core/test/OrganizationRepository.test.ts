/**
 * 组织与岗位仓库 — the in-memory store and the use cases over it: reads by
 * jurisdiction, refusals that write nothing, the appointment history kept,
 * founding and award streams with the expected version, the rules checked
 * over what is stored, the metrics and the 公示牌 of a building (masked).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Award from "../src/Award.js"
import * as Body from "../src/Body.js"
import type * as Founding from "../src/CompoundPartyFounding.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Org from "../src/OrganizationRepository.js"
import * as OrganizationRules from "../src/OrganizationRules.js"
import * as Period from "../src/Period.js"
import * as Post from "../src/Post.js"
import * as Resident from "../src/Resident.js"
import * as Staffing from "../src/Staffing.js"
import * as Unit from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
  Unit.make({ id: "c", parentId: "s", level: "community", name: "东风社区" }),
  Unit.make({ id: "c2", parentId: "s", level: "community", name: "西湖社区" }),
  Unit.make({ id: "cp", parentId: "c", level: "compound", name: "一号小区" }),
  Unit.make({ id: "b", parentId: "cp", level: "building", name: "1号楼" }),
  Unit.make({ id: "b2", parentId: "c2", level: "building", name: "2号楼" })
]
const day = LocalDate.make("2024-06-01")
const U = (id: string) => Unit.UnitId.make(id)

const bodies = [
  Body.make({ id: "rc", kind: "residents-committee", name: "东风社区居委会", unitId: "c" }),
  Body.make({ id: "ws", kind: "workstation", name: "东风社区工作站", unitId: "c" }),
  Body.make({ id: "gc", kind: "governance-council", name: "东风社区治理理事会", unitId: "c" }),
  Body.make({ id: "oc", kind: "owners-committee", name: "一号小区业委会", unitId: "cp" }),
  Body.make({ id: "rc2", kind: "residents-committee", name: "西湖社区居委会", unitId: "c2" })
]
const posts = [
  Post.make({
    id: "p1",
    bodyId: "rc",
    kind: "director",
    holder: "wang",
    since: "2021-01-01",
    until: "2023-12-31"
  }),
  Post.make({ id: "p2", bodyId: "rc", kind: "director", holder: "li", since: "2024-01-01" }),
  Post.make({ id: "p3", bodyId: "ws", kind: "station-head", holder: "li", since: "2024-01-01" }),
  Post.make({ id: "p4", bodyId: "oc", kind: "director", holder: "zhao", since: "2023-01-01" }),
  Post.make({ id: "p5", bodyId: "gc", kind: "chair", holder: "zhao", since: "2023-01-01" }),
  Post.make({ id: "p6", bodyId: "rc2", kind: "director", holder: "sun", since: "2023-01-01" })
]
const people = [
  Staffing.makePerson({ id: "li", name: "李小红", partyMember: true, phone: "13812345678" }),
  Staffing.makePerson({ id: "zhao", name: "赵大明", partyMember: false, phone: "13900001111" })
]

const layer = Org.layerMemory.pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, rows)
  const repo = yield* Org.OrganizationRepository
  yield* repo.putBodies(bodies)
  yield* repo.putPosts(posts)
  yield* repo.putPeople(people)
  return repo
})

describe("OrganizationRepository — the in-memory store", () => {
  it.effect("reads by jurisdiction and keeps the appointment history", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      expect((yield* repo.bodies({ within: "c" })).map((b) => b.id)).toEqual(["gc", "oc", "rc", "ws"])
      expect((yield* repo.bodies({ within: "cp" })).map((b) => b.id)).toEqual(["oc"])
      expect((yield* repo.posts({ bodyId: "rc" })).map((p) => p.holder)).toEqual(["wang", "li"])
      expect((yield* repo.posts({ within: "c", heldOn: day })).map((p) => p.id)).toEqual([
        "p2",
        "p3",
        "p4",
        "p5"
      ])
      expect(yield* Effect.either(repo.posts({ within: "nowhere" }))).toMatchObject(
        Either.left({ _tag: "UnitNotFound", unitId: "nowhere" })
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("refuses a write naming what is not stored, whole", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      const bad = yield* Effect.either(
        repo.putBodies([
          Body.make({ id: "x1", kind: "workstation", name: "甲", unitId: "c" }),
          Body.make({ id: "x2", kind: "workstation", name: "乙", unitId: "mars" })
        ])
      )
      expect(bad).toMatchObject(Either.left({ _tag: "UnitNotFound", unitId: "mars" }))
      expect((yield* repo.bodies({ ids: ["x1"] })).length).toBe(0)
      const orphan = yield* Effect.either(
        repo.putPosts([
          Post.make({ id: "p9", bodyId: "ghost", kind: "member", holder: "a", since: "2024-01-01" })
        ])
      )
      expect(orphan).toMatchObject(Either.left({ _tag: "BodyNotFound", bodyId: "ghost" }))
    }).pipe(Effect.provide(layer))
  )

  it.effect("founding and award streams: a stale writer gets a typed conflict, nothing lost", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      const find: Founding.Command = {
        _tag: "FindMembers",
        compoundId: U("cp"),
        on: day,
        communityId: U("c"),
        memberIds: ["a", "b", "c"].map((p) => Staffing.PersonId.make(p))
      }
      const founded = yield* Org.handleFounding({ command: find })
      expect(founded).toMatchObject({ compoundId: "cp", version: 1 })
      const stale = yield* Effect.either(Org.handleFounding({ command: find, expectedVersion: 0 }))
      expect(stale).toMatchObject(
        Either.left({ _tag: "FoundingConcurrencyConflict", expectedVersion: 0, actualVersion: 1 })
      )
      expect((yield* repo.foundingEvents("cp")).map((e) => e.sequence)).toEqual([1])
      expect((yield* repo.foundings({ within: "c2" })).length).toBe(0)
      expect((yield* repo.foundings({ within: "s" })).map((f) => f.compoundId)).toEqual(["cp"])

      const R = Award.RoundId.make("2024-优秀楼栋长")
      const open: Award.Command = {
        _tag: "Open",
        roundId: R,
        on: day,
        name: "优秀楼栋长",
        quota: 2,
        noticeDays: 5
      }
      const round = yield* Org.handleAward({ command: open, unitId: "c" })
      expect(round).toMatchObject({ unitId: "c", round: { id: R, version: 1 } })
      const again = yield* Effect.either(
        repo.appendAwardEvents({
          roundId: R,
          unitId: "c",
          expectedVersion: 0,
          events: yield* repo.awardEvents(R)
        })
      )
      expect(again).toMatchObject(Either.left({ _tag: "AwardConcurrencyConflict", actualVersion: 1 }))
      expect((yield* repo.awards({ within: "c2" })).length).toBe(0)
    }).pipe(Effect.provide(layer))
  )

  it.effect("check, metrics and the building directory over what is stored", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      yield* repo.putCompounds([{ id: U("cp"), communityId: U("c"), name: "一号小区" }])
      const report = yield* Org.check("c", { day, residents: new Map([["c", 2500]]) })
      expect(report.communities).toEqual(["c"])
      const rules = report.organization.map((v) => `${v.rule}/${v.problem}`)
      // 李 holds the residents' committee and the workstation: 议行分离
      expect(rules).toContain("deliberation-execution-separation/holds-both")
      expect(rules).toContain("compound-management/no-arrangement")
      expect(rules).toContain("mediators-by-population/too-few")
      expect(rules).toContain("one-legal-adviser/too-few")
      // the other community is outside the jurisdiction
      expect(report.organization.every((v) => v.unitId !== "c2")).toBe(true)
      // grid leaders from grid staffing: 李 is on the residents' committee (两委), 赵 is not; c2's is outside
      const leaders = OrganizationRules.gridLeadersFromStaffing(
        [
          Staffing.assign("li", "grid-leader", { grid: "g1" }),
          Staffing.assign("zhao", "grid-leader", { grid: "g2" }),
          Staffing.assign("sun", "grid-leader", { grid: "g3" })
        ],
        (g) => U(g === "g3" ? "c2" : "c")
      )
      const withLeaders = yield* Org.check("c", { day, staffingGridLeaders: leaders })
      expect(
        withLeaders.organization
          .filter((v) => v.rule === "grid-leader-in-two-committees")
          .map((v) => [v.personIds, v.detail])
      ).toEqual([[["zhao"], "g2"]])

      yield* repo.putAppraisals([
        {
          unitId: U("c"),
          appraisal: {
            cadreId: Staffing.PersonId.make("li"),
            period: Period.ofDate(LocalDate.make("2024-05-01"), "month"),
            score: 55
          }
        }
      ])
      const m = yield* Org.metrics("s", { day, period: Period.ofDate(LocalDate.make("2024-05-01"), "month") })
      expect(m.councilCoverage).toMatchObject({ numerator: 1, denominator: 2 })
      expect(m.councilMembers).toMatchObject({ numerator: 1, denominator: 1 })
      expect(m.lights).toMatchObject({ red: 1, redCadres: ["li"] })
      expect(m.compoundManagement.unrecorded).toBe(1)

      const board = yield* Org.directory("b", { day })
      expect(board.map((e) => [e.bodyId, e.kind, e.name, e.phone])).toEqual([
        ["oc", "director", "赵**", "139****1111"],
        ["rc", "director", "李**", "138****5678"],
        ["ws", "station-head", "李**", "138****5678"],
        ["gc", "chair", "赵**", "139****1111"]
      ])
      expect(JSON.stringify(board)).not.toContain("13812345678")
    }).pipe(Effect.provide(layer))
  )
})

describe("OrganizationRepository — appraisalBoard", () => {
  const month = (d: string) => Period.ofDate(LocalDate.make(d), "month")
  const appraisal = (unitId: string, cadreId: string, d: string, score: number): Org.UnitAppraisal => ({
    unitId: U(unitId),
    appraisal: { cadreId: Staffing.PersonId.make(cadreId), period: month(d), score }
  })

  it.effect("the cadres of a jurisdiction with their history, unit names, people and posts held", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      yield* repo.putAppraisals([
        appraisal("c", "li", "2024-04-01", 55),
        appraisal("c", "li", "2024-05-01", 82),
        appraisal("cp", "zhao", "2024-05-01", 65),
        appraisal("c2", "sun", "2024-05-01", 90)
      ])
      const all = yield* Org.appraisalBoard("c", { day })
      expect(
        all.rows.map((r) => [
          r.cadreId,
          r.unitName,
          r.person?.name,
          r.current.light,
          r.history.map((l) => l.change),
          r.posts.map((p) => [p.post.id, p.kindName.zh, p.bodyName])
        ])
      ).toEqual([
        [
          "li",
          "东风社区",
          "李小红",
          "green",
          ["first", "better"],
          [
            ["p2", "主任", "东风社区居委会"],
            ["p3", Post.kindName(Post.defaultKinds, Post.kinds.stationHead).zh, "东风社区工作站"]
          ]
        ],
        [
          "zhao",
          "一号小区",
          "赵大明",
          "orange",
          ["first"],
          [
            ["p4", "主任", "一号小区业委会"],
            ["p5", Post.kindName(Post.defaultKinds, Post.kinds.chair).zh, "东风社区治理理事会"]
          ]
        ]
      ])
      expect(all.lights).toEqual({ green: 1, orange: 1, red: 0 })
      const april = yield* Org.appraisalBoard("s", { day, period: month("2024-04-01") })
      expect(april.rows.map((r) => [r.cadreId, r.current.light])).toEqual([["li", "red"]])
      // a cadre not stored as a person has no person
      const street = yield* Org.appraisalBoard("s", { day })
      expect(street.rows.map((r) => [r.cadreId, r.person === undefined])).toEqual([
        ["li", false],
        ["sun", true],
        ["zhao", false]
      ])
      expect(yield* Effect.either(Org.appraisalBoard("nowhere", { day }))).toMatchObject(
        Either.left({ _tag: "UnitNotFound" })
      )
    }).pipe(Effect.provide(layer))
  )
})

describe("OrganizationRepository — the 公示牌 masks every holder", () => {
  const arbPeople = fc.uniqueArray(Arbitrary.make(Staffing.Person), {
    minLength: 1,
    maxLength: 6,
    selector: (p) => p.id
  })
  it.effect.prop(
    "names and phones of the people serving a building are always masked: the first character of a name, never fewer than four digits hidden",
    [arbPeople],
    ([generated]) =>
      Effect.gen(function* () {
        yield* (yield* HierarchyRepository.HierarchyRepository).save(LevelScheme.FiveLevel, rows)
        const repo = yield* Org.OrganizationRepository
        yield* repo.putBodies([Body.make({ id: "bg", kind: "grid-station", name: "楼栋组", unitId: "b" })])
        yield* repo.putPosts(
          generated.map((p, i) =>
            Post.make({
              id: `p${i}`,
              bodyId: "bg",
              kind: "building-leader",
              holder: p.id,
              since: "2024-01-01"
            })
          )
        )
        yield* repo.putPeople(generated)
        const board = yield* Org.directory("b", { day })
        expect(board).toHaveLength(generated.length)
        const personById = new Map(generated.map((p) => [p.id as string, p] as const))
        for (const [i, entry] of board.entries()) {
          const person = personById.get(generated[i]?.id ?? "") as Staffing.Person
          expect(entry.name).toBe(Resident.maskName(person.name))
          expect(entry.phone).toBe(person.phone === undefined ? undefined : Resident.maskPhone(person.phone))
          // only the first character of a name shows; at least four digits of a phone are hidden
          expect(
            Array.from(entry.name ?? "")
              .slice(1)
              .every((c) => c === "*")
          ).toBe(true)
          const digits = (text: string) => text.replace(/[^0-9]/g, "").length
          if (person.phone !== undefined)
            expect(digits(entry.phone ?? "")).toBeLessThanOrEqual(digits(person.phone) - 4)
        }
      }).pipe(Effect.provide(layer)),
    { fastCheck: { numRuns: 50 } }
  )
})

describe("checkPopulations — 社区人口 per community or village, once", () => {
  const levels = ["district", "street", "community", "village", "compound", "building"] as const
  // the residents drawn from the schema's range; the unit is drawn below
  const population = fc
    .integer({ min: 0, max: 100_000_000 })
    .map((residents) => ({ unitId: U("u0"), residents }))
  it.prop(
    "a problem for exactly each item whose unit is not a community or village and each repeat of a unit",
    [
      fc.array(fc.tuple(population, fc.constantFrom(...levels, undefined), fc.integer({ min: 0, max: 4 })), {
        maxLength: 12
      })
    ],
    ([drawn]) => {
      // a few unit ids, so repeats happen; each unit keeps one level
      const items = drawn.map(([p, , k]) => ({ ...p, unitId: U(`u${k}`) }))
      const levelOf = new Map<string, string | undefined>(
        drawn.map(([, level, k]) => [`u${k}`, level] as const).reverse()
      )
      const problems = Org.checkPopulations(items, (id) => levelOf.get(id))
      const expected = items.flatMap((p, index) => {
        const level = levelOf.get(p.unitId)
        return [
          ...(level !== undefined && level !== "community" && level !== "village"
            ? [[index, "not-community"] as const]
            : []),
          ...(items.findIndex((q) => q.unitId === p.unitId) < index
            ? [[index, "duplicate-unit"] as const]
            : [])
        ]
      })
      expect(problems.map((p) => [p.index, p.rule])).toEqual(expected)
      for (const p of problems) expect(p.message).toContain(p.unitId)
    }
  )
})
