/**
 * 表决 — ballots are refused when double (per voter, or per household under
 * 一户一票), off the roll or for an unknown option; thresholds are exact at the
 * boundaries; the result is recomputable from the ballots.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Vote from "../src/Vote.js"

const V = (s: string) => Vote.VoterId.make(s)
const H = (s: string) => Vote.HouseholdKey.make(s)
const O = (s: string) => Vote.OptionId.make(s)

const roll = (n: number, perHousehold = 1): ReadonlyArray<Vote.Elector> =>
  Array.from({ length: n }, (_, i) => ({
    voterId: V(`v${i}`),
    household: H(`h${Math.floor(i / perHousehold)}`)
  }))

const rule = (fields: {
  readonly n: number
  readonly perHousehold?: number
  readonly onePerHousehold?: boolean
  readonly threshold?: Vote.Threshold
}): Vote.VoteRule => ({
  electorate: {
    basis: fields.onePerHousehold === true ? "household" : "representative",
    onePerHousehold: fields.onePerHousehold ?? false,
    roll: roll(fields.n, fields.perHousehold ?? 1)
  },
  options: Vote.standardOptions,
  threshold: fields.threshold ?? Vote.defaultThreshold
})

const ballots = (agree: number, disagree: number, abstain = 0, from = 0): Array<Vote.Ballot> => {
  const out: Array<Vote.Ballot> = []
  let i = from
  for (let k = 0; k < agree; k++) out.push({ voterId: V(`v${i++}`), option: O("agree") })
  for (let k = 0; k < disagree; k++) out.push({ voterId: V(`v${i++}`), option: O("disagree") })
  for (let k = 0; k < abstain; k++) out.push({ voterId: V(`v${i++}`), option: O("abstain") })
  return out
}

/** A deterministic Fisher–Yates shuffle driven by `seed`. */
const shuffle = <A>(xs: ReadonlyArray<A>, seed: number): Array<A> => {
  const out = [...xs]
  let s = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const j = s % (i + 1)
    const t = out[i] as A
    out[i] = out[j] as A
    out[j] = t
  }
  return out
}

/** Casts the ballots one by one through checkBallot: the accepted ones and the refused rules. */
const castAll = (r: Vote.VoteRule, input: ReadonlyArray<Vote.Ballot>) => {
  const accepted: Array<Vote.Ballot> = []
  const refused: Array<Vote.BallotRule> = []
  for (const b of input) {
    const checked = Vote.checkBallot(r, accepted, b)
    if (Either.isRight(checked)) accepted.push(checked.right)
    else refused.push(checked.left.rule)
  }
  return { accepted, refused }
}

describe("Vote.checkBallot", () => {
  const r = rule({ n: 6, perHousehold: 2, onePerHousehold: true })

  it("refuses a second ballot from the same household under 一户一票, and names the rule", () => {
    const first = { voterId: V("v0"), option: O("agree") }
    const spouse = { voterId: V("v1"), option: O("disagree") }
    const refused = Vote.checkBallot(r, [first], spouse)
    expect(Either.isLeft(refused) && refused.left.rule).toBe("double-vote")
    expect(Either.isLeft(refused) && refused.left.message).toContain("重复投票")
  })

  it("refuses voters off the roll and unknown options", () => {
    const off = Vote.checkBallot(r, [], { voterId: V("stranger"), option: O("agree") })
    const unknown = Vote.checkBallot(r, [], { voterId: V("v0"), option: O("maybe") })
    expect(Either.isLeft(off) && off.left.rule).toBe("not-eligible")
    expect(Either.isLeft(unknown) && unknown.left.rule).toBe("unknown-option")
  })

  it.prop(
    "no double vote: whatever the order, each counting key is accepted at most once",
    [
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      fc.array(
        fc.record({ voter: fc.nat(40), option: fc.constantFrom("agree", "disagree", "abstain", "x") }),
        {
          maxLength: 60
        }
      )
    ],
    ([n, per, onePerHousehold, raw]) => {
      const r2 = rule({ n, perHousehold: per, onePerHousehold })
      const input = raw.map((b) => ({ voterId: V(`v${b.voter}`), option: O(b.option) }))
      const { accepted } = castAll(r2, input)
      const keys = accepted.map((b) => Vote.countingKey(r2.electorate, b.voterId))
      expect(new Set(keys).size).toBe(keys.length)
      expect(keys.every((k) => k !== undefined)).toBe(true)
      expect(accepted.length).toBeLessThanOrEqual(Vote.electorateSize(r2.electorate))
      // the accepted ballots re-cast in any order are all accepted again, and a second round is all refused
      const again = castAll(r2, [...accepted].reverse())
      expect(again.accepted.length).toBe(accepted.length)
      const twice = castAll(r2, [...accepted, ...accepted])
      expect(twice.refused.filter((x) => x === "double-vote").length).toBe(accepted.length)
    }
  )
})

