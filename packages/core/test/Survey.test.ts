import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Hierarchy from "../src/Hierarchy.js"
import { AS241_A, AS241_B, AS241_C, AS241_D, AS241_E, AS241_F } from "../src/internal/stats.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Ratio from "../src/Ratio.js"
import * as Score from "../src/Score.js"
import * as Survey from "../src/Survey.js"
import * as Unit from "../src/Unit.js"

const some = <A>(o: Option.Option<A>): A => Option.getOrThrow(o)
const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrow(e)

// ---------------------------------------------------------------------------
// the normal quantile
// ---------------------------------------------------------------------------

describe("Survey.normalQuantile (Wichura AS 241)", () => {
  it("reproduces known quantiles of the standard normal distribution", () => {
    // Reference values: Python statistics.NormalDist().inv_cdf and standard tables.
    const known: ReadonlyArray<readonly [number, number]> = [
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.95, 1.6448536269514722],
      [0.995, 2.5758293035489004],
      [0.9, 1.2815515655446004],
      [0.3, -0.5244005127080407],
      [0.02, -2.0537489106318225],
      [1e-10, -6.361340902404056]
    ]
    for (const [p, z] of known) expect(Survey.normalQuantile(p)).toBeCloseTo(z, 12)
    expect(Survey.criticalValue(0.95)).toBeCloseTo(1.959963984540054, 12)
    expect(Survey.criticalValue(0.99)).toBeCloseTo(2.5758293035489004, 12)
  })

  it("limits and invalid input: −∞ at 0, +∞ at 1, NaN outside [0, 1]", () => {
    expect(Survey.normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(Survey.normalQuantile(1)).toBe(Number.POSITIVE_INFINITY)
    expect(Survey.normalQuantile(1.5)).toBeNaN()
    expect(Survey.criticalValue(1)).toBeNaN()
  })

  it("the coefficients match the hash sums published with AS 241 (a transcription check)", () => {
    const mantissa = (x: number): number => x / 10 ** Math.floor(Math.log10(Math.abs(x)))
    const hash = (num: ReadonlyArray<number>, den: ReadonlyArray<number>): number =>
      [...num, ...den.slice(1)].reduce((acc, x) => acc + mantissa(x), 0)
    // Published: AB 55.8831928806149014439, CD 49.33206503301610289036, EF 47.52583317549289671629.
    expect(hash(AS241_A, AS241_B)).toBeCloseTo(55.8831928806149, 12)
    expect(hash(AS241_C, AS241_D)).toBeCloseTo(49.3320650330161, 12)
    expect(hash(AS241_E, AS241_F)).toBeCloseTo(47.5258331754929, 12)
  })

  it.prop("Φ⁻¹ is odd about ½ and increasing", [fc.integer({ min: 1, max: 2 ** 19 })], ([k]) => {
    const p = k / 2 ** 20 // dyadic, so 1 − p is exact
    expect(Survey.normalQuantile(1 - p)).toBeCloseTo(-Survey.normalQuantile(p), 12)
    expect(Survey.normalQuantile(p)).toBeLessThanOrEqual(Survey.normalQuantile(Math.min(0.5, p * 1.01)))
  })
})

// ---------------------------------------------------------------------------
// Wilson intervals
// ---------------------------------------------------------------------------

const arbSample = fc
  .tuple(fc.nat({ max: 5000 }), fc.integer({ min: 1, max: 5000 }))
  .map(([a, n]) => Ratio.make(Math.min(a, n), n))
const arbConfidence = fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.999)

