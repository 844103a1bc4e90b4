/**
 * 组织与岗位仓库 conformance — the SQL organisation store behaves like the
 * in-memory one: one scenario (bodies, posts with their appointment history,
 * memberships, compounds, post holders, appraisals, weak-and-lax flags 软弱涣散,
 * a founding and an award round, the rules checked and the metrics over a jurisdiction, a building's
 * 公示牌, and every refusal) gives the same outputs on memory, SQLite and
 * PostgreSQL; reads by jurisdiction leave out what lies outside; racing or
 * stale writers of a founding or a round get a typed conflict with no event
 * lost or doubled.
 */
import * as Award from "@civicgrid/core/Award"
import * as Body from "@civicgrid/core/Body"
import * as Founding from "@civicgrid/core/CompoundPartyFounding"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import type * as Membership from "@civicgrid/core/Membership"
import type * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Staffing from "@civicgrid/core/Staffing"
import * as Unit from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import { addEqualityTesters, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { flip } from "./support/Errors.js"
import { arbHierarchy, build, district, subtreeByCore } from "./support/Hierarchies.js"
import { memory, type OrganizationTarget, organizationTargets } from "./support/OrganizationStores.js"

addEqualityTesters()

const place = district()
const rows = [
  ...place.rows,
  Unit.make({ id: "s1c1cp1", parentId: "s1c1", level: "compound", name: "一号小区" }),
  Unit.make({ id: "s1c1cp1b1", parentId: "s1c1cp1", level: "building", name: "1栋" }),
  Unit.make({ id: "s2c1cp1", parentId: "s2c1", level: "compound", name: "二号小区" })
]
const U = (id: string) => Unit.UnitId.make(id)
const P = (id: string) => Staffing.PersonId.make(id)
const day = LocalDate.make("2024-06-01")
const may = Period.ofDate(LocalDate.make("2024-05-01"), "month")

const bodies: ReadonlyArray<Body.Body> = [
  Body.make({ id: "s1-lead", kind: "street-leadership", name: "街道1领导班子", unitId: "s1" }),
  Body.make({ id: "police", kind: "department", name: "派出所", unitId: "s1", sector: "public-security" }),
  Body.make({ id: "c1-party", kind: "community-party-committee", name: "社区党委", unitId: "s1c1" }),
  Body.make({ id: "c1-big", kind: "big-party-committee", name: "社区大党委", unitId: "s1c1" }),
  Body.make({ id: "c1-rc", kind: "residents-committee", name: "居委会", unitId: "s1c1" }),
  Body.make({ id: "c1-ws", kind: "workstation", name: "工作站", unitId: "s1c1" }),
  Body.make({ id: "c1-gc", kind: "governance-council", name: "治理理事会", unitId: "s1c1" }),
  Body.make({ id: "c1-grid", kind: "grid-station", name: "网格服务站", unitId: "s1c1" }),
  Body.make({ id: "cp1-oc", kind: "owners-committee", name: "一号小区业委会", unitId: "s1c1cp1" }),
  Body.make({ id: "b1-group", kind: "grid-station", name: "1栋楼栋组", unitId: "s1c1cp1b1" }),
  Body.make({ id: "pm", kind: "property-company", name: "物业公司", unitId: "s1" }),
  Body.make({
    id: "temp",
    kind: "temporary-party-branch",
    name: "临时党支部",
    unitId: "s1c2",
    since: "2024-01-01",
    until: "2024-02-01"
  }),
  Body.make({ id: "c3-rc", kind: "residents-committee", name: "居委会", unitId: "s2c1" })
]

const posts: ReadonlyArray<Post.Post> = [
  Post.make({
    id: "p01",
    bodyId: "c1-party",
    kind: "secretary",
    holder: "wang",
    since: "2019-01-01",
    until: "2023-12-31"
  }),
  Post.make({ id: "p02", bodyId: "c1-party", kind: "secretary", holder: "li", since: "2024-01-01" }),
  Post.make({ id: "p03", bodyId: "c1-big", kind: "secretary", holder: "li", since: "2024-01-01" }),
  Post.make({
    id: "p04",
    bodyId: "c1-big",
    kind: "first-secretary",
    holder: "zhou",
    since: "2024-01-01",
    affiliation: "s1-lead",
    concurrent: true
  }),
  Post.make({
    id: "p05",
    bodyId: "c1-big",
    kind: "part-time-member",
    holder: "chen",
    since: "2024-01-01",
    affiliation: "police"
  }),
  Post.make({
    id: "p06",
    bodyId: "c1-rc",
    kind: "director",
    holder: "li",
    since: "2024-01-01",
    concurrent: true
  }),
  Post.make({ id: "p07", bodyId: "c1-ws", kind: "station-head", holder: "li", since: "2024-01-01" }),
  Post.make({ id: "p08", bodyId: "c1-gc", kind: "chair", holder: "zhao", since: "2023-01-01" }),
  Post.make({ id: "p09", bodyId: "c1-gc", kind: "council-member", holder: "qian", since: "2023-01-01" }),
  Post.make({
    id: "p10",
    bodyId: "c1-grid",
    kind: "grid-leader",
    holder: "sun",
    since: "2023-01-01",
    gridId: "g1"
  }),
  Post.make({
    id: "p11",
    bodyId: "c1-grid",
    kind: "grid-leader",
    holder: "wu",
    since: "2023-01-01",
    gridId: "g2"
  }),
  Post.make({ id: "p12", bodyId: "b1-group", kind: "building-leader", holder: "zheng", since: "2022-01-01" }),
  Post.make({ id: "p13", bodyId: "cp1-oc", kind: "director", holder: "zhao", since: "2022-01-01" }),
  Post.make({ id: "p14", bodyId: "c1-rc", kind: "legal-adviser", holder: "feng", since: "2024-01-01" }),
  Post.make({ id: "p15", bodyId: "c3-rc", kind: "director", holder: "he", since: "2020-01-01" })
]

const people: ReadonlyArray<Staffing.Person> = [
  Staffing.makePerson({ id: "li", name: "李小红", partyMember: true, phone: "13812345678" }),
  Staffing.makePerson({ id: "zhao", name: "赵大明", partyMember: false, phone: "13900001111" }),
  Staffing.makePerson({ id: "sun", name: "孙网格", partyMember: true, phone: "0871-65123456" }),
  Staffing.makePerson({ id: "zheng", name: "郑楼长", partyMember: true }),
  Staffing.makePerson({ id: "qian", name: "钱理事", partyMember: true })
]

const memberships: ReadonlyArray<Membership.Membership> = [
  { personId: P("li"), bodyId: Body.BodyId.make("c1-party"), kind: "relation", since: day },
  {
    personId: P("chen"),
    bodyId: Body.BodyId.make("c1-party"),
    kind: "reported",
    homeBodyId: Body.BodyId.make("police"),
    since: day
  },
  { personId: P("he"), bodyId: Body.BodyId.make("c3-rc"), kind: "reported", since: day }
]

const find: Founding.Command = {
  _tag: "FindMembers",
  compoundId: U("s1c1cp1"),
  on: LocalDate.make("2024-03-01"),
  communityId: U("s1c1"),
  memberIds: ["pm-1", "pm-2", "pm-3", "pm-4"].map(P)
}
const transfer = (ids: ReadonlyArray<string>): Founding.Command => ({
  _tag: "TransferRelations",
  compoundId: U("s1c1cp1"),
  on: LocalDate.make("2024-03-10"),
  memberIds: ids.map(P)
})
const R = Award.RoundId.make("2024-优秀楼栋长")
const open: Award.Command = {
  _tag: "Open",
  roundId: R,
  on: LocalDate.make("2024-11-01"),
  name: "优秀楼栋长",
  quota: 2,
  noticeDays: 5
}
const nominate = (who: string): Award.Command => ({
  _tag: "Nominate",
  roundId: R,
  on: LocalDate.make("2024-11-02"),
  nomineeId: P(who)
})

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository).save(place.scheme, rows)
  return yield* Org.OrganizationRepository
})