describe("Vote.tally thresholds", () => {
  it("two-thirds: exactly 2/3 carries, one vote less does not", () => {
    const r = rule({ n: 9, threshold: { approval: Vote.twoThirds, base: "cast", turnoutMinimum: null } })
    expect(Vote.tally(ballots(6, 3), r).carried).toBe("agree")
    expect(Vote.tally(ballots(5, 4), r).carried).toBe(null)
  })

  it("simple majority: exactly half does not carry, one more does", () => {
    const r = rule({
      n: 10,
      threshold: { approval: Vote.simpleMajority, base: "cast", turnoutMinimum: null }
    })
    expect(Vote.tally(ballots(5, 5), r).carried).toBe(null)
    expect(Vote.tally(ballots(6, 4), r).carried).toBe("agree")
  })

  it("a carried 不同意 rejects the motion: adopted only when the carried option does not reject", () => {
    const r = rule({ n: 10 })
    const no = Vote.tally(ballots(1, 5), r)
    expect(no.carried).toBe("disagree")
    expect(Vote.adopted(no, r)).toBe(false)
    expect(Vote.adopted(Vote.tally(ballots(5, 1), r), r)).toBe(true)
    expect(Vote.adopted(Vote.tally(ballots(3, 3), r), r)).toBe(false)
  })

  it("abstentions count for turnout but not in a cast base", () => {
    const r = rule({ n: 10 })
    const result = Vote.tally(ballots(3, 2, 1), r)
    expect(result.base).toBe(5)
    expect(result.turnout).toEqual({ numerator: 6, denominator: 10 })
    expect(result.carried).toBe("agree")
  })

  it("turnout minimum: more than half of 10 needs 6 ballots", () => {
    const r = rule({ n: 10 })
    expect(Vote.tally(ballots(5, 0), r).turnoutMet).toBe(false)
    expect(Vote.tally(ballots(5, 0), r).carried).toBe(null)
    expect(Vote.tally(ballots(5, 0, 1), r).turnoutMet).toBe(true)
  })

  it("one vote per household: the electorate is counted in households (村民会议: 三分之二以上的户)", () => {
    const r = rule({
      n: 12,
      perHousehold: 2,
      onePerHousehold: true,
      threshold: { approval: Vote.simpleMajority, base: "cast", turnoutMinimum: Vote.twoThirds }
    })
    // households h0..h5; voters v0,v2,v4,v6 are from four distinct households
    const four = [0, 2, 4, 6].map((i) => ({ voterId: V(`v${i}`), option: O("agree") }))
    expect(Vote.tally(four, r).turnout).toEqual({ numerator: 4, denominator: 6 })
    expect(Vote.tally(four, r).turnoutMet).toBe(true)
    expect(Vote.tally(four.slice(0, 3), r).turnoutMet).toBe(false)
  })

  const arbFraction = fc
    .record({ d: fc.integer({ min: 1, max: 12 }), n: fc.integer({ min: 0, max: 12 }), strict: fc.boolean() })
    .map(
      ({ d, n, strict }): Vote.Fraction => ({
        numerator: Math.min(n, d),
        denominator: d,
        comparison: strict ? "more-than" : "at-least"
      })
    )

  it.prop(
    "thresholds are exact: meets ⇔ the rational comparison, at and around every boundary",
    [arbFraction, fc.integer({ min: 1, max: 60 })],
    ([f, whole]) => {
      for (let part = 0; part <= whole; part++) {
        const lhs = part * f.denominator
        const rhs = f.numerator * whole
        expect(Vote.meets(part, whole, f)).toBe(f.comparison === "more-than" ? lhs > rhs : lhs >= rhs)
      }
      // the boundary itself: part/whole == n/d exactly passes at-least and fails more-than
      if ((f.numerator * whole) % f.denominator === 0) {
        const boundary = (f.numerator * whole) / f.denominator
        expect(Vote.meets(boundary, whole, f)).toBe(f.comparison === "at-least")
      }
    }
  )

  it.prop(
    "approval exactly at the boundary: agree = n/d of the cast ballots carries under at-least, not under more-than; one fewer never",
    [
      fc
        .integer({ min: 1, max: 12 })
        .chain((d) =>
          fc.record({ d: fc.constant(d), n: fc.integer({ min: Math.floor(d / 2) + 1, max: d }) })
        ),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 0, max: 5 })
    ],
    ([{ d, n }, k, abstain]) => {
      const cast = d * k // the boundary n/d·cast = n·k is an integer
      const agree = n * k
      for (const comparison of ["at-least", "more-than"] as const) {
        const threshold: Vote.Threshold = {
          approval: { numerator: n, denominator: d, comparison },
          base: "cast",
          turnoutMinimum: null
        }
        const r = rule({ n: cast + abstain, threshold })
        const atBoundary = Vote.tally(ballots(agree, cast - agree, abstain), r)
        expect(atBoundary.base).toBe(cast)
        expect(Vote.adopted(atBoundary, r)).toBe(comparison === "at-least")
        const below = Vote.tally(ballots(agree - 1, cast - agree + 1, abstain), r)
        expect(Vote.adopted(below, r)).toBe(false)
      }
    }
  )

  it.prop(
    "turnout minimum exactly met: ⌈k·n⌉ ballots meet an at-least turnout, one fewer does not",
    [arbFraction, fc.integer({ min: 1, max: 30 })],
    ([f, n]) => {
      const at = { ...f, comparison: "at-least" as const }
      const need = Math.ceil((f.numerator * n) / f.denominator)
      const r = rule({ n, threshold: { approval: Vote.simpleMajority, base: "cast", turnoutMinimum: at } })
      expect(Vote.tally(ballots(need, 0), r).turnoutMet).toBe(true)
      if (need > 0) expect(Vote.tally(ballots(need - 1, 0), r).turnoutMet).toBe(false)
    }
  )
})