describe("Survey.wilson", () => {
  it("81 of 263 at 95% is [0.2553, 0.3662] (computed from the formula, z = 1.959964)", () => {
    const i = some(Survey.wilson(Ratio.make(81, 263)))
    expect(i.lower).toBeCloseTo(0.2553, 4)
    expect(i.upper).toBeCloseTo(0.3662, 4)
    expect(i.confidence).toBe(0.95)
    const i99 = some(Survey.wilson(Ratio.make(81, 263), { confidence: 0.99 }))
    expect(i99.lower).toBeCloseTo(0.2401, 4)
    expect(i99.upper).toBeCloseTo(0.3853, 4)
  })

  it("seed 000's 1411 of 1415 at 95% is [0.9928, 0.9989]", () => {
    const i = some(Survey.wilson(Ratio.make(1411, 1415)))
    expect(i.lower).toBeCloseTo(0.99275, 5)
    expect(i.upper).toBeCloseTo(0.9989, 4)
  })

  it("does not collapse at 0% or 100%: 0 of 10 → [0, 0.2775], 10 of 10 → [0.7225, 1]", () => {
    const zero = some(Survey.wilson(Ratio.make(0, 10)))
    expect(zero.lower).toBe(0)
    expect(zero.upper).toBeCloseTo(0.27753, 5)
    const all = some(Survey.wilson(Ratio.make(10, 10)))
    expect(all.lower).toBeCloseTo(0.72247, 5)
    expect(all.upper).toBe(1)
  })

  it("no data has no interval", () => {
    expect(Survey.wilson(Ratio.empty)).toEqual(Option.none())
    expect(Survey.wilson(Ratio.make(1, 2), { confidence: 1 })).toEqual(Option.none())
  })

  it.prop(
    "the interval contains the observed share and stays within [0, 1]",
    [arbSample, arbConfidence],
    ([r, c]) => {
      const share = some(Ratio.rate(r))
      const i = some(Survey.wilson(r, { confidence: c }))
      expect(i.lower).toBeGreaterThanOrEqual(0)
      expect(i.upper).toBeLessThanOrEqual(1)
      expect(i.lower).toBeLessThanOrEqual(share)
      expect(share).toBeLessThanOrEqual(i.upper)
    }
  )

  it.prop(
    "the interval narrows as the sample grows at the same share (k·x of k·n, k ≥ 2)",
    [arbSample, fc.integer({ min: 2, max: 50 }), arbConfidence],
    ([r, k, c]) => {
      const small = some(Survey.wilson(r, { confidence: c }))
      const big = some(Survey.wilson(Ratio.make(r.numerator * k, r.denominator * k), { confidence: c }))
      expect(big.upper - big.lower).toBeLessThan(small.upper - small.lower)
    }
  )

  it.prop("a higher confidence gives a wider interval", [arbSample], ([r]) => {
    const i90 = some(Survey.wilson(r, { confidence: 0.9 }))
    const i99 = some(Survey.wilson(r, { confidence: 0.99 }))
    expect(i99.lower).toBeLessThanOrEqual(i90.lower)
    expect(i99.upper).toBeGreaterThanOrEqual(i90.upper)
  })
})

// ---------------------------------------------------------------------------
// seed 001: 群众满意度测评
// ---------------------------------------------------------------------------

describe("seed 001 — 群众满意度测评 (97.4% necessity, 94.7% efficiency, 96.1% willing)", () => {
  // The seed: "群众认为开展五级治理工作有必要的占97.4%,居民参与社区自治的满意度为97.4%,
  // 对社区办事效率满意度达94.7%,……有96.1%的居民愿意配合楼栋长入户调查". It gives no sample
  // size, so these counts are constructed: 1000 respondents, and 76 — the smallest
  // sample that yields all three published one-decimal shares.
  const published = ["97.4%", "94.7%", "96.1%"]

  it("with 1000 respondents: 974 yes (有必要), 947 satisfied with efficiency, 961 willing", () => {
    const necessity = right(Survey.tally(Survey.YesNo, [...Array(974).fill("yes"), ...Array(26).fill("no")]))
    const efficiency: Survey.Tally = {
      "very-satisfied": 512,
      satisfied: 435,
      neutral: 38,
      dissatisfied: 11,
      "very-dissatisfied": 4
    }
    const willing: Survey.Tally = { yes: 961, no: 39 }
    const shares = [
      Survey.satisfaction(Survey.YesNo, necessity),
      Survey.satisfaction(Survey.FiveLevel, efficiency),
      Survey.satisfaction(Survey.YesNo, willing)
    ]
    expect(shares.map((r) => Ratio.format(r))).toEqual(published)
    expect(shares.map((r) => r.denominator)).toEqual([1000, 1000, 1000])
  })

  it("76 respondents is the smallest sample consistent with all three shares (74, 72, 73 of 76)", () => {
    const consistent = (n: number): boolean =>
      published.every((text) => {
        for (let x = 0; x <= n; x++) if (Ratio.format(Ratio.make(x, n)) === text) return true
        return false
      })
    let smallest = 0
    for (let n = 1; n <= 1000 && smallest === 0; n++) if (consistent(n)) smallest = n
    expect(smallest).toBe(76)
    const results = Survey.assess(Survey.YesNo, [
      ["necessity", { yes: 74, no: 2 }],
      ["willing", { yes: 73, no: 3 }]
    ])
    expect(results.map((r) => Ratio.format(r.ratio))).toEqual(["97.4%", "96.1%"])
    const efficiency = Survey.satisfaction(Survey.FiveLevel, {
      "very-satisfied": 40,
      satisfied: 32,
      neutral: 3,
      dissatisfied: 1
    })
    expect(Ratio.format(efficiency)).toBe("94.7%")
    // With so few respondents the 95% interval of 97.4% spans about 8 points: [0.909, 0.993].
    const necessity = some(results[0]?.interval ?? Option.none())
    expect(necessity.lower).toBeCloseTo(0.909, 3)
    expect(necessity.upper).toBeCloseTo(0.9928, 4)
  })
})

