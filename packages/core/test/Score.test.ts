import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Ratio from "../src/Ratio.js"
import * as Score from "../src/Score.js"

const some = <A>(o: Option.Option<A>): A => Option.getOrThrow(o)

// ---------------------------------------------------------------------------
// generators: valid, higher-is-better scorings and profiles
// ---------------------------------------------------------------------------

const arbLinear = fc
  .tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 2, noNaN: true }))
  .map(([zeroAt, span]) => Score.linear(zeroAt, zeroAt + span))

const arbSteps = fc
  .uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 })
  .chain((thresholds) =>
    fc.tuple(
      fc.constant([...thresholds].sort((a, b) => a - b)),
      fc.array(fc.integer({ min: 0, max: 100 }), {
        minLength: thresholds.length,
        maxLength: thresholds.length
      })
    )
  )
  .map(([thresholds, pts]) => {
    const sorted = [...pts].sort((a, b) => a - b)
    const otherwise = Math.min(...sorted) > 10 ? 10 : 0
    return Score.steps(
      thresholds.map((threshold, i) => ({ threshold, points: Math.max(otherwise, sorted[i] ?? 0) })),
      otherwise
    )
  })

const arbDeduct = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }))
  .map(([target, perPercent]) => Score.deduct(target, perPercent))

const arbBaseScoring: fc.Arbitrary<Score.Scoring> = fc.oneof(arbLinear, arbSteps, arbDeduct)
const arbScoring: fc.Arbitrary<Score.Scoring> = fc.oneof(
  arbBaseScoring,
  fc.tuple(arbBaseScoring, fc.integer({ min: 0, max: 100 })).map(([s, max]) => Score.capped(s, max))
)

const arbProfile: fc.Arbitrary<Score.Profile> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 50 }), arbScoring), { minLength: 1, maxLength: 5 })
  .map((items) => ({
    id: "p",
    name: "随机方案",
    indicators: items.map(([weight, scoring], i) => ({
      id: `i${i}`,
      name: `指标${i}`,
      nameEn: `indicator ${i}`,
      weight,
      scoring
    })),
    weights: "normalise",
    missing: "exclude"
  }))

const arbValue = fc.double({ min: 0, max: 1.5, noNaN: true })

// ---------------------------------------------------------------------------
// scorings
// ---------------------------------------------------------------------------

describe("Score.points", () => {
  it("linear: rate × 100 by default; (1 − rate) × 100 for lower-is-better rates such as 返工率", () => {
    expect(Score.points(Score.linear(), 0.974)).toBeCloseTo(97.4, 12)
    expect(Score.points(Score.linear(), 1.2)).toBe(100)
    expect(Score.points(Score.inverseLinear, 0.05)).toBeCloseTo(95, 12)
    expect(Score.points(Score.inverseLinear, 1.25)).toBe(0)
    expect(Score.points(Score.linear(0.6, 1), 0.8)).toBeCloseTo(50, 12)
  })

  it("steps: thresholds → points, the highest threshold reached wins", () => {
    const s = Score.steps(
      [
        { threshold: 0.95, points: 100 },
        { threshold: 0.9, points: 80 },
        { threshold: 0.8, points: 60 }
      ],
      0
    )
    expect([0.99, 0.95, 0.93, 0.85, 0.5].map((v) => Score.points(s, v))).toEqual([100, 100, 80, 60, 0])
    const lower = Score.steps(
      [
        { threshold: 0.02, points: 100 },
        { threshold: 0.05, points: 70 }
      ],
      0,
      "lower-is-better"
    )
    expect([0, 0.02, 0.03, 0.05, 0.2].map((v) => Score.points(lower, v))).toEqual([100, 100, 70, 70, 0])
  })

  it("deduct: 按期结案率达70%得满分,每少一个百分点扣1分 (of 50) is 2 points per point on the 100 scale", () => {
    const s = Score.deduct(0.7, 2)
    expect(Score.points(s, 0.75)).toBe(100)
    expect(Score.points(s, 0.65)).toBeCloseTo(90, 9)
    expect(Score.points(s, 0.1)).toBe(0)
    expect(Score.points(Score.deduct(0.02, 10, "lower-is-better"), 0.05)).toBeCloseTo(70, 9)
  })

  it("capped: any scoring capped at a maximum", () => {
    expect(Score.points(Score.capped(Score.linear(), 90), 0.99)).toBe(90)
    expect(Score.points(Score.capped(Score.linear(), 90), 0.5)).toBe(50)
  })

  it.prop(
    "every valid scoring yields points within [0, 100]",
    [arbScoring, fc.double({ noNaN: true, min: -10, max: 10 })],
    ([s, v]) => {
      expect(Score.validateScoring(s)).toEqual([])
      const p = Score.points(s, v)
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThanOrEqual(100)
    }
  )

  it.prop("valid higher-is-better scorings are monotone", [arbScoring, arbValue, arbValue], ([s, a, b]) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a]
    expect(Score.points(s, hi)).toBeGreaterThanOrEqual(Score.points(s, lo) - 1e-9)
  })

  it("validateScoring lists the problems of a non-monotone step function", () => {
    const bad = Score.steps(
      [
        { threshold: 0.9, points: 50 },
        { threshold: 0.8, points: 70 },
        { threshold: 0.8, points: 120 }
      ],
      0
    )
    const problems = Score.validateScoring(bad)
    expect(problems.length).toBeGreaterThanOrEqual(3)
    expect(problems.some((p) => p.includes("twice"))).toBe(true)
    expect(problems.some((p) => p.includes("not monotone"))).toBe(true)
    expect(problems.some((p) => p.includes("120"))).toBe(true)
  })
})