const plain = (vs: ReadonlyArray<{ readonly message: string }>) => vs.map((v) => v.message)

/** The scenario: every output, refusals as `Either` lefts. */
const scenario = Effect.gen(function* () {
  const repo = yield* setup
  const out: Record<string, unknown> = {}
  const either = Effect.either

  yield* repo.putBodies(bodies)
  out["badUnit"] = yield* either(
    repo.putBodies([Body.make({ id: "x", kind: "workstation", name: "甲", unitId: "nowhere" })])
  )
  out["bodies"] = yield* repo.bodies()
  out["bodiesS1c1"] = (yield* repo.bodies({ within: "s1c1" })).map((b) => b.id)
  out["bodiesS2"] = (yield* repo.bodies({ within: "s2" })).map((b) => b.id)
  out["bodiesKinds"] = (yield* repo.bodies({ kinds: ["residents-committee"] })).map((b) => b.id)
  out["bodiesIds"] = (yield* repo.bodies({ ids: ["pm", "c3-rc", "none"], within: "s1" })).map((b) => b.id)
  out["bodiesNowhere"] = yield* either(repo.bodies({ within: "nowhere" }))
  // a body renamed is an update
  yield* repo.putBodies([{ ...(bodies[4] as Body.Body), name: "东风社区居委会" }])
  out["renamed"] = yield* repo.bodies({ ids: ["c1-rc"] })

  yield* repo.putPosts(posts)
  out["orphanPost"] = yield* either(
    repo.putPosts([
      Post.make({ id: "p99", bodyId: "ghost", kind: "member", holder: "a", since: "2024-01-01" })
    ])
  )
  out["badAffiliation"] = yield* either(
    repo.putPosts([
      Post.make({
        id: "p98",
        bodyId: "c1-big",
        kind: "part-time-member",
        holder: "a",
        since: "2024-01-01",
        affiliation: "ghost2"
      })
    ])
  )
  out["posts"] = yield* repo.posts()
  out["postsS1c1Today"] = (yield* repo.posts({ within: "s1c1", heldOn: day })).map((p) => p.id)
  out["secretaryHistory"] = (yield* repo.posts({ bodyId: "c1-party" })).map((p) => [
    p.holder,
    p.since,
    p.until
  ])
  out["postsOfLi"] = (yield* repo.posts({ holder: "li" })).map((p) => p.id)
  out["postsS2"] = (yield* repo.posts({ within: "s2" })).map((p) => p.id)
  out["postsBefore"] = (yield* repo.posts({ heldOn: LocalDate.make("2023-12-31") })).map((p) => p.id)

  yield* repo.putMemberships(memberships)
  out["orphanMembership"] = yield* either(
    repo.putMemberships([
      { personId: P("x"), bodyId: Body.BodyId.make("ghost"), kind: "relation", since: day }
    ])
  )
  out["membershipsS1"] = yield* repo.memberships({ within: "s1" })
  out["membershipsBody"] = yield* repo.memberships({ bodyId: "c3-rc" })

  yield* repo.putCompounds([
    {
      id: U("s1c1cp1"),
      communityId: U("s1c1"),
      name: "一号小区",
      households: 240,
      management: { _tag: "Professional", propertyCompanyId: Body.BodyId.make("pm") }
    },
    { id: U("s2c1cp1"), communityId: U("s2c1"), name: "二号小区", management: { _tag: "Unmanaged" } }
  ])
  out["badCompound"] = yield* either(
    repo.putCompounds([
      {
        id: U("s1c1cp1"),
        communityId: U("s1c1"),
        name: "一号小区",
        management: { _tag: "Unmanaged", takenOverBy: U("mars") }
      }
    ])
  )
  out["compounds"] = yield* repo.compounds()
  out["compoundsS1"] = (yield* repo.compounds({ within: "s1" })).map((c) => c.id)

  yield* repo.putPeople(people)
  yield* repo.putPeople([{ ...(people[3] as Staffing.Person), phone: "13700002222" }])
  out["people"] = yield* repo.people(["zheng", "li", "nobody", "li"])
  out["noPeople"] = yield* repo.people([])

  yield* repo.putAppraisals([
    { unitId: U("s1c1"), appraisal: { cadreId: P("li"), period: may, score: 92 } },
    { unitId: U("s1c1"), appraisal: { cadreId: P("sun"), period: may, score: 55 } },
    { unitId: U("s2c1"), appraisal: { cadreId: P("he"), period: may, score: 70 } }
  ])
  // the same cadre and period again: an update
  yield* repo.putAppraisals([{ unitId: U("s1c1"), appraisal: { cadreId: P("sun"), period: may, score: 58 } }])
  out["badAppraisal"] = yield* either(
    repo.putAppraisals([{ unitId: U("mars"), appraisal: { cadreId: P("x"), period: may, score: 1 } }])
  )
  out["appraisals"] = yield* repo.appraisals()
  out["appraisalsS1"] = yield* repo.appraisals({ within: "s1" })

  const april = Period.ofDate(LocalDate.make("2024-04-01"), "month")
  yield* repo.putWeakAndLaxFlags([
    { bodyId: Body.BodyId.make("c1-party"), period: april, flagged: true, reason: "班子不团结" },
    { bodyId: Body.BodyId.make("c1-party"), period: may, flagged: true },
    { bodyId: Body.BodyId.make("c3-rc"), period: may, flagged: true, reason: "制度不落实" }
  ])
  // the same body and period again: an update (cleared, 清零)
  yield* repo.putWeakAndLaxFlags([{ bodyId: Body.BodyId.make("c1-party"), period: may, flagged: false }])
  out["badWeakAndLax"] = yield* either(
    repo.putWeakAndLaxFlags([
      { bodyId: Body.BodyId.make("c1-rc"), period: may, flagged: true },
      { bodyId: Body.BodyId.make("ghost"), period: may, flagged: true }
    ])
  )
  out["weakAndLax"] = yield* repo.weakAndLaxFlags()
  out["weakAndLaxS1"] = yield* repo.weakAndLaxFlags({ within: "s1" })
  out["weakAndLaxS2"] = yield* repo.weakAndLaxFlags({ within: "s2" })
  out["weakAndLaxNowhere"] = yield* either(repo.weakAndLaxFlags({ within: "nowhere" }))
  out["metricsApril"] = (yield* Org.metrics("s1", { day, period: april })).weakAndLax

  out["founding1"] = yield* Org.handleFounding({ command: find })
  out["founding2"] = yield* Org.handleFounding({ command: transfer(["pm-1", "pm-2", "pm-3"]) })
  out["foundingStale"] = yield* either(
    Org.handleFounding({ command: transfer(["pm-1"]), expectedVersion: 1 })
  )
  out["foundingRefused"] = yield* either(Org.handleFounding({ command: find }))
  out["foundingEvents"] = yield* repo.foundingEvents("s1c1cp1")
  out["foundingsS1"] = yield* repo.foundings({ within: "s1" })
  out["foundingsS2"] = yield* repo.foundings({ within: "s2" })
  out["foundingNone"] = yield* repo.foundingEvents("s2c1cp1")

  out["award1"] = yield* Org.handleAward({ command: open, unitId: "s1c1" })
  out["award2"] = yield* Org.handleAward({ command: nominate("zheng"), unitId: "ignored" })
  out["awardStale"] = yield* either(
    Org.handleAward({ command: nominate("sun"), unitId: "s1c1", expectedVersion: 1 })
  )
  out["awardBadUnit"] = yield* either(
    Org.handleAward({ command: { ...open, roundId: Award.RoundId.make("r2") }, unitId: "mars" })
  )
  out["awardEvents"] = yield* repo.awardEvents(R)
  out["awardsS1"] = yield* repo.awards({ within: "s1" })
  out["awardsS2"] = yield* repo.awards({ within: "s2" })
  out["round"] = yield* repo.round(R)
  out["roundMissing"] = yield* flip(repo.round("r9"))

  const report = yield* Org.check("s1", { day, residents: new Map([["s1c1", 3200]]) })
  out["check"] = {
    communities: report.communities,
    organization: plain(report.organization),
    memberships: plain(report.memberships),
    appraisals: plain(report.appraisals)
  }
  out["checkS2"] = plain((yield* Org.check("s2", { day })).memberships)
  out["checkNowhere"] = yield* either(Org.check("nowhere", { day }))
  out["metrics"] = yield* Org.metrics("d1", { day, period: may })
  out["directory"] = yield* Org.directory("s1c1cp1b1", {
    day,
    grids: ["g1"],
    staffing: {
      assignments: [
        Staffing.assign("gw1", "full-time-worker", { grid: "g1" }),
        Staffing.assign("gw2", "full-time-worker", { grid: "g2" }),
        Staffing.assign("cop", "police", { unit: "s1c1" }),
        Staffing.assign("cop2", "police", { unit: "s1c2" }),
        Staffing.assign("bl", "building-leader", { building: "s1c1cp1b1" })
      ],
      people: [
        Staffing.makePerson({ id: "gw1", name: "马网格", partyMember: false, phone: "13655556666" }),
        Staffing.makePerson({ id: "cop", name: "杨警官", partyMember: true, phone: "110" })
      ]
    }
  })
  out["directoryNowhere"] = yield* either(Org.directory("nowhere", { day }))
  return out
})