// ---------------------------------------------------------------------------
// scales and tallies
// ---------------------------------------------------------------------------

describe("Survey scales and tallies", () => {
  it("the shipped scales are valid, ordered best first, with the documented satisfied levels", () => {
    for (const scale of [Survey.FiveLevel, Survey.GoodBadReview, Survey.ThreeLevel, Survey.YesNo]) {
      expect(Either.isRight(Survey.validateScale(scale))).toBe(true)
    }
    expect(Survey.FiveLevel.levels.map((l) => l.name)).toEqual([
      "非常满意",
      "满意",
      "一般",
      "不满意",
      "非常不满意"
    ])
    expect(Survey.FiveLevel.satisfied).toEqual(["very-satisfied", "satisfied"])
    expect(Survey.GoodBadReview.levels.map((l) => l.name)).toEqual([
      "非常满意",
      "满意",
      "基本满意",
      "不满意",
      "非常不满意"
    ])
    expect(Survey.ThreeLevel.satisfied).toEqual(["satisfied", "basically-satisfied"])
  })

  it("which levels count as satisfied is configurable", () => {
    const t: Survey.Tally = { "very-satisfied": 10, satisfied: 20, neutral: 30, dissatisfied: 40 }
    expect(Survey.satisfaction(Survey.FiveLevel, t)).toEqual(Ratio.make(30, 100))
    expect(Survey.satisfaction(Survey.topSatisfied(Survey.FiveLevel, 1), t)).toEqual(Ratio.make(10, 100))
    expect(Survey.satisfaction(Survey.withSatisfied(Survey.FiveLevel, ["neutral"]), t)).toEqual(
      Ratio.make(30, 100)
    )
  })

  it("validateScale reports every problem of a scale", () => {
    const bad: Survey.Scale = {
      id: "bad",
      name: "坏量表",
      levels: [
        { id: "a", name: "甲", nameEn: "a" },
        { id: "a", name: "甲", nameEn: "a" }
      ],
      satisfied: ["z"]
    }
    const result = Survey.validateScale(bad)
    expect(Either.isLeft(result) && result.left.violations.map((v) => v.rule)).toEqual([
      "duplicate-level",
      "unknown-satisfied-level"
    ])
    const empty = Survey.validateScale({ id: "e", name: "", levels: [], satisfied: [] })
    expect(Either.isLeft(empty) && empty.left.violations.map((v) => v.rule)).toEqual([
      "too-few-levels",
      "no-satisfied-level"
    ])
  })

  it("tally and tallyByUnit count answers and report every unknown level", () => {
    expect(right(Survey.tally(Survey.ThreeLevel, ["satisfied", "dissatisfied", "satisfied"]))).toEqual({
      satisfied: 2,
      "basically-satisfied": 0,
      dissatisfied: 1
    })
    const bad = Survey.tally(Survey.ThreeLevel, ["satisfied", "great", "awful"])
    expect(Either.isLeft(bad) && bad.left.violations.map((v) => v.subject)).toEqual(["answer 1", "answer 2"])
    const byUnit = right(
      Survey.tallyByUnit(Survey.YesNo, [
        { unitId: "c2", level: "yes" },
        { unitId: "c1", level: "no" },
        { unitId: "c2", level: "yes" }
      ])
    )
    expect([...byUnit.keys()]).toEqual(["c1", "c2"])
    expect(byUnit.get("c2")).toEqual({ yes: 2, no: 0 })
    const wrong = Survey.tallyByUnit(Survey.YesNo, [{ unitId: "c9", level: "maybe" }])
    expect(Either.isLeft(wrong) && wrong.left.violations[0]?.subject).toBe('unit "c9"')
  })

  it("validateTally names the unit and every bad count", () => {
    const result = Survey.validateTally(Survey.YesNo, { yes: -1, perhaps: 2 }, "社区 c1")
    expect(Either.isLeft(result) && result.left.violations.map((v) => [v.subject, v.rule])).toEqual([
      ["社区 c1", "unknown-level"],
      ["社区 c1", "invalid-count"]
    ])
  })

  it("satisfaction rolls up over the hierarchy by adding counts, not by averaging shares", () => {
    const rows = [
      Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
      Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
      Unit.make({ id: "c1", parentId: "s", level: "community", name: "社区一" }),
      Unit.make({ id: "c2", parentId: "s", level: "community", name: "社区二" })
    ]
    const h = right(Hierarchy.make(LevelScheme.FiveLevel, rows))
    const tallies: Record<string, Survey.Tally> = { c1: { yes: 3, no: 0 }, c2: { yes: 50, no: 50 } }
    const totals = Survey.rollup(h, (u) => tallies[u.id] ?? Survey.emptyTally)
    const street = Survey.satisfaction(Survey.YesNo, some(totals.get("s")))
    expect(street).toEqual(Ratio.make(53, 103))
    expect(Ratio.format(street)).toBe("51.5%")
    // The mean of the two shares would be 75%.
    expect(some(Ratio.rate(street))).toBeLessThan(0.52)
  })

  it.prop(
    "tallies add level by level: associative and commutative with the empty tally as identity",
    [
      fc.dictionary(fc.constantFrom("yes", "no"), fc.nat(100)),
      fc.dictionary(fc.constantFrom("yes", "no"), fc.nat(100))
    ],
    ([a, b]) => {
      expect(Survey.addTallies(a, b)).toEqual(Survey.addTallies(b, a))
      expect(Survey.addTallies(a, Survey.emptyTally)).toEqual(Survey.addTallies(Survey.emptyTally, a))
      expect(Survey.satisfaction(Survey.YesNo, Survey.addTallies(a, b))).toEqual(
        Ratio.add(Survey.satisfaction(Survey.YesNo, a), Survey.satisfaction(Survey.YesNo, b))
      )
    }
  )
})