// ---------------------------------------------------------------------------
// profiles
// ---------------------------------------------------------------------------

describe("Score profiles", () => {
  it("the shipped profiles are valid and weigh 100", () => {
    for (const p of [Score.threeRates_10_50_40, Score.threeRates_30_35_35, Score.cjt292Style]) {
      expect(Either.isRight(Score.validateProfile(p))).toBe(true)
      expect(p.indicators.reduce((a, i) => a + i.weight, 0)).toBe(100)
      expect(Either.isRight(Schema.decodeUnknownEither(Score.Profile)(p))).toBe(true)
    }
    expect(Score.threeRates_10_50_40.indicators.map((i) => [i.name, i.weight])).toEqual([
      ["响应率", 10],
      ["解决率", 50],
      ["满意率", 40]
    ])
    expect(Score.threeRates_30_35_35.indicators.map((i) => i.weight)).toEqual([30, 35, 35])
  })

  it("validateProfile reports every violation, naming the indicator and the rule", () => {
    const bad: Score.Profile = {
      id: "bad",
      name: "坏方案",
      indicators: [
        { id: "a", name: "甲", nameEn: "a", weight: 60, scoring: Score.linear() },
        { id: "a", name: "甲", nameEn: "a", weight: -5, scoring: Score.linear(1, 1) },
        { id: "b", name: "乙", nameEn: "b", weight: 30, scoring: Score.capped(Score.linear(), 150) }
      ],
      weights: "sum-to-100",
      missing: "exclude"
    }
    const result = Score.validateProfile(bad)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.violations.map((v) => [v.indicatorId, v.rule])).toEqual([
        ["a", "duplicate-indicator"],
        ["a", "invalid-weight"],
        ["a", "invalid-scoring"],
        ["b", "invalid-scoring"],
        [null, "weights-sum"]
      ])
    }
    const none = Score.validateProfile({ ...bad, indicators: [], weights: "normalise" })
    expect(Either.isLeft(none) && none.left.violations.map((v) => v.rule)).toEqual(["no-weight"])
    // normalise accepts any positive weights
    expect(
      Either.isRight(
        Score.validateProfile({
          ...Score.threeRates_10_50_40,
          weights: "normalise",
          indicators: Score.threeRates_10_50_40.indicators.map((i) => ({ ...i, weight: i.weight / 10 }))
        })
      )
    ).toBe(true)
  })

  it("scores the three rates 10/50/40 and 30/35/35", () => {
    const values = { response: 1, resolution: 0.8, satisfaction: 0.9 }
    expect(some(Score.score(Score.threeRates_10_50_40, values).score)).toBeCloseTo(10 + 40 + 36, 9)
    expect(some(Score.score(Score.threeRates_30_35_35, values).score)).toBeCloseTo(30 + 28 + 31.5, 9)
  })

  it("the CJ/T 292-style profile scores lower-is-better rates inversely", () => {
    const s = Score.score(Score.cjt292Style, {
      "on-time-handling": Ratio.make(90, 100),
      handling: Ratio.make(95, 100),
      rework: Ratio.make(10, 100),
      reopen: Ratio.make(0, 100)
    })
    expect(some(s.score)).toBeCloseTo(0.4 * 90 + 0.3 * 95 + 0.2 * 90 + 0.1 * 100, 9)
    expect(s.complete).toBe(true)
  })

  it("missing data: excluded and weights renormalised by default, flagged; or scored 0 when configured", () => {
    const values = { response: 1, resolution: Ratio.make(80, 100), satisfaction: Ratio.empty }
    const excluded = Score.score(Score.threeRates_10_50_40, values)
    // (10 × 100 + 50 × 80) / 60
    expect(some(excluded.score)).toBeCloseTo(5000 / 60, 9)
    expect(excluded.missing).toEqual(["satisfaction"])
    expect(excluded.complete).toBe(false)
    expect(excluded.parts.map((p) => p.appliedWeight)).toEqual([10 / 60, 50 / 60, 0])
    const zero = Score.score({ ...Score.threeRates_10_50_40, missing: "zero" }, values)
    expect(some(zero.score)).toBeCloseTo(50, 9)
    expect(zero.missing).toEqual(["satisfaction"])
    const nothing = Score.score(Score.threeRates_10_50_40, {})
    expect(nothing.score).toEqual(Option.none())
    expect(nothing.missing).toEqual(["response", "resolution", "satisfaction"])
    expect(Score.score(Score.threeRates_10_50_40, { response: Number.NaN }).missing).toContain("response")
  })

  it.prop(
    "a composite score is monotone in each indicator with a positive weight",
    [
      arbProfile,
      fc.array(arbValue, { minLength: 5, maxLength: 5 }),
      fc.nat(4),
      fc.double({ min: 0, max: 1, noNaN: true })
    ],
    ([profile, vs, which, delta]) => {
      const i = which % profile.indicators.length
      const values: Record<string, number> = {}
      profile.indicators.forEach((ind, k) => {
        values[ind.id] = vs[k] ?? 0
      })
      const raised = { ...values, [`i${i}`]: (values[`i${i}`] ?? 0) + delta }
      const before = some(Score.score(profile, values).score)
      const after = some(Score.score(profile, raised).score)
      expect(after).toBeGreaterThanOrEqual(before - 1e-9)
    }
  )

  it.prop(
    "composite scores lie within [0, 100] and the contributions add up to the score",
    [arbProfile, fc.array(fc.option(arbValue, { nil: undefined }), { minLength: 5, maxLength: 5 })],
    ([profile, vs]) => {
      const values: Record<string, number> = {}
      profile.indicators.forEach((ind, k) => {
        const v = vs[k]
        if (v !== undefined) values[ind.id] = v
      })
      const s = Score.score(profile, values)
      Option.match(s.score, {
        onNone: () => expect(s.missing.length).toBe(profile.indicators.length),
        onSome: (x) => {
          expect(x).toBeGreaterThanOrEqual(0)
          expect(x).toBeLessThanOrEqual(100)
          expect(s.parts.reduce((a, p) => a + p.contribution, 0)).toBeCloseTo(x, 9)
        }
      })
    }
  )
})