describe("Vote.tally is recomputable", () => {
  const arbThreshold = Arbitrary.make(Vote.Threshold)

  it.prop(
    "the tally of the accepted ballots, in any order, equals the recorded result; refused ballots change nothing",
    [
      fc.integer({ min: 1, max: 15 }),
      fc.boolean(),
      arbThreshold,
      fc.array(
        fc.record({ voter: fc.nat(20), option: fc.constantFrom("agree", "disagree", "abstain", "x") }),
        {
          maxLength: 40
        }
      ),
      fc.nat()
    ],
    ([n, onePerHousehold, threshold, raw, seed]) => {
      const r = rule({ n, perHousehold: 2, onePerHousehold, threshold })
      const { accepted } = castAll(
        r,
        raw.map((b) => ({ voterId: V(`v${b.voter}`), option: O(b.option) }))
      )
      const recorded = Vote.tally(accepted, r)
      expect(recorded.ignored).toBe(0)
      const shuffled = shuffle(accepted, seed)
      expect(Vote.sameResult(Vote.tally(shuffled, r), recorded)).toBe(true)
      const sum = recorded.counts.reduce((s, c) => s + c.votes, 0)
      expect(sum).toBe(accepted.length)
      expect(recorded.turnout.numerator).toBe(accepted.length)
      // the raw stream (with its refused ballots) counts the same votes: first ballot per key wins
      const fromRaw = Vote.tally(
        raw.map((b) => ({ voterId: V(`v${b.voter}`), option: O(b.option) })),
        r
      )
      expect(fromRaw.counts).toEqual(recorded.counts)
      expect(fromRaw.ignored).toBe(raw.length - accepted.length)
    }
  )
})