// ---------------------------------------------------------------------------
// minimum sample and ranking
// ---------------------------------------------------------------------------

describe("Survey minimum sample and ranking", () => {
  it("FixMyStreet's lesson: 3 of 3 (100%) is reported with its wide interval but not ranked above 90 of 100", () => {
    const results = Survey.assess(Survey.YesNo, [
      ["tiny", { yes: 3, no: 0 }],
      ["big", { yes: 90, no: 10 }],
      ["none", {}]
    ])
    expect(results.map((r) => [r.unitId, r.status])).toEqual([
      ["big", "ranked"],
      ["none", "no-data"],
      ["tiny", "below-minimum-sample"]
    ])
    const tiny = results.find((r) => r.unitId === "tiny")
    expect(some(tiny?.interval ?? Option.none()).lower).toBeLessThan(0.5)
    const ranking = Survey.rank(results)
    expect(ranking.map((r) => [r.entry.id, Option.getOrNull(r.rank), r.status])).toEqual([
      ["big", 1, "ranked"],
      ["tiny", null, "below-minimum-sample"],
      ["none", null, "no-data"]
    ])
    // With the minimum lowered to 0 the tiny unit would top the table — the failure the minimum prevents.
    expect(Survey.rank(results, { minSample: 0 })[0]?.entry.id).toBe("tiny")
    // Ranking by the Wilson lower bound also puts the tiny sample last.
    expect(Survey.rank(results, { minSample: 0, by: "lower-bound" })[0]?.entry.id).toBe("big")
  })

  it.prop(
    "no unit with fewer responses than the minimum is ever ranked",
    [fc.array(fc.tuple(fc.nat(60), fc.nat(60)), { maxLength: 20 }), fc.integer({ min: 0, max: 80 })],
    ([rows, minSample]) => {
      const results = Survey.assess(
        Survey.YesNo,
        rows.map(([yes, no], i) => [`u${String(i).padStart(2, "0")}`, { yes, no }] as const),
        { minSample }
      )
      for (const r of Survey.rank(results, { minSample })) {
        if (Option.isSome(r.rank)) expect(r.entry.sampleSize).toBeGreaterThanOrEqual(minSample)
        if (r.entry.sampleSize < minSample) expect(Option.isNone(r.rank)).toBe(true)
      }
    }
  )
})

