/**
 * 组织建设指标 — the reports' figures as tests (the Panlong district report's
 * 37 governance councils over 51 communities and villages = 72.5 % with 223
 * members ≈ 6.0 per council; the Yilong county report's 52 compound and 6
 * property party organisations and 63 业(院)委会; the Pingyi street report's 57
 * unmanaged compounds under 兜底 and 软弱涣散村清零 over 83 villages and
 * communities; the community experience report's 441 楼道长 with party members
 * above 80 %) and properties of the ratios.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Body from "../src/Body.js"
import * as Compound from "../src/Compound.js"
import * as Metrics from "../src/OrganizationMetrics.js"
import * as Period from "../src/Period.js"
import * as Post from "../src/Post.js"
import * as Ratio from "../src/Ratio.js"
import * as Staffing from "../src/Staffing.js"
import { UnitId } from "../src/Unit.js"

const units = (n: number, prefix = "c") =>
  Array.from({ length: n }, (_, i) => UnitId.make(`${prefix}-${i + 1}`))

describe("OrganizationMetrics — the reports' figures", () => {
  // 37 councils over 51 communities and villages, 37 chairs and 223 members
  const communities = units(51)
  const councils = communities
    .slice(0, 37)
    .map((unitId, i) =>
      Body.make({ id: `council-${i + 1}`, kind: "governance-council", name: `治理理事会${i + 1}`, unitId })
    )
  const chairs = councils.map((c, i) =>
    Post.make({ id: `chair-${i}`, bodyId: c.id, kind: "chair", holder: `chair-${i}`, since: "2023-01-01" })
  )
  const members = Array.from({ length: 223 }, (_, i) =>
    Post.make({
      id: `m-${i}`,
      bodyId: `council-${(i % 37) + 1}`,
      kind: "council-member",
      holder: `member-${i}`,
      since: "2023-01-01"
    })
  )

  it("37 councils over 51 communities and villages: 72.5 %", () => {
    const coverage = Metrics.bodyCoverage(communities, councils, [Body.kinds.governanceCouncil])
    expect(coverage).toEqual({ numerator: 37, denominator: 51 })
    expect(Ratio.format(coverage)).toBe("72.5%")
  })

  it("223 members over 37 councils: about 6.0 per council; one chair each", () => {
    const perCouncil = Metrics.membersPerBody(
      councils,
      [...chairs, ...members],
      [Body.kinds.governanceCouncil],
      [Post.kinds.councilMember]
    )
    expect(perCouncil).toEqual({ numerator: 223, denominator: 37 })
    expect(Either.getOrThrow(Either.fromOption(Ratio.rate(perCouncil), () => "no data")).toFixed(1)).toBe(
      "6.0"
    )
    expect(
      Metrics.membersPerBody(
        councils,
        [...chairs, ...members],
        [Body.kinds.governanceCouncil],
        [Post.kinds.chair]
      )
    ).toEqual({
      numerator: 37,
      denominator: 37
    })
  })

  it("52 compound party organisations, 6 property-company party organisations, 63 业(院)委会", () => {
    const bodies = [
      ...units(52, "cp").map((unitId, i) =>
        Body.make({ id: `cpb-${i}`, kind: "compound-party-branch", name: "小区党支部", unitId })
      ),
      ...units(6, "pc").map((unitId, i) =>
        Body.make({ id: `ppb-${i}`, kind: "property-party-branch", name: "物业党支部", unitId })
      ),
      ...units(63, "oc").map((unitId, i) =>
        Body.make({ id: `oc-${i}`, kind: "owners-committee", name: "业委会", unitId })
      )
    ]
    expect(Metrics.bodiesByKind(bodies)).toEqual([
      { kind: "compound-party-branch", count: 52 },
      { kind: "property-party-branch", count: 6 },
      { kind: "owners-committee", count: 63 }
    ])
  })

  it("57 unmanaged compounds all under 兜底: every compound arranged", () => {
    const compounds: ReadonlyArray<Compound.Compound> = units(57, "old").map((id) => ({
      id,
      communityId: UnitId.make("c-1"),
      name: "老城区小区",
      management: { _tag: "Unmanaged", takenOverBy: UnitId.make("street-pingyi") }
    }))
    const m = Metrics.compoundManagement(compounds)
    expect(m.takenOver).toBe(57)
    expect(m.takenOverShare).toEqual({ numerator: 57, denominator: 57 })
    expect(Ratio.format(m.arranged)).toBe("100.0%")
    const one = Metrics.compoundManagement([
      ...compounds,
      { id: UnitId.make("x"), communityId: UnitId.make("c-1"), name: "x", management: { _tag: "Unmanaged" } }
    ])
    expect(one.arranged).toEqual({ numerator: 57, denominator: 58 })
    expect(one.unmanaged).toBe(1)
  })

  it("软弱涣散 cleared to zero over 83 villages and communities; one flag misses the target", () => {
    const q = Either.getOrThrow(Period.parse("2024-Q4"))
    const flags = units(83).map((_, i) => ({
      bodyId: Body.BodyId.make(`party-${i}`),
      period: q,
      flagged: false
    }))
    expect(Metrics.weakAndLax(flags, q)).toEqual({ flagged: [], count: 0, target: 0, met: true })
    const earlier = Either.getOrThrow(Period.parse("2024-Q3"))
    const withHistory = [...flags, { bodyId: Body.BodyId.make("party-5"), period: earlier, flagged: true }]
    expect(Metrics.weakAndLax(withHistory, q).met).toBe(true)
    expect(Metrics.weakAndLax(withHistory, earlier)).toEqual({
      flagged: ["party-5"],
      count: 1,
      target: 0,
      met: false
    })
  })

  it("一委一站, 两委一站, 两委两站: the Panlong district report's patterns", () => {
    const c = UnitId.make("c-jinxing")
    const rc = Body.make({ id: "rc", kind: "residents-committee", name: "居委会", unitId: c })
    const party = Body.make({ id: "pb", kind: "community-party-committee", name: "社区党委", unitId: c })
    const ws = Body.make({ id: "ws", kind: "workstation", name: "工作站", unitId: c })
    const ss = Body.make({ id: "ss", kind: "workstation", name: "服务站", unitId: c })
    const council = Body.make({ id: "gc", kind: "governance-council", name: "治理理事会", unitId: c })
    expect(Metrics.patternOf([rc, ws, council], c).pattern).toBe("一委一站")
    expect(Metrics.patternOf([rc, party, ws], c).pattern).toBe("两委一站")
    expect(Metrics.patternOf([rc, party, ws, ss], c)).toEqual({
      committees: 2,
      stations: 2,
      pattern: "两委两站"
    })
    expect(Metrics.patternOf([rc, party, ws, ss], UnitId.make("elsewhere")).pattern).toBe("other")
  })

  it("441 楼道长 with party members above 80 %", () => {
    const people = Array.from({ length: 441 }, (_, i) =>
      Staffing.makePerson({ id: `ld-${i}`, name: `楼道长${i}`, partyMember: i < 353 })
    )
    const posts = people.map((p, i) =>
      Post.make({
        id: `bl-${i}`,
        bodyId: "c1-grid",
        kind: "building-leader",
        holder: p.id,
        since: "2023-01-01"
      })
    )
    const [share] = Metrics.partyShareByPost(posts, people)
    expect(share?.share).toEqual({ numerator: 353, denominator: 441 })
    expect(Ratio.atLeast(share?.share ?? Ratio.empty, 0.8)).toEqual(Option.some(true))
  })
})

describe("OrganizationMetrics — properties", () => {
  const unitPool = units(8)
  const bodyArb = fc
    .record({
      unit: fc.constantFrom(...unitPool),
      kind: fc.constantFrom(...Body.defaultKinds.map((k) => k.id)),
      n: fc.nat(99)
    })
    .map(({ unit, kind, n }) => Body.make({ id: `b-${n}`, kind, name: "x", unitId: unit }))

  it.prop(
    "coverage adds over disjoint sets of units (a rollup adds numerators and denominators)",
    [fc.array(bodyArb, { maxLength: 20 }), fc.subarray(unitPool)],
    ([bodies, left]) => {
      const right = unitPool.filter((u) => !left.includes(u))
      const kinds = [Body.kinds.governanceCouncil, Body.kinds.residentsCommittee]
      const whole = Metrics.bodyCoverage(unitPool, bodies, kinds)
      expect(
        Ratio.add(Metrics.bodyCoverage(left, bodies, kinds), Metrics.bodyCoverage(right, bodies, kinds))
      ).toEqual(whole)
      expect(whole.numerator).toBe(
        unitPool.filter((u) => bodies.some((b) => b.unitId === u && kinds.includes(b.kind))).length
      )
    }
  )

  it.prop(
    "compound coverage: the modes partition the compounds, and arranged = professional + self-managed + taken over",
    [
      fc.array(fc.record({ m: fc.option(Arbitrary.make(Compound.Management), { nil: undefined }) }), {
        maxLength: 30
      })
    ],
    ([rows]) => {
      const compounds: ReadonlyArray<Compound.Compound> = rows.map(({ m }, i) => ({
        id: UnitId.make(`cp-${i}`),
        communityId: UnitId.make("c-1"),
        name: "x",
        ...(m === undefined ? {} : { management: m })
      }))
      const r = Metrics.compoundManagement(compounds)
      expect(r.professional + r.selfManaged + r.takenOver + r.unmanaged + r.unrecorded).toBe(compounds.length)
      expect(r.arranged).toEqual({
        numerator: r.professional + r.selfManaged + r.takenOver,
        denominator: compounds.length
      })
    }
  )
})