const run = (target: OrganizationTarget) => Effect.provide(scenario, target.layer())

describe("OrganizationRepository — the in-memory store", () => {
  it.effect("the scenario's outputs are what the core says", () =>
    Effect.gen(function* () {
      const out = yield* run(memory)
      expect(out["badUnit"]).toMatchObject(Either.left({ _tag: "UnitNotFound", unitId: "nowhere" }))
      expect(out["bodiesS1c1"]).toEqual([
        "b1-group",
        "c1-big",
        "c1-gc",
        "c1-grid",
        "c1-party",
        "c1-rc",
        "c1-ws",
        "cp1-oc"
      ])
      expect(out["bodiesS2"]).toEqual(["c3-rc"])
      expect(out["bodiesIds"]).toEqual(["pm"])
      expect(out["bodiesNowhere"]).toMatchObject(Either.left({ _tag: "UnitNotFound" }))
      expect(out["orphanPost"]).toMatchObject(Either.left({ _tag: "BodyNotFound", bodyId: "ghost" }))
      expect(out["badAffiliation"]).toMatchObject(Either.left({ _tag: "BodyNotFound", bodyId: "ghost2" }))
      expect(out["secretaryHistory"]).toEqual([
        ["wang", "2019-01-01", "2023-12-31"],
        ["li", "2024-01-01", undefined]
      ])
      expect(out["postsS2"]).toEqual(["p15"])
      expect(out["orphanMembership"]).toMatchObject(Either.left({ _tag: "BodyNotFound" }))
      expect((out["membershipsS1"] as ReadonlyArray<Membership.Membership>).map((m) => m.personId)).toEqual([
        "chen",
        "li"
      ])
      expect(out["badCompound"]).toMatchObject(Either.left({ _tag: "UnitNotFound", unitId: "mars" }))
      expect(out["compoundsS1"]).toEqual(["s1c1cp1"])
      expect((out["people"] as ReadonlyArray<Staffing.Person>).map((p) => [p.id, p.phone])).toEqual([
        ["li", "13812345678"],
        ["zheng", "13700002222"]
      ])
      expect((out["appraisalsS1"] as ReadonlyArray<Org.UnitAppraisal>).map((a) => a.appraisal.score)).toEqual(
        [92, 58]
      )
      expect(out["badWeakAndLax"]).toMatchObject(Either.left({ _tag: "BodyNotFound", bodyId: "ghost" }))
      // a refused write stores nothing (c1-rc came with the unknown body)
      expect(
        (out["weakAndLax"] as ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>).map((f) => [
          f.bodyId,
          Period.label(f.period),
          f.flagged,
          f.reason
        ])
      ).toEqual([
        ["c1-party", "2024-04", true, "班子不团结"],
        ["c1-party", "2024-05", false, undefined],
        ["c3-rc", "2024-05", true, "制度不落实"]
      ])
      expect(
        (out["weakAndLaxS1"] as ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>).map((f) => f.bodyId)
      ).toEqual(["c1-party", "c1-party"])
      expect(
        (out["weakAndLaxS2"] as ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>).map((f) => f.bodyId)
      ).toEqual(["c3-rc"])
      expect(out["weakAndLaxNowhere"]).toMatchObject(Either.left({ _tag: "UnitNotFound" }))
      expect(out["metricsApril"]).toMatchObject({ flagged: ["c1-party"], count: 1, target: 0, met: false })
      expect(out["foundingStale"]).toMatchObject(
        Either.left({ _tag: "FoundingConcurrencyConflict", expectedVersion: 1, actualVersion: 2 })
      )
      expect(out["foundingRefused"]).toMatchObject(Either.left({ _tag: "FoundingRefused" }))
      expect(
        (out["foundingsS1"] as ReadonlyArray<Org.Founding>).map((f) => [f.compoundId, f.version])
      ).toEqual([["s1c1cp1", 2]])
      expect(out["foundingsS2"]).toEqual([])
      expect(out["awardStale"]).toMatchObject(
        Either.left({ _tag: "AwardConcurrencyConflict", expectedVersion: 1, actualVersion: 2 })
      )
      expect(out["awardBadUnit"]).toMatchObject(Either.left({ _tag: "UnitNotFound", unitId: "mars" }))
      expect(out["award2"]).toMatchObject({ unitId: "s1c1", round: { version: 2 } })
      expect(out["awardsS2"]).toEqual([])
      expect(out["roundMissing"]).toMatchObject({ _tag: "RoundNotFound", roundId: "r9" })
      const check = out["check"] as {
        readonly communities: ReadonlyArray<string>
        readonly organization: ReadonlyArray<string>
        readonly memberships: ReadonlyArray<string>
        readonly appraisals: ReadonlyArray<string>
      }
      expect(check.communities).toEqual(["s1c1", "s1c2"])
      const tags = check.organization.map((m) => m.slice(m.lastIndexOf("[")))
      // 3,200 residents: at least 5 mediators; s1c2 has no population; no legal adviser in s1c2;
      // grid leaders outside the 两委; the 大党委 lacks 城管 and 市场监管; 李 holds 议 and 行; the temporary branch ended is fine
      expect(tags).toEqual(
        expect.arrayContaining([
          "[mediators-by-population/too-few]",
          "[mediators-by-population/population-unknown]",
          "[one-legal-adviser/too-few]",
          "[grid-leader-in-two-committees/not-two-committees]",
          "[big-party-committee/sector-missing]",
          "[deliberation-execution-separation/holds-both]"
        ])
      )
      // the first secretary comes from the street leadership (outside the community): no violation
      expect(tags).not.toContain("[big-party-committee/first-secretary-not-from-street]")
      // the compound's property company lies at the street: known, the right kind
      expect(tags.filter((t) => t.startsWith("[compound-management"))).toEqual([])
      expect(check.memberships).toEqual([])
      expect(out["checkS2"]).toHaveLength(1)
      expect(out["checkNowhere"]).toMatchObject(Either.left({ _tag: "UnitNotFound" }))
      const metrics = out["metrics"] as Org.MetricsReport
      expect(metrics.councilCoverage).toMatchObject({ numerator: 1, denominator: 4 })
      expect(metrics.councilMembers).toMatchObject({ numerator: 2, denominator: 1 })
      expect(metrics.compoundManagement).toMatchObject({ professional: 1, unmanaged: 1 })
      expect(metrics.lights).toMatchObject({ green: 1, orange: 1, red: 1 })
      // May over the district: c1-party cleared, c3-rc (in s2) still flagged
      expect(metrics.weakAndLax).toMatchObject({ flagged: ["c3-rc"], count: 1, target: 0, met: false })
      const directory = out["directory"] as ReadonlyArray<Org.DirectoryEntry>
      expect(directory.map((e) => [e.bodyId, e.kind, e.gridId, e.name, e.phone])).toEqual([
        ["b1-group", "building-leader", undefined, "郑**", "137****2222"],
        [undefined, "building-leader", undefined, undefined, undefined],
        ["cp1-oc", "director", undefined, "赵**", "139****1111"],
        ["c1-big", "secretary", undefined, "李**", "138****5678"],
        ["c1-party", "secretary", undefined, "李**", "138****5678"],
        ["c1-big", "first-secretary", undefined, undefined, undefined],
        ["c1-big", "part-time-member", undefined, undefined, undefined],
        ["c1-rc", "director", undefined, "李**", "138****5678"],
        ["c1-ws", "station-head", undefined, "李**", "138****5678"],
        ["c1-gc", "chair", undefined, "赵**", "139****1111"],
        ["c1-gc", "council-member", undefined, "钱**", undefined],
        ["c1-grid", "grid-leader", "g1", "孙**", "****-****3456"],
        ["c1-rc", "legal-adviser", undefined, undefined, undefined],
        [undefined, "full-time-worker", "g1", "马**", "136****6666"],
        [undefined, "police", undefined, "杨**", "***"]
      ])
      expect(JSON.stringify(directory)).not.toMatch(/13812345678|李小红/)
    })
  )
})

