/**
 * 组织配置规则 — the rules of bodies and posts: the field reports' cases
 * (大党委 of the community experience report, 一村一顾问 and mediators by
 * population of the Pingyi street report, grid leaders from the 两委 of the
 * Yilong county report, 议行分离 of the Panlong district report, 兜底 of
 * unmanaged compounds) and, per rule, properties over generated worlds: the
 * rule's violations are exactly the breaches an independent reading finds,
 * and every violation names entities that exist.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Body from "../src/Body.js"
import * as Compound from "../src/Compound.js"
import { GridId } from "../src/Grid.js"
import * as Rules from "../src/OrganizationRules.js"
import * as Post from "../src/Post.js"
import * as Staffing from "../src/Staffing.js"
import { UnitId } from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const DAY = LocalDate.make("2024-06-01")
const u = (id: string) => UnitId.make(id)

// -----------------------------------------------------------------------------
// a compliant community, after the community experience report
// -----------------------------------------------------------------------------

const street = Body.make({
  id: "street-lead",
  kind: "street-leadership",
  name: "街道领导班子",
  unitId: "s-1"
})
const police = Body.make({
  id: "dept-ps",
  kind: "department",
  name: "派出所",
  unitId: "s-1",
  sector: "public-security"
})
const chengguan = Body.make({
  id: "dept-um",
  kind: "department",
  name: "城管中队",
  unitId: "s-1",
  sector: "urban-management"
})
const market = Body.make({
  id: "dept-mr",
  kind: "department",
  name: "市场监管所",
  unitId: "s-1",
  sector: "market-regulation"
})
const partner = Body.make({ id: "cobuild-1", kind: "co-building-unit", name: "市直机关", unitId: "d-1" })
const branch = Body.make({
  id: "c1-party",
  kind: "community-party-committee",
  name: "社区党总支",
  unitId: "c-1"
})
const bigParty = Body.make({ id: "c1-big", kind: "big-party-committee", name: "社区大党委", unitId: "c-1" })
const committee = Body.make({ id: "c1-rc", kind: "residents-committee", name: "居委会", unitId: "c-1" })
const station = Body.make({ id: "c1-ws", kind: "workstation", name: "社区工作站", unitId: "c-1" })
const gridStation = Body.make({ id: "c1-grid", kind: "grid-station", name: "网格服务站", unitId: "c-1" })
const mediation = Body.make({ id: "c1-med", kind: "mediation-committee", name: "调解委员会", unitId: "c-1" })
const property = Body.make({ id: "pc-1", kind: "property-company", name: "某物业公司", unitId: "c-1" })
const owners = Body.make({ id: "oc-1", kind: "owners-committee", name: "业委会", unitId: "cp-2" })

const p = (
  id: string,
  bodyId: string,
  kind: string,
  holder: string,
  extra: Partial<Parameters<typeof Post.make>[0]> = {}
) => Post.make({ id, bodyId, kind, holder, since: "2023-01-01", ...extra })

const compliantPosts: ReadonlyArray<Post.Post> = [
  p("big-1", "c1-big", "first-secretary", "zhang", { affiliation: "street-lead", concurrent: true }),
  p("big-2", "c1-big", "secretary", "li", { concurrent: true }),
  p("big-3", "c1-big", "part-time-member", "wang", { affiliation: "dept-ps", concurrent: true }),
  p("big-4", "c1-big", "part-time-member", "zhao", { affiliation: "dept-um", concurrent: true }),
  p("big-5", "c1-big", "part-time-member", "qian", { affiliation: "dept-mr", concurrent: true }),
  p("big-6", "c1-big", "part-time-member", "sun", { affiliation: "cobuild-1", concurrent: true }),
  p("br-1", "c1-party", "secretary", "li"),
  p("rc-1", "c1-rc", "director", "li", { concurrent: true }),
  p("rc-2", "c1-rc", "member", "zhou"),
  p("ws-1", "c1-ws", "station-head", "wu"),
  p("gs-1", "c1-grid", "grid-leader", "zhou", { gridId: "g-1" }),
  p("ws-3", "c1-ws", "legal-adviser", "lawyer-chen"),
  ...["m1", "m2", "m3"].map((m, i) => p(`med-${i}`, "c1-med", "mediator", m))
]

const compliant: Rules.Input = {
  day: DAY,
  communities: [{ unitId: u("c-1"), residents: 2800, streetId: u("s-1") }],
  bodies: [
    street,
    police,
    chengguan,
    market,
    partner,
    branch,
    bigParty,
    committee,
    station,
    gridStation,
    mediation,
    property,
    owners
  ],
  posts: compliantPosts,
  compounds: [
    {
      id: u("cp-1"),
      communityId: u("c-1"),
      name: "一期",
      management: { _tag: "Professional", propertyCompanyId: property.id }
    },
    {
      id: u("cp-2"),
      communityId: u("c-1"),
      name: "老院",
      management: { _tag: "SelfManaged", bodyId: owners.id }
    },
    {
      id: u("cp-3"),
      communityId: u("c-1"),
      name: "无主楼",
      management: { _tag: "Unmanaged", takenOverBy: u("c-1") }
    }
  ]
}

const problems = (vs: ReadonlyArray<Rules.OrganizationViolation>) => vs.map((v) => `${v.rule}/${v.problem}`)

describe("OrganizationRules — the field reports' cases", () => {
  it("a community organised as the reports describe breaks no rule", () => {
    expect(Rules.check(compliant)).toEqual([])
    expect(Either.isRight(Rules.validate(compliant))).toBe(true)
  })

  it("mediators: ≥ 3 at or below 3,000 residents, ≥ 5 above; the boundary is configuration", () => {
    const at = { ...compliant, communities: [{ unitId: u("c-1"), residents: 3000, streetId: u("s-1") }] }
    expect(Rules.checkRule("mediators-by-population", at)).toEqual([])
    const above = { ...compliant, communities: [{ unitId: u("c-1"), residents: 3001, streetId: u("s-1") }] }
    const [v] = Rules.checkRule("mediators-by-population", above)
    expect(v?.problem).toBe("too-few")
    expect(v?.expected).toBe(5)
    expect(v?.found).toBe(3)
    expect(v?.message).toContain("调解员按人口配备")
    expect(v?.message).toContain("mediators by population")
    const moved = { ...Rules.defaultRules, mediatorBoundary: 5000 }
    expect(Rules.checkRule("mediators-by-population", above, moved)).toEqual([])
    expect(Rules.minimumMediators(3000)).toBe(3)
    expect(Rules.minimumMediators(3001)).toBe(5)
  })

  it("a community without a known population is reported, not assumed small", () => {
    const unknown = { ...compliant, communities: [{ unitId: u("c-1"), streetId: u("s-1") }] }
    expect(problems(Rules.checkRule("mediators-by-population", unknown))).toEqual([
      "mediators-by-population/population-unknown"
    ])
  })

  it("一村一顾问: none and two are both violations", () => {
    const none = { ...compliant, posts: compliantPosts.filter((x) => x.kind !== "legal-adviser") }
    expect(problems(Rules.checkRule("one-legal-adviser", none))).toEqual(["one-legal-adviser/too-few"])
    const two = {
      ...compliant,
      posts: [...compliantPosts, p("ws-9", "c1-ws", "legal-adviser", "lawyer-liu")]
    }
    const [v] = Rules.checkRule("one-legal-adviser", two)
    expect(v?.problem).toBe("too-many")
    expect(v?.personIds).toEqual(["lawyer-chen", "lawyer-liu"])
  })

  it("a grid leader who is not a 两委 member is reported with the post", () => {
    const posts = [...compliantPosts, p("gs-2", "c1-grid", "grid-leader", "outsider", { gridId: "g-2" })]
    const vs = Rules.checkRule("grid-leader-in-two-committees", { ...compliant, posts })
    expect(vs.map((v) => [v.problem, v.personIds, v.postIds])).toEqual([
      ["not-two-committees", ["outsider"], ["gs-2"]]
    ])
  })

  it("grid leaders from grid staffing are checked by the same rule", () => {
    const assignments = [
      Staffing.assign("zhou", "grid-leader", { grid: "g-1" }),
      Staffing.assign("outsider", "grid-leader", { grid: "g-2" }),
      Staffing.assign("outsider", "volunteer", { grid: "g-2" }),
      Staffing.assign("nobody", "grid-leader", { grid: "g-unknown" })
    ]
    const leaders = Rules.gridLeadersFromStaffing(assignments, (g) =>
      g === "g-unknown" ? undefined : u("c-1")
    )
    expect(leaders.map((l) => l.personId)).toEqual(["zhou", "outsider"])
    const vs = Rules.checkRule("grid-leader-in-two-committees", {
      ...compliant,
      staffingGridLeaders: leaders
    })
    expect(vs.map((v) => [v.personIds, v.detail, v.postIds])).toEqual([[["outsider"], "g-2", []]])
    expect(vs[0]?.message).toContain("网格 g-2")
  })

  it("大党委: a first secretary from outside the street, a secretary who is not the community's, a member from a company, a missing sector", () => {
    const otherStreet = Body.make({
      id: "street-2",
      kind: "street-leadership",
      name: "别的街道",
      unitId: "s-2"
    })
    const posts = compliantPosts
      .filter((x) => x.id !== "big-5")
      .map((x) =>
        x.id === "big-1"
          ? { ...x, affiliation: otherStreet.id }
          : x.id === "big-2"
            ? { ...x, holder: Post.make({ ...x, holder: "someone" }).holder }
            : x.id === "big-6"
              ? { ...x, affiliation: property.id }
              : x
      )
    const vs = Rules.checkRule("big-party-committee", {
      ...compliant,
      bodies: [...compliant.bodies, otherStreet],
      posts
    })
    expect(problems(vs).sort()).toEqual(
      [
        "big-party-committee/first-secretary-not-from-street",
        "big-party-committee/secretary-not-community-secretary",
        "big-party-committee/part-time-member-source",
        "big-party-committee/sector-missing"
      ].sort()
    )
    expect(vs.find((v) => v.problem === "sector-missing")?.detail).toBe("market-regulation")
  })

  it("议行分离: a person in both the residents' committee and the workstation", () => {
    const posts = [...compliantPosts, p("ws-5", "c1-ws", "member", "li")]
    const vs = Rules.checkRule("deliberation-execution-separation", { ...compliant, posts })
    expect(vs.map((v) => [v.personIds, v.bodyIds])).toEqual([[["li"], ["c1-rc", "c1-ws"]]])
    expect(vs[0]?.message).toContain("议行分离")
  })

  it("57 unmanaged compounds under 兜底 pass; one not taken over and one unrecorded fail", () => {
    const compounds: ReadonlyArray<Compound.Compound> = Array.from({ length: 57 }, (_, i) => ({
      id: u(`old-${i}`),
      communityId: u("c-1"),
      name: `老旧小区${i}`,
      management: { _tag: "Unmanaged", takenOverBy: u("s-1") }
    }))
    expect(Rules.checkRule("compound-management", { ...compliant, compounds })).toEqual([])
    const broken = [
      ...compounds,
      { id: u("x-1"), communityId: u("c-1"), name: "x1", management: { _tag: "Unmanaged" } } as const,
      { id: u("x-2"), communityId: u("c-1"), name: "x2" }
    ]
    expect(problems(Rules.checkRule("compound-management", { ...compliant, compounds: broken }))).toEqual([
      "compound-management/not-taken-over",
      "compound-management/no-arrangement"
    ])
  })

  it("a temporary branch must carry its end; two secretaries at once are an integrity violation", () => {
    const temp = Body.make({
      id: "tmp-1",
      kind: "temporary-party-branch",
      name: "疫情防控临时党支部",
      unitId: "c-1"
    })
    const posts = [...compliantPosts, p("br-2", "c1-party", "secretary", "ma", { since: "2024-01-01" })]
    const vs = Rules.checkRule("integrity", { ...compliant, bodies: [...compliant.bodies, temp], posts })
    expect(problems(vs).sort()).toEqual(["integrity/single-post-overlap", "integrity/temporary-without-end"])
    const ended = Body.make({ ...temp, until: "2022-12-31" })
    expect(Rules.checkRule("integrity", { ...compliant, bodies: [...compliant.bodies, ended] })).toEqual([])
  })

  it("the input decodes from JSON (an adapter's rows) and checks the same", () => {
    const json = Schema.encodeSync(Rules.InputSchema)(compliant)
    const decoded = Schema.decodeUnknownSync(Rules.InputSchema)(JSON.parse(JSON.stringify(json)))
    expect(Rules.check(decoded)).toEqual([])
    const refused = Schema.decodeUnknownEither(Rules.InputSchema)({ ...json, day: "2024-02-30" })
    expect(Either.isLeft(refused)).toBe(true)
  })

  it("the rules decode from configuration", () => {
    const decoded = Schema.decodeUnknownSync(Rules.Rules)(Schema.encodeSync(Rules.Rules)(Rules.defaultRules))
    expect(decoded).toEqual(Rules.defaultRules)
  })
})

// -----------------------------------------------------------------------------
// generated worlds
// -----------------------------------------------------------------------------

const UNITS = ["c-1", "c-2", "c-3", "s-1"] as const
const PEOPLE = ["a", "b", "c", "d", "e", "f", "g", "h"] as const
const BODY_IDS = ["b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"] as const
const BODY_KINDS = Body.defaultKinds.map((k) => k.id)
const POST_KINDS = Post.defaultKinds.map((k) => k.id)

const dayArb = fc
  .integer({ min: -400, max: 400 })
  .map((n) => LocalDate.make(new Date(Date.UTC(2024, 5, 1) + n * 86_400_000).toISOString().slice(0, 10)))

const termArb = fc
  .tuple(dayArb, fc.option(dayArb, { nil: undefined }))
  .map(([a, b]) =>
    b === undefined ? { since: a } : a <= b ? { since: a, until: b } : { since: b, until: a }
  )

const communityArb: fc.Arbitrary<Rules.Community> = Arbitrary.make(Rules.Community).chain((c) =>
  fc
    .record({
      unitId: fc.constantFrom(...UNITS.slice(0, 3)).map(u),
      residents: fc.option(fc.integer({ min: 0, max: 6000 }), { nil: undefined }),
      streetId: fc.constant(c.streetId === undefined ? undefined : u("s-1"))
    })
    .map(({ unitId, residents, streetId }) => ({
      unitId,
      ...(residents === undefined ? {} : { residents }),
      ...(streetId === undefined ? {} : { streetId })
    }))
)

const bodyArb: fc.Arbitrary<Body.Body> = fc
  .record({
    id: fc.constantFrom(...BODY_IDS),
    kind: fc.constantFrom(...BODY_KINDS),
    unitId: fc.constantFrom(...UNITS),
    sector: fc.option(fc.constantFrom("public-security", "urban-management", "market-regulation"), {
      nil: undefined
    }),
    term: fc.option(termArb, { nil: undefined })
  })
  .map(({ id, kind, unitId, sector, term }) =>
    Body.make({ id, kind, name: id, unitId, ...(sector === undefined ? {} : { sector }), ...(term ?? {}) })
  )

const postArb = (index: number): fc.Arbitrary<Post.Post> =>
  fc
    .record({
      bodyId: fc.constantFrom(...BODY_IDS),
      kind: fc.constantFrom(...POST_KINDS),
      holder: fc.constantFrom(...PEOPLE),
      term: termArb,
      concurrent: Arbitrary.make(Post.Post.fields.concurrent),
      affiliation: fc.option(fc.constantFrom(...BODY_IDS), { nil: undefined })
    })
    .map(({ bodyId, kind, holder, term, concurrent, affiliation }) =>
      Post.make({
        id: `p${index}`,
        bodyId,
        kind,
        holder,
        concurrent,
        ...term,
        ...(affiliation === undefined ? {} : { affiliation })
      })
    )

const compoundArb: fc.Arbitrary<Compound.Compound> = fc
  .record({
    id: fc.constantFrom("cp-1", "cp-2", "cp-3", "cp-4"),
    management: fc.option(Arbitrary.make(Compound.Management), { nil: undefined }),
    bodyId: fc.constantFrom(...BODY_IDS),
    takenOver: fc.option(fc.constantFrom(...UNITS), { nil: undefined })
  })
  .map(({ id, management, bodyId, takenOver }) => {
    const m: Compound.Management | undefined =
      management === undefined
        ? undefined
        : management._tag === "Professional"
          ? { _tag: "Professional", propertyCompanyId: Body.BodyId.make(bodyId) }
          : management._tag === "SelfManaged"
            ? { _tag: "SelfManaged", bodyId: Body.BodyId.make(bodyId) }
            : takenOver === undefined
              ? { _tag: "Unmanaged" }
              : { _tag: "Unmanaged", takenOverBy: u(takenOver) }
    return { id: u(id), communityId: u("c-1"), name: id, ...(m === undefined ? {} : { management: m }) }
  })

const worldArb: fc.Arbitrary<Rules.Input> = fc
  .record({
    day: dayArb,
    communities: fc.uniqueArray(communityArb, { selector: (c) => c.unitId, maxLength: 3 }),
    bodies: fc.uniqueArray(bodyArb, { selector: (b) => b.id, maxLength: 10 }),
    postCount: fc.integer({ min: 0, max: 40 }),
    compounds: fc.uniqueArray(compoundArb, { selector: (c) => c.id, maxLength: 4 })
  })
  .chain(({ postCount, ...rest }) =>
    fc.tuple(...Array.from({ length: postCount }, (_, i) => postArb(i))).map((posts) => ({ ...rest, posts }))
  )

// the independent reading: the posts held on the day in bodies that exist on the day, by unit
const activeAt = (w: Rules.Input, unit: UnitId): ReadonlyArray<Post.Post> =>
  w.posts.filter((x) => {
    const b = w.bodies.find((y) => y.id === x.bodyId)
    return (
      b !== undefined &&
      b.unitId === unit &&
      (b.since === undefined || b.since <= w.day) &&
      (b.until === undefined || w.day <= b.until) &&
      x.since <= w.day &&
      (x.until === undefined || w.day <= x.until)
    )
  })

const distinctHolders = (posts: ReadonlyArray<Post.Post>, kind: string) =>
  new Set(posts.filter((x) => x.kind === kind).map((x) => x.holder)).size

describe("OrganizationRules — properties over generated worlds", () => {
  it.prop(
    "mediators: the communities reported are exactly those with too few or no population",
    [worldArb],
    ([w]) => {
      const reported = new Set(Rules.checkRule("mediators-by-population", w).map((v) => v.unitId))
      for (const c of w.communities) {
        const n = distinctHolders(activeAt(w, c.unitId), "mediator")
        const breaks = c.residents === undefined || n < (c.residents > 3000 ? 5 : 3)
        expect(reported.has(c.unitId)).toBe(breaks)
      }
      expect(reported.size).toBeLessThanOrEqual(w.communities.length)
    }
  )

  it.prop("一村一顾问: reported iff the distinct legal advisers are not exactly one", [worldArb], ([w]) => {
    const reported = new Set(Rules.checkRule("one-legal-adviser", w).map((v) => v.unitId))
    for (const c of w.communities) {
      expect(reported.has(c.unitId)).toBe(distinctHolders(activeAt(w, c.unitId), "legal-adviser") !== 1)
    }
  })

  it.prop(
    "grid leaders: the posts reported are exactly the active ones whose holder sits on no 两委 body of the unit",
    [worldArb],
    ([w]) => {
      const twoCommittees = new Set(Body.defaultKinds.filter((k) => k.twoCommittees).map((k) => k.id))
      const expected = new Set<string>()
      for (const unit of UNITS.map(u)) {
        const active = activeAt(w, unit)
        for (const x of active) {
          if (x.kind !== "grid-leader") continue
          const member = active.some(
            (y) =>
              y.id !== x.id &&
              y.holder === x.holder &&
              twoCommittees.has(w.bodies.find((b) => b.id === y.bodyId)?.kind ?? Body.BodyKindId.make("?"))
          )
          if (!member) expected.add(x.id)
        }
      }
      const reported = Rules.checkRule("grid-leader-in-two-committees", w).flatMap((v) => v.postIds)
      expect(new Set(reported)).toEqual(expected)
      // the same rule over grid staffing: a leader is reported iff they hold no active post on a 两委 body of the unit
      const leaders = PEOPLE.map((person, i) => ({
        personId: Staffing.PersonId.make(person),
        gridId: GridId.make(`g-${i}`),
        unitId: u(UNITS[i % 3] ?? "c-1")
      }))
      const staffed = Rules.checkRule("grid-leader-in-two-committees", {
        ...w,
        staffingGridLeaders: leaders
      }).filter((v) => v.detail !== undefined)
      const expectedStaffed = leaders.filter(
        (l) =>
          !activeAt(w, l.unitId).some(
            (y) =>
              y.holder === l.personId &&
              twoCommittees.has(w.bodies.find((b) => b.id === y.bodyId)?.kind ?? Body.BodyKindId.make("?"))
          )
      )
      expect(staffed.map((v) => v.detail).sort()).toEqual(expectedStaffed.map((l) => l.gridId).sort())
    }
  )

  it.prop(
    "议行分离: the people reported per community are exactly those in both a deliberative and an executive body",
    [worldArb],
    ([w]) => {
      const classOf = (bodyId: string) =>
        Body.classOf(Body.defaultKinds, w.bodies.find((b) => b.id === bodyId) as Body.Body)
      for (const c of w.communities) {
        const active = activeAt(w, c.unitId)
        const expected = PEOPLE.filter(
          (person) =>
            active.some((x) => x.holder === person && classOf(x.bodyId) === "deliberative") &&
            active.some((x) => x.holder === person && classOf(x.bodyId) === "executive")
        )
        const reported = Rules.checkRule("deliberation-execution-separation", w)
          .filter((v) => v.unitId === c.unitId)
          .flatMap((v) => v.personIds)
        expect([...reported].sort()).toEqual([...expected].sort())
      }
    }
  )

  it.prop(
    "compound management: no violation iff every compound is arranged by a known body of the right kind",
    [worldArb],
    ([w]) => {
      const ok = (c: Compound.Compound): boolean => {
        const m = c.management
        if (m === undefined) return false
        if (m._tag === "Unmanaged") return m.takenOverBy !== undefined
        const id = m._tag === "Professional" ? m.propertyCompanyId : m.bodyId
        const body = w.bodies.find((b) => b.id === id)
        const kinds: ReadonlyArray<string> =
          m._tag === "Professional" ? ["property-company"] : ["owners-committee", "social-organization"]
        return (
          body !== undefined &&
          kinds.includes(body.kind) &&
          (body.since === undefined || body.since <= w.day) &&
          (body.until === undefined || w.day <= body.until)
        )
      }
      const reported = new Set(Rules.checkRule("compound-management", w).map((v) => v.unitId))
      for (const c of w.compounds) expect(reported.has(c.id)).toBe(!ok(c))
    }
  )

  it.prop(
    "integrity: a single post is reported iff two different holders' terms overlap in one body",
    [worldArb],
    ([w]) => {
      const known = new Set(w.bodies.map((b) => b.id))
      const single = new Set(Post.defaultKinds.filter((k) => k.single).map((k) => k.id))
      const expected = new Set<string>()
      for (const a of w.posts)
        for (const b of w.posts) {
          if (a.id === b.id || a.bodyId !== b.bodyId || a.kind !== b.kind || a.holder === b.holder) continue
          if (!single.has(a.kind) || !known.has(a.bodyId)) continue
          const meet =
            (a.until === undefined || b.since <= a.until) && (b.until === undefined || a.since <= b.until)
          if (meet) expected.add(`${a.bodyId}/${a.kind}`)
        }
      const reported = Rules.checkRule("integrity", w)
        .filter((v) => v.problem === "single-post-overlap")
        .map((v) => `${v.bodyIds[0]}/${v.detail}`)
      expect(new Set(reported)).toEqual(expected)
      expect(reported.length).toBe(expected.size)
      const unknownBody = Rules.checkRule("integrity", w).filter((v) => v.problem === "unknown-body")
      expect(unknownBody.length).toBe(w.posts.filter((x) => !known.has(x.bodyId)).length)
    }
  )

  it.prop(
    "big party committee: every violation names an existing 大党委 body of the input",
    [worldArb],
    ([w]) => {
      const big = new Set(w.bodies.filter((b) => b.kind === "big-party-committee").map((b) => b.id))
      for (const v of Rules.checkRule("big-party-committee", w)) {
        expect(v.bodyIds.length).toBe(1)
        expect(big.has(v.bodyIds[0] as Body.BodyId)).toBe(true)
      }
    }
  )

  it.prop("every violation of every rule names entities that exist in the input", [worldArb], ([w]) => {
    const units = new Set<string>([
      ...w.communities.map((c) => c.unitId),
      ...w.compounds.map((c) => c.id),
      ...w.bodies.map((b) => b.unitId)
    ])
    const bodies = new Set<string>(w.bodies.map((b) => b.id))
    const posts = new Set<string>(w.posts.map((x) => x.id))
    const people = new Set<string>(w.posts.map((x) => x.holder))
    for (const v of Rules.check(w)) {
      if (v.unitId !== undefined) expect(units.has(v.unitId)).toBe(true)
      for (const id of v.bodyIds) expect(bodies.has(id)).toBe(true)
      for (const id of v.postIds) expect(posts.has(id)).toBe(true)
      for (const id of v.personIds) expect(people.has(id)).toBe(true)
      expect(v.message).toMatch(/[\u4e00-\u9fa5].* — [A-Za-z]/)
    }
  })

  it.prop(
    "check is the union of the enabled rules, sorted, and independent of input order",
    [worldArb, fc.integer()],
    ([w, seed]) => {
      const all = Rules.check(w)
      const union = Rules.ruleNames.flatMap((r) => Rules.checkRule(r, w))
      expect(all.length).toBe(union.length)
      const shuffle = <A>(xs: ReadonlyArray<A>): Array<A> =>
        xs
          .map((x, i) => ({ x, k: (i * 7919 + seed) % 1009 }))
          .sort((a, b) => a.k - b.k)
          .map(({ x }) => x)
      const shuffled = {
        ...w,
        communities: shuffle(w.communities),
        posts: shuffle(w.posts),
        compounds: shuffle(w.compounds)
      }
      expect(Rules.check(shuffled).map((v) => v.message)).toEqual(all.map((v) => v.message))
      const none = Rules.check(w, { ...Rules.defaultRules, enabled: [] })
      expect(none).toEqual([])
    }
  )

  const mutations: ReadonlyArray<{
    readonly name: string
    readonly apply: (posts: ReadonlyArray<Post.Post>) => ReadonlyArray<Post.Post>
    readonly expected: ReadonlyArray<Rules.Problem>
  }> = [
    {
      name: "drop the first secretary",
      apply: (posts) => posts.filter((x) => x.id !== "big-1"),
      expected: ["first-secretary-missing"]
    },
    {
      name: "a second secretary",
      apply: (posts) => [...posts, p("big-9", "c1-big", "secretary", "li2")],
      expected: ["secretaries-several", "secretary-not-community-secretary"]
    },
    {
      name: "a first secretary from a co-building unit",
      apply: (posts) =>
        posts.map((x) =>
          x.id === "big-1"
            ? p("big-1", "c1-big", "first-secretary", "zhang", { affiliation: "cobuild-1" })
            : x
        ),
      expected: ["first-secretary-not-from-street"]
    },
    {
      name: "a member from a property company",
      apply: (posts) => [...posts, p("big-8", "c1-big", "part-time-member", "boss", { affiliation: "pc-1" })],
      expected: ["part-time-member-source"]
    },
    {
      name: "no member from 公安",
      apply: (posts) => posts.filter((x) => x.id !== "big-3"),
      expected: ["sector-missing"]
    }
  ]

  it.prop(
    "a compliant 大党委 stays compliant, and each mutation is reported as its own problem",
    [fc.integer({ min: 0, max: 3 }), fc.constantFrom(...mutations)],
    ([extra, mutation]) => {
      const extras = Array.from({ length: extra }, (_, i) =>
        p(`big-x${i}`, "c1-big", "part-time-member", `x${i}`, { affiliation: "cobuild-1" })
      )
      const base = { ...compliant, posts: [...compliantPosts, ...extras] }
      expect(Rules.checkRule("big-party-committee", base)).toEqual([])
      const mutated = { ...base, posts: mutation.apply(base.posts) }
      expect(
        Rules.checkRule("big-party-committee", mutated)
          .map((v) => v.problem)
          .sort()
      ).toEqual([...mutation.expected].sort())
    }
  )
})