// ---------------------------------------------------------------------------
// grades and lights
// ---------------------------------------------------------------------------

describe("Score.grade", () => {
  it("A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E", () => {
    expect([100, 90, 89.99, 75, 74.99, 60, 59.99, 40, 39.99, 0].map((s) => Score.grade(s))).toEqual([
      "A",
      "A",
      "B",
      "B",
      "C",
      "C",
      "D",
      "D",
      "E",
      "E"
    ])
    expect(Either.isRight(Score.validateGradeBands(Score.defaultGradeBands))).toBe(true)
  })

  it.prop(
    "grade bands partition [0, 100]: every score falls in exactly one band",
    [fc.double({ min: 0, max: 100, noNaN: true })],
    ([s]) => {
      const bands = Score.defaultGradeBands
      const intervals = [
        ...bands.bands.map((b, i) => ({
          grade: b.grade,
          lo: b.atLeast,
          hi: bands.bands[i - 1]?.atLeast ?? Number.POSITIVE_INFINITY
        })),
        {
          grade: bands.otherwise,
          lo: Number.NEGATIVE_INFINITY,
          hi: bands.bands[bands.bands.length - 1]?.atLeast ?? 0
        }
      ]
      const containing = intervals.filter((iv) => iv.lo <= s && s < iv.hi)
      expect(containing.length).toBe(1)
      expect(Score.grade(s)).toBe(containing[0]?.grade)
    }
  )

  it.prop(
    "grades are monotone: a higher score never gets a worse grade",
    [fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })],
    ([a, b]) => {
      const order = ["A", "B", "C", "D", "E"]
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      expect(order.indexOf(Score.grade(hi))).toBeLessThanOrEqual(order.indexOf(Score.grade(lo)))
    }
  )

  it("validateGradeBands reports every problem of configured bands", () => {
    const result = Score.validateGradeBands({
      bands: [
        { grade: "优秀", atLeast: 85 },
        { grade: "良好", atLeast: 90 },
        { grade: "优秀", atLeast: 120 }
      ],
      otherwise: "不合格"
    })
    expect(Either.isLeft(result) && result.left.problems.length).toBe(4)
    const chinese = {
      bands: [
        { grade: "优秀", atLeast: 85 },
        { grade: "合格", atLeast: 60 }
      ],
      otherwise: "不合格"
    }
    expect(Either.isRight(Score.validateGradeBands(chinese))).toBe(true)
    expect(Score.grade(72, chinese)).toBe("合格")
  })
})