describe.each(organizationTargets.filter((t) => t.name !== "memory"))(
  "OrganizationRepository on $name",
  (target) => {
    it.effect("the scenario gives the in-memory store's outputs", () =>
      Effect.gen(function* () {
        const expected = yield* run(memory)
        const actual = yield* run(target)
        for (const key of Object.keys(expected)) expect([key, actual[key]]).toEqual([key, expected[key]])
        expect(Object.keys(actual)).toEqual(Object.keys(expected))
      })
    )
  }
)

describe.each(organizationTargets)("OrganizationRepository on $name", (target) => {
  it.effect(
    "foundings and rounds: racing writers with the same expected version — one wins, the others get a conflict, no event is lost or doubled",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const first = Either.getOrThrow(Founding.decider.decide(find, Founding.initial))
        const results = yield* Effect.all(
          Array.from({ length: 4 }, () =>
            Effect.either(
              repo.appendFoundingEvents({ compoundId: "s1c1cp1", expectedVersion: 0, events: first })
            )
          ),
          { concurrency: "unbounded" }
        )
        expect(results.filter(Either.isRight)).toEqual([Either.right({ id: "s1c1cp1", version: 1 })])
        for (const r of results.filter(Either.isLeft))
          expect(r.left).toMatchObject({
            _tag: "FoundingConcurrencyConflict",
            expectedVersion: 0,
            actualVersion: 1
          })
        // two writers that both saw version 1 transfer different members
        const state = Founding.fold(first)
        const a = Either.getOrThrow(Founding.decider.decide(transfer(["pm-1", "pm-2", "pm-3"]), state))
        const b = Either.getOrThrow(Founding.decider.decide(transfer(["pm-2", "pm-3", "pm-4"]), state))
        const race = yield* Effect.all(
          [a, b].map((events) =>
            Effect.either(repo.appendFoundingEvents({ compoundId: "s1c1cp1", expectedVersion: 1, events }))
          ),
          { concurrency: "unbounded" }
        )
        expect(race.filter(Either.isRight)).toHaveLength(1)
        expect(race.filter(Either.isLeft).map((r) => r.left)).toMatchObject([
          { _tag: "FoundingConcurrencyConflict", expectedVersion: 1, actualVersion: 2 }
        ])
        const winner = race[0] !== undefined && Either.isRight(race[0]) ? a : b
        const stored = yield* repo.foundingEvents("s1c1cp1")
        expect(stored).toEqual([...first, ...winner])
        expect(yield* repo.foundings()).toEqual([Founding.fold([...first, ...winner])])

        // award rounds: four openers, one round
        const opened = Either.getOrThrow(Award.decide(open, Award.initial))
        const openers = yield* Effect.all(
          Array.from({ length: 4 }, () =>
            Effect.either(
              repo.appendAwardEvents({ roundId: R, unitId: "s1c1", expectedVersion: 0, events: opened })
            )
          ),
          { concurrency: "unbounded" }
        )
        expect(openers.filter(Either.isRight)).toHaveLength(1)
        for (const r of openers.filter(Either.isLeft))
          expect(r.left).toMatchObject({
            _tag: "AwardConcurrencyConflict",
            expectedVersion: 0,
            actualVersion: 1
          })
        // nominations racing on version 1: one of them is stored
        const round = Award.fold(opened)
        const nominations = ["zheng", "sun", "qian"].map((who) =>
          Either.getOrThrow(Award.decide(nominate(who), round))
        )
        const nominated = yield* Effect.all(
          nominations.map((events) =>
            Effect.either(repo.appendAwardEvents({ roundId: R, unitId: "s1c1", expectedVersion: 1, events }))
          ),
          { concurrency: "unbounded" }
        )
        expect(nominated.filter(Either.isRight)).toHaveLength(1)
        const won = nominations[nominated.findIndex(Either.isRight)] ?? []
        expect(yield* repo.awardEvents(R)).toEqual([...opened, ...won])
        expect((yield* repo.round(R)).round).toEqual(Award.fold([...opened, ...won]))
        // a history that does not continue the round is refused, nothing written
        expect(
          yield* flip(
            repo.appendAwardEvents({ roundId: R, unitId: "s1c1", expectedVersion: 2, events: opened })
          )
        ).toMatchObject({ _tag: "AwardReplayError" })
        expect(yield* repo.awardEvents(R)).toHaveLength(2)
      }).pipe(Effect.provide(target.layer()))
  )
})