// ---------------------------------------------------------------------------
// population weighting
// ---------------------------------------------------------------------------

describe("Survey.weighted (post-stratification)", () => {
  it("weights each unit's share by its population; the interval uses Kish's effective sample size", () => {
    const w = Survey.weighted(Survey.YesNo, [
      { unitId: "b", tally: { yes: 20, no: 30 }, population: 3000 },
      { unitId: "a", tally: { yes: 40, no: 10 }, population: 1000 },
      { unitId: "c", tally: {}, population: 500 }
    ])
    // 0.25 × 0.8 + 0.75 × 0.4 = 0.5; n_eff = 1 / (0.25²/50 + 0.75²/50) = 80 (of 100 respondents).
    expect(some(w.share)).toBeCloseTo(0.5, 12)
    expect(w.effectiveSampleSize).toBeCloseTo(80, 9)
    expect(w.sampleSize).toBe(100)
    expect(w.weights.map((x) => [x.unitId, x.weight])).toEqual([
      ["a", 0.25],
      ["b", 0.75]
    ])
    expect(w.excluded).toEqual(["c"])
    expect(some(w.coverage)).toBeCloseTo(4000 / 4500, 12)
    const i = some(w.interval)
    const reference = some(Survey.wilson(Ratio.make(40, 80)))
    expect(i.lower).toBeCloseTo(reference.lower, 12)
    expect(i.upper).toBeCloseTo(reference.upper, 12)
    // The unweighted pooled share would be 60/100.
    expect(Ratio.format(Survey.satisfaction(Survey.YesNo, { yes: 60, no: 40 }))).toBe("60.0%")
  })

  it.prop(
    "populations proportional to sample sizes reproduce the pooled share and n_eff = Σ n",
    [
      fc.array(fc.tuple(fc.nat(40), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 50 })
    ],
    ([rows, perRespondent]) => {
      const strata = rows.map(([yes, extra], i) => ({
        unitId: `u${i}`,
        tally: { yes, no: extra },
        population: (yes + extra) * perRespondent
      }))
      const w = Survey.weighted(Survey.YesNo, strata)
      const pooled = Survey.satisfaction(
        Survey.YesNo,
        strata.map((s): Survey.Tally => s.tally).reduce((a, b) => Survey.addTallies(a, b), Survey.emptyTally)
      )
      expect(some(w.share)).toBeCloseTo(some(Ratio.rate(pooled)), 10)
      expect(w.effectiveSampleSize).toBeCloseTo(pooled.denominator, 8)
    }
  )

  it.prop(
    "n_eff never exceeds the number of respondents, and the weighted share lies within the units' shares",
    [
      fc.array(fc.tuple(fc.nat(40), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 100_000 })), {
        minLength: 1,
        maxLength: 8
      })
    ],
    ([rows]) => {
      const strata = rows.map(([yes, no, population], i) => ({
        unitId: `u${i}`,
        tally: { yes, no },
        population
      }))
      const w = Survey.weighted(Survey.YesNo, strata)
      expect(w.effectiveSampleSize).toBeLessThanOrEqual(w.sampleSize * (1 + 1e-12))
      const shares = w.weights.map((x) => x.share)
      expect(some(w.share)).toBeGreaterThanOrEqual(Math.min(...shares) - 1e-12)
      expect(some(w.share)).toBeLessThanOrEqual(Math.max(...shares) + 1e-12)
      const i = some(w.interval)
      expect(i.lower).toBeLessThanOrEqual(some(w.share))
      expect(i.upper).toBeGreaterThanOrEqual(some(w.share))
    }
  )

  it("no responses, or no population among the responding units, gives no data", () => {
    expect(Survey.weighted(Survey.YesNo, [{ unitId: "a", tally: {}, population: 10 }]).share).toEqual(
      Option.none()
    )
    expect(Survey.weighted(Survey.YesNo, [{ unitId: "a", tally: { yes: 1 }, population: 0 }]).share).toEqual(
      Option.none()
    )
  })
})

