/**
 * 党员组织关系与双报到 — a member's relation and reports (双报到), posts and
 * their terms (appointment history): every breach reported; properties.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as fc from "effect/FastCheck"
import { BodyId } from "../src/Body.js"
import * as Membership from "../src/Membership.js"
import * as Post from "../src/Post.js"
import { PersonId } from "../src/Staffing.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const d = (s: string) => LocalDate.make(s)
const m = (
  personId: string,
  bodyId: string,
  kind: Membership.MembershipKind,
  since: string,
  extra: { readonly homeBodyId?: string; readonly until?: string } = {}
): Membership.Membership => ({
  personId: PersonId.make(personId),
  bodyId: BodyId.make(bodyId),
  kind,
  since: d(since),
  ...(extra.homeBodyId === undefined ? {} : { homeBodyId: BodyId.make(extra.homeBodyId) }),
  ...(extra.until === undefined ? {} : { until: d(extra.until) })
})

describe("Membership — 双报到", () => {
  const memberships = [
    m("teacher-wang", "school-branch", "relation", "2015-09-01"),
    m("teacher-wang", "cp-1-branch", "reported", "2022-03-01", { homeBodyId: "school-branch" }),
    m("retired-li", "cp-1-branch", "relation", "2020-01-01")
  ]

  it("an in-service member holds the relation at work and reports where they live", () => {
    expect(Membership.check(memberships)).toEqual([])
    expect(Membership.dualReportedOn(memberships, d("2024-06-01"))).toEqual(["teacher-wang"])
    expect(Membership.membersOn(memberships, BodyId.make("cp-1-branch"), d("2024-06-01"))).toEqual([
      "retired-li",
      "teacher-wang"
    ])
    expect(Membership.membersOn(memberships, BodyId.make("cp-1-branch"), d("2021-06-01"))).toEqual([
      "retired-li"
    ])
  })

  it("reports two relations at once, a report without its home, a report to the home branch", () => {
    const broken = [
      ...memberships,
      m("retired-li", "other-branch", "relation", "2023-01-01"),
      m("zhao", "cp-1-branch", "reported", "2023-01-01"),
      m("qian", "x-branch", "reported", "2023-01-01", { homeBodyId: "x-branch" })
    ]
    expect(Membership.check(broken).map((v) => [v.rule, v.personId, v.bodyIds])).toEqual([
      ["report-to-home", "qian", ["x-branch"]],
      ["several-relations", "retired-li", ["cp-1-branch", "other-branch"]],
      ["reported-without-home", "zhao", ["cp-1-branch"]]
    ])
    expect(Membership.check(broken)[0]?.message).toMatch(/党员 qian .* — party member qian/)
  })

  it("a relation that ended before the next began is not two at once", () => {
    const moved = [
      m("li", "a", "relation", "2020-01-01", { until: "2022-12-31" }),
      m("li", "b", "relation", "2023-01-01")
    ]
    expect(Membership.check(moved)).toEqual([])
  })
})

describe("Post — appointment history", () => {
  const posts = [
    Post.make({ id: "s-2", bodyId: "party", kind: "secretary", holder: "ma", since: "2021-01-01" }),
    Post.make({
      id: "s-1",
      bodyId: "party",
      kind: "secretary",
      holder: "li",
      since: "2016-01-01",
      until: "2020-12-31"
    }),
    Post.make({
      id: "d-1",
      bodyId: "rc",
      kind: "director",
      holder: "ma",
      since: "2021-01-01",
      concurrent: true
    })
  ]

  it("the successive holders of a post, a person's posts, the holders on a day", () => {
    expect(
      Post.historyOfPost(posts, BodyId.make("party"), Post.kinds.secretary).map((p) => p.holder)
    ).toEqual(["li", "ma"])
    expect(Post.historyOfPerson(posts, PersonId.make("ma")).map((p) => p.id)).toEqual(["d-1", "s-2"])
    expect(Post.holdersOn(posts, BodyId.make("party"), Post.kinds.secretary, d("2019-05-01"))).toEqual(["li"])
    expect(Post.activeOn(posts, d("2024-01-01")).map((p) => p.id)).toEqual(["s-2", "d-1"])
    expect(Post.kindName(Post.defaultKinds, Post.kinds.firstSecretary)).toEqual({
      zh: "第一书记",
      en: "first secretary"
    })
  })
})

describe("Membership and Post — properties", () => {
  const dayArb = fc
    .integer({ min: 0, max: 30 })
    .map((n) => d(new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)))
  const membershipArb: fc.Arbitrary<Membership.Membership> = fc
    .record({
      personId: fc.constantFrom("a", "b", "c"),
      bodyId: fc.constantFrom("x", "y", "z"),
      kind: Arbitrary.make(Membership.MembershipKind),
      home: fc.option(fc.constantFrom("x", "y", "z"), { nil: undefined }),
      since: dayArb,
      until: fc.option(dayArb, { nil: undefined })
    })
    .map(({ personId, bodyId, kind, home, since, until }) =>
      m(personId, bodyId, kind, since, {
        ...(home === undefined ? {} : { homeBodyId: home }),
        ...(until === undefined ? {} : { until })
      })
    )

  it.prop(
    "check is empty iff relations never overlap, terms run forward and reports name another home",
    [fc.array(membershipArb, { maxLength: 8 })],
    ([xs]) => {
      const rel = xs.filter((x) => x.kind === "relation")
      const overlap = rel.some((a, i) =>
        rel.some(
          (b, j) =>
            j > i &&
            a.personId === b.personId &&
            (a.until === undefined || b.since <= a.until) &&
            (b.until === undefined || a.since <= b.until)
        )
      )
      const reversed = xs.some((x) => x.until !== undefined && x.until < x.since)
      const badReport = xs.some(
        (x) => x.kind === "reported" && (x.homeBodyId === undefined || x.homeBodyId === x.bodyId)
      )
      const vs = Membership.check(xs)
      expect(vs.length === 0).toBe(!overlap && !reversed && !badReport)
      const people = new Set(xs.map((x) => x.personId))
      for (const v of vs) expect(people.has(v.personId)).toBe(true)
    }
  )

  it.prop(
    "a post is held on a day iff the day lies in its term; overlaps is symmetric",
    [dayArb, dayArb, fc.option(dayArb, { nil: undefined }), dayArb, fc.option(dayArb, { nil: undefined })],
    ([day, s1, u1, s2, u2]) => {
      const a = Post.make({
        id: "a",
        bodyId: "b",
        kind: "secretary",
        holder: "p",
        since: s1,
        ...(u1 === undefined ? {} : { until: u1 })
      })
      const b = Post.make({
        id: "b",
        bodyId: "b",
        kind: "secretary",
        holder: "q",
        since: s2,
        ...(u2 === undefined ? {} : { until: u2 })
      })
      expect(Post.heldOn(a, day)).toBe(s1 <= day && (u1 === undefined || day <= u1))
      expect(Post.overlaps(a, b)).toBe(Post.overlaps(b, a))
      if (Post.heldOn(a, day) && Post.heldOn(b, day)) expect(Post.overlaps(a, b)).toBe(true)
    }
  )
})