describe.each(organizationTargets)("OrganizationRepository on $name — properties", (target) => {
  it.effect.prop(
    "reads by jurisdiction are exactly the records whose unit lies in the subtree (ids with /, %, prefixes, non-BMP)",
    [
      arbHierarchy(20),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
      fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 16 }),
      fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 12 })
    ],
    ([generated, bodySeeds, postSeeds, flagSeeds]) =>
      Effect.gen(function* () {
        yield* (yield* HierarchyRepository).save(generated.scheme, generated.rows)
        const repo = yield* Org.OrganizationRepository
        const h = build(generated)
        const units = generated.rows.map((u) => u.id)
        const kinds = Body.defaultKinds.filter((k) => !k.temporary)
        const bodyRows = bodySeeds.map(([unitSeed, kindSeed], i) =>
          Body.make({
            id: `b${i}`,
            kind: kinds[kindSeed % kinds.length]?.id ?? "workstation",
            name: `机构${i}`,
            unitId: units[unitSeed % units.length] ?? ""
          })
        )
        const postRows =
          bodyRows.length === 0
            ? []
            : postSeeds.map(([bodySeed, ended], i) =>
                Post.make({
                  id: `p${i}`,
                  bodyId: bodyRows[bodySeed % bodyRows.length]?.id ?? "",
                  kind: "member",
                  holder: `h${bodySeed % 5}`,
                  since: "2024-01-01",
                  ...(ended ? { until: "2024-03-31" } : {})
                })
              )
        yield* repo.putBodies(bodyRows)
        yield* repo.putPosts(postRows)
        const q = Period.ofDate(LocalDate.make("2024-04-01"), "quarter")
        const flagRows =
          bodyRows.length === 0
            ? []
            : flagSeeds.map(([bodySeed, flagged]) => ({
                bodyId: bodyRows[bodySeed % bodyRows.length]?.id ?? Body.BodyId.make("none"),
                period: q,
                flagged
              }))
        yield* repo.putWeakAndLaxFlags(flagRows)
        // upserted by body and period: the last of each body
        const lastFlag = new Map(flagRows.map((f) => [f.bodyId as string, f.flagged] as const))
        const unitOf = new Map(bodyRows.map((b) => [b.id as string, b.unitId as string] as const))
        for (const within of units) {
          const scope = new Set(subtreeByCore(h, within))
          const bodiesIn = (yield* repo.bodies({ within })).map((b) => b.id)
          expect(bodiesIn).toEqual(
            bodyRows
              .filter((b) => scope.has(b.unitId))
              .map((b) => b.id)
              .sort()
          )
          const postsIn = (yield* repo.posts({ within, heldOn: LocalDate.make("2024-06-01") })).map(
            (p) => p.id
          )
          expect(postsIn).toEqual(
            postRows
              .filter((p) => scope.has(unitOf.get(p.bodyId) ?? "") && p.until === undefined)
              .map((p) => p.id)
              .sort()
          )
          const flagsIn = (yield* repo.weakAndLaxFlags({ within })).map((f) => [f.bodyId, f.flagged])
          expect(flagsIn).toEqual(
            [...lastFlag]
              .filter(([id]) => scope.has(unitOf.get(id) ?? ""))
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          )
          const report = (yield* Org.metrics(within, { day: LocalDate.make("2024-06-01"), period: q }))
            .weakAndLax
          expect(report?.flagged).toEqual(flagsIn.filter(([, v]) => v).map(([id]) => id))
          expect(report?.met).toBe(report?.count === 0)
        }
      }).pipe(Effect.provide(target.layer())),
    { fastCheck: { numRuns: target.name === "pg" ? 6 : 25 } }
  )
})