// ---------------------------------------------------------------------------
// hotline 三率
// ---------------------------------------------------------------------------

describe("Survey hotline 三率 (接诉即办)", () => {
  const counts: Survey.HotlineCounts = {
    due: 200,
    responded: 196,
    resolved: 150,
    unresolved: 30,
    satisfied: 120,
    basicallySatisfied: 40,
    dissatisfied: 20,
    unreachable: 15,
    refused: 5
  }

  it("响应率, 解决率, 满意率 as ratios; unreachable and refused are not in any denominator", () => {
    const rates = Survey.threeRates(counts)
    expect(rates.response).toEqual(Ratio.make(196, 200))
    expect(rates.resolution).toEqual(Ratio.make(150, 180))
    expect(rates.satisfaction).toEqual(Ratio.make(160, 180))
    expect(Survey.validEvaluations(counts)).toBe(180)
    const more = { ...counts, unreachable: 1000, refused: 1000 }
    expect(Survey.threeRates(more)).toEqual(rates)
  })

  it("满意率 = (满意 + k·基本满意) / valid evaluations, k configurable (some hotlines 0.9)", () => {
    const r = Survey.satisfactionRate(counts, { basicWeight: 0.9 })
    expect(r.numerator).toBeCloseTo(156, 12)
    expect(r.denominator).toBe(180)
    expect(Ratio.format(r)).toBe("86.7%")
    expect(Survey.satisfactionRate(counts, { basicWeight: 0 })).toEqual(Ratio.make(120, 180))
  })

  it("no valid evaluation means no data, not 0% or 100%", () => {
    const none = { ...Survey.emptyHotlineCounts, unreachable: 12 }
    expect(Ratio.rate(Survey.satisfactionRate(none))).toEqual(Option.none())
    expect(Ratio.rate(Survey.resolutionRate(none))).toEqual(Option.none())
  })

  it("the three rates score directly with the shipped 10/50/40 profile", () => {
    const rates = Survey.threeRates(counts)
    const s = Score.score(Score.threeRates_10_50_40, { ...rates })
    // 0.1 × 98 + 0.5 × 83.33… + 0.4 × 88.88… = 87.0222…
    expect(some(s.score)).toBeCloseTo(9.8 + 41.666666666666664 + 35.55555555555556, 9)
  })

  it("hotline counts add field by field, and the schema rejects negative counts", () => {
    const doubled = Survey.HotlineMonoid.combine(counts, counts)
    expect(doubled.due).toBe(400)
    expect(Survey.threeRates(doubled).satisfaction).toEqual(Ratio.make(320, 360))
    expect(Survey.HotlineMonoid.combine(counts, Survey.HotlineMonoid.empty)).toEqual(counts)
    const decode = Schema.decodeUnknownEither(Survey.HotlineCounts)
    expect(Either.isLeft(decode({ ...counts, refused: -1 }))).toBe(true)
    expect(Either.isRight(decode(counts))).toBe(true)
  })
})