describe("Score.light — 绿橙红 (seed 004)", () => {
  it("平邑街道 rates its community cadres green, orange or red; default thresholds 80 / 60 (configurable)", () => {
    expect([95, 80, 79.9, 60, 59.9, 0].map((s) => Score.lightNames[Score.light(s)])).toEqual([
      "绿",
      "绿",
      "橙",
      "橙",
      "红",
      "红"
    ])
    const strict = { green: 90, orange: 75 }
    expect(Score.light(85, strict)).toBe("orange")
    expect(Either.isRight(Score.validateLightThresholds(strict))).toBe(true)
    const bad = Score.validateLightThresholds({ green: 50, orange: 70 })
    expect(Either.isLeft(bad)).toBe(true)
  })
})

// ---------------------------------------------------------------------------
// rankings
// ---------------------------------------------------------------------------

const entry = (id: string, score: number | null, sampleSize = 100): Score.Entry => ({
  id,
  score: score === null ? Option.none() : Option.some(score),
  sampleSize
})

const arbEntries = fc.uniqueArray(
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 3 }),
    score: fc.option(
      fc.integer({ min: 0, max: 20 }).map((x) => x * 5),
      { nil: null }
    ),
    sampleSize: fc.nat(60)
  }),
  { selector: (e) => e.id, maxLength: 25 }
)

describe("Score.rank", () => {
  it("competition ranking: same score, same rank; the next rank skips (1, 2, 2, 4)", () => {
    const ranking = Score.rank([entry("d", 70), entry("b", 88.5), entry("a", 95), entry("c", 88.5)])
    expect(ranking.map((r) => [r.entry.id, Option.getOrNull(r.rank)])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 2],
      ["d", 4]
    ])
  })

  it("scores equal to the published 2 decimals tie; tieDigits is configurable", () => {
    const close = [entry("x", 93.4712), entry("y", 93.4684)]
    expect(Score.rank(close).map((r) => Option.getOrNull(r.rank))).toEqual([1, 1])
    expect(Score.rank(close, { tieDigits: 4 }).map((r) => Option.getOrNull(r.rank))).toEqual([1, 2])
  })

  it("units below the minimum sample and units without data are listed unranked, after the ranked", () => {
    const ranking = Score.rank([entry("tiny", 100, 3), entry("none", null), entry("big", 91, 120)])
    expect(ranking.map((r) => [r.entry.id, Option.getOrNull(r.rank), r.status])).toEqual([
      ["big", 1, "ranked"],
      ["tiny", null, "below-minimum-sample"],
      ["none", null, "no-data"]
    ])
  })

  it("lower-is-better rankings put the lowest first (e.g. 返工率)", () => {
    const ranking = Score.rank([entry("a", 5), entry("b", 1), entry("c", 3)], {
      direction: "lower-is-better"
    })
    expect(ranking.map((r) => r.entry.id)).toEqual(["b", "c", "a"])
  })

  it.prop(
    "rankings never rank a unit below the minimum sample",
    [arbEntries, fc.nat(60)],
    ([raw, minSample]) => {
      const entries = raw.map((e) => entry(e.id, e.score, e.sampleSize))
      const ranking = Score.rank(entries, { minSample })
      expect(ranking.length).toBe(entries.length)
      for (const r of ranking) {
        if (r.entry.sampleSize < minSample) expect(r.rank).toEqual(Option.none())
        if (Option.isSome(r.rank)) expect(r.entry.sampleSize).toBeGreaterThanOrEqual(minSample)
      }
    }
  )

  it.prop(
    "each rank is 1 + the number of ranked units with a strictly better score",
    [arbEntries],
    ([raw]) => {
      const entries = raw.map((e) => entry(e.id, e.score, e.sampleSize))
      const ranking = Score.rank(entries, { minSample: 10 })
      const ranked = ranking.filter((r) => Option.isSome(r.rank))
      for (const r of ranked) {
        const mine = some(r.entry.score)
        const better = ranked.filter((o) => some(o.entry.score) > mine).length
        expect(some(r.rank)).toBe(better + 1)
      }
      // ranked entries come first, in non-increasing score order
      const firstUnranked = ranking.findIndex((r) => Option.isNone(r.rank))
      if (firstUnranked >= 0)
        expect(ranking.slice(firstUnranked).every((r) => Option.isNone(r.rank))).toBe(true)
    }
  )

  it.prop(
    "deterministic: the ranking does not depend on the input order",
    [
      arbEntries.chain((es) =>
        fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }))
      )
    ],
    ([[a, b]]) => {
      const toEntries = (xs: typeof a) => xs.map((e) => entry(e.id, e.score, e.sampleSize))
      expect(Score.rank(toEntries(b))).toEqual(Score.rank(toEntries(a)))
    }
  )
})