describe.each(organizationTargets)("OrganizationRepository on $name — populations", (target) => {
  it.effect(
    "populations are upserted by unit, read by jurisdiction, refused for an unknown unit, and the check reads them at the 3,000 boundary",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        yield* repo.putBodies([
          Body.make({ id: "c1-med", kind: "mediation-committee", name: "调委会", unitId: "s1c1" }),
          Body.make({ id: "c2-med", kind: "mediation-committee", name: "调委会", unitId: "s1c2" })
        ])
        // three mediators in each community
        yield* repo.putPosts(
          ["s1c1", "s1c2"].flatMap((c, i) =>
            [1, 2, 3].map((n) =>
              Post.make({
                id: `${c}-m${n}`,
                bodyId: i === 0 ? "c1-med" : "c2-med",
                kind: "mediator",
                holder: `${c}-h${n}`,
                since: "2024-01-01"
              })
            )
          )
        )
        const mediatorProblems = Effect.map(Org.check("s1", { day }), (r) =>
          r.organization
            .filter((v) => v.rule === "mediators-by-population")
            .map((v) => [v.unitId, v.problem] as const)
        )
        expect(yield* mediatorProblems).toEqual([
          ["s1c1", "population-unknown"],
          ["s1c2", "population-unknown"]
        ])
        expect(
          yield* flip(
            repo.putPopulations([
              { unitId: U("s1c1"), residents: 10 },
              { unitId: U("nowhere"), residents: 1 }
            ])
          )
        ).toMatchObject({ _tag: "UnitNotFound", unitId: "nowhere" })
        expect(yield* repo.populations()).toEqual([])
        yield* repo.putPopulations([
          { unitId: U("s1c1"), residents: 3000, asOf: LocalDate.make("2024-01-01") },
          { unitId: U("s1c2"), residents: 3001 },
          { unitId: U("s2c1"), residents: 120 }
        ])
        expect(yield* repo.populations({ within: "s1" })).toEqual([
          { unitId: "s1c1", residents: 3000, asOf: "2024-01-01" },
          { unitId: "s1c2", residents: 3001 }
        ])
        expect((yield* repo.populations({ within: "s2" })).map((p) => p.unitId)).toEqual(["s2c1"])
        // at 3,000 three suffice; above, five are needed
        expect(yield* mediatorProblems).toEqual([["s1c2", "too-few"]])
        // an update by unit
        yield* repo.putPopulations([{ unitId: U("s1c2"), residents: 2999 }])
        expect(yield* mediatorProblems).toEqual([])
        yield* repo.putPopulations([{ unitId: U("s1c1"), residents: 3001 }])
        expect(yield* mediatorProblems).toEqual([["s1c1", "too-few"]])
        // staff placements: by key, read by the unit they lie in
        const placement = (
          personId: string,
          unitId: string,
          placement: "stairwell" | "grid",
          targetId: string
        ) =>
          ({
            unitId: U(unitId),
            personId: P(personId),
            role: RoleTable.RoleId.make("stairwell-leader"),
            placement,
            targetId,
            since: LocalDate.make("2024-01-01")
          }) as const
        expect(yield* flip(repo.putPlacements([placement("a", "nowhere", "stairwell", "x")]))).toMatchObject({
          _tag: "UnitNotFound",
          unitId: "nowhere"
        })
        yield* repo.putPlacements([
          placement("a", "s1c1", "grid", "g1"),
          placement("b", "s2c1", "stairwell", "s2c1"),
          placement("a", "s1c1", "grid", "g1")
        ])
        expect((yield* repo.placements({ within: "s1" })).map((p) => p.personId)).toEqual(["a"])
        expect((yield* repo.placements()).map((p) => `${p.personId}@${p.unitId}`)).toEqual([
          "a@s1c1",
          "b@s2c1"
        ])
        // residents given to the check override the stored populations
        expect(
          (yield* Org.check("s1", { day, residents: new Map([["s1c1", 100]]) })).organization
            .filter((v) => v.rule === "mediators-by-population")
            .map((v) => [v.unitId, v.problem])
        ).toEqual([["s1c2", "population-unknown"]])
      }).pipe(Effect.provide(target.layer()))
  )
})
