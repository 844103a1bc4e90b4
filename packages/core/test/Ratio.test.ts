import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Ratio from "../src/Ratio.js"
import * as Unit from "../src/Unit.js"

// ---------------------------------------------------------------------------
// generators
// ---------------------------------------------------------------------------

const arbCount = fc.nat({ max: 100_000 })
const arbRatio = fc.tuple(arbCount, arbCount).map(([n, d]) => Ratio.make(n, d))
const arbProportion = fc
  .tuple(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }))
  .map(([a, b]) => Ratio.make(Math.min(a, b), Math.max(a, b)))

const arbSmallProportion = fc
  .tuple(fc.nat({ max: 1000 }), fc.nat({ max: 1000 }))
  .map(([a, b]) => Ratio.make(Math.min(a, b), Math.max(a, b)))

/** A district → streets → communities hierarchy with a ratio on every unit. */
interface Tree {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly values: ReadonlyMap<string, Ratio.Ratio>
}

const arbTree: fc.Arbitrary<Tree> = fc
  .array(fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { minLength: 0, maxLength: 5 }), {
    minLength: 1,
    maxLength: 5
  })
  .chain((streets) =>
    fc.tuple(
      fc.constant(streets),
      fc.tuple(fc.nat(20), fc.nat(20)),
      fc.array(fc.tuple(fc.nat(20), fc.nat(20)))
    )
  )
  .map(([streets, rootCounts, streetCounts]) => {
    const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "区" })]
    const values = new Map<string, Ratio.Ratio>([
      ["d", Ratio.make(Math.min(...rootCounts), Math.max(...rootCounts))]
    ])
    streets.forEach((communities, s) => {
      const sid = `s${s}`
      rows.push(Unit.make({ id: sid, parentId: "d", level: "street", name: `街道${s}` }))
      const [a, b] = streetCounts[s] ?? [0, 0]
      values.set(sid, Ratio.make(Math.min(a, b), Math.max(a, b)))
      communities.forEach(([x, y], c) => {
        const cid = `${sid}-c${c}`
        rows.push(Unit.make({ id: cid, parentId: sid, level: "community", name: `社区${s}-${c}` }))
        values.set(cid, Ratio.make(Math.min(x, y), Math.max(x, y)))
      })
    })
    const hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
    return { hierarchy, values }
  })

const some = <A>(o: Option.Option<A>): A => Option.getOrThrow(o)

// ---------------------------------------------------------------------------
// rates and "no data"
// ---------------------------------------------------------------------------

describe("Ratio.rate", () => {
  it("受理办结率 (seed 000): 1411 of 1415 accepted cases closed is 99.7%", () => {
    const r = Ratio.make(1411, 1415)
    expect(Ratio.format(r)).toBe("99.7%")
    expect(some(Ratio.rate(r))).toBeCloseTo(0.997173, 6)
    expect(Ratio.format(r, { digits: 2, counts: true })).toBe("99.72% (1411/1415)")
  })

  it("无数据: a zero denominator is no data — never 0% nor 100%", () => {
    expect(Ratio.rate(Ratio.make(0, 0))).toEqual(Option.none())
    expect(Ratio.percent(Ratio.empty)).toEqual(Option.none())
    expect(Ratio.isNoData(Ratio.empty)).toBe(true)
    expect(Ratio.format(Ratio.empty)).toBe("无数据 no data")
    expect(Ratio.format(Ratio.empty, { noData: "—" })).toBe("—")
    expect(Ratio.atLeast(Ratio.empty, 0)).toEqual(Option.none())
  })

  it("a zero numerator over cases is 0%, which is data", () => {
    expect(Ratio.rate(Ratio.make(0, 12))).toEqual(Option.some(0))
    expect(Ratio.format(Ratio.make(0, 12))).toBe("0.0%")
  })

  it("返工率 may exceed 100%: the numerator is not bounded by the denominator", () => {
    const rework = Ratio.make(5, 4)
    expect(Ratio.isProportion(rework)).toBe(false)
    expect(Ratio.format(rework, { digits: 0 })).toBe("125%")
    expect(Either.isRight(Ratio.validate(rework))).toBe(true)
    expect(Either.isLeft(Ratio.validateProportion(rework))).toBe(true)
  })

  it.prop("rates of proportions stay within [0, 1]", [arbProportion], ([r]) => {
    Option.match(Ratio.rate(r), {
      onNone: () => expect(r.denominator).toBe(0),
      onSome: (x) => {
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(1)
      }
    })
    expect(Ratio.isProportion(r)).toBe(true)
  })

  it("format rounds half up from the exact quotient (1/8 = 12.5% → 13% at 0 digits; 1/200 → 0.5%)", () => {
    expect(Ratio.format(Ratio.make(1, 8), { digits: 0 })).toBe("13%")
    expect(Ratio.format(Ratio.make(1, 8), { digits: 1 })).toBe("12.5%")
    expect(Ratio.format(Ratio.make(1, 200))).toBe("0.5%")
    expect(Ratio.format(Ratio.make(1, 3), { digits: 3 })).toBe("33.333%")
    expect(Ratio.format(Ratio.make(2, 2))).toBe("100.0%")
  })

  it("fromBoolean and count build ratios from observations", () => {
    expect(Ratio.sum([true, false, true].map(Ratio.fromBoolean))).toEqual(Ratio.make(2, 3))
    expect(Ratio.count([1, 2, 3, 4], (x) => x % 2 === 0)).toEqual(Ratio.make(2, 4))
    expect(Ratio.count([], () => true)).toEqual(Ratio.empty)
  })
})

// ---------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------

describe("Ratio.validate", () => {
  it("reports every violation, naming the ratio and the rule", () => {
    const result = Ratio.validate({ numerator: -1, denominator: Number.NaN }, "结案率 s1")
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.violations.map((v) => [v.field, v.rule])).toEqual([
        ["numerator", "negative"],
        ["denominator", "not-finite"]
      ])
      expect(result.left.violations.every((v) => v.label === "结案率 s1")).toBe(true)
    }
  })

  it("a proportion's numerator may not exceed its denominator", () => {
    const result = Ratio.validateProportion({ numerator: 3, denominator: 2 }, "满意率")
    expect(Either.isLeft(result) && result.left.violations.map((v) => v.rule)).toEqual([
      "exceeds-denominator"
    ])
    expect(Either.isRight(Ratio.validateProportion({ numerator: 2, denominator: 2 }))).toBe(true)
  })

  it("the Ratio schema rejects negative and non-finite counts; Proportion rejects n > d", () => {
    const decode = Schema.decodeUnknownEither(Ratio.Ratio)
    expect(Either.isRight(decode({ numerator: 1411, denominator: 1415 }))).toBe(true)
    expect(Either.isLeft(decode({ numerator: -1, denominator: 2 }))).toBe(true)
    expect(Either.isLeft(decode({ numerator: 1, denominator: Number.POSITIVE_INFINITY }))).toBe(true)
    expect(
      Either.isLeft(Schema.decodeUnknownEither(Ratio.Proportion)({ numerator: 3, denominator: 2 }))
    ).toBe(true)
  })
})

// ---------------------------------------------------------------------------
// adding
// ---------------------------------------------------------------------------

describe("Ratio.add", () => {
  it.prop("add is associative", [arbRatio, arbRatio, arbRatio], ([a, b, c]) => {
    expect(Ratio.add(Ratio.add(a, b), c)).toEqual(Ratio.add(a, Ratio.add(b, c)))
  })

  it.prop("add is commutative", [arbRatio, arbRatio], ([a, b]) => {
    expect(Ratio.add(a, b)).toEqual(Ratio.add(b, a))
  })

  it.prop("empty is the identity of add", [arbRatio], ([a]) => {
    expect(Ratio.add(a, Ratio.empty)).toEqual(a)
    expect(Ratio.add(Ratio.empty, a)).toEqual(a)
    expect(Ratio.Monoid.combine(a, Ratio.Monoid.empty)).toEqual(a)
  })

  it.prop("sum equals folding add; data-last add works in a pipe", [fc.array(arbRatio)], ([rs]) => {
    expect(Ratio.sum(rs)).toEqual(rs.reduce((acc, r) => Ratio.add(acc, r), Ratio.empty))
    const [first] = rs
    if (first !== undefined) expect(Ratio.add(first)(Ratio.empty)).toEqual(first)
  })

  it("pooling never averages: 1/1 and 0/99 pool to 1%, while the mean of their rates is 50%", () => {
    const pooled = Ratio.add(Ratio.make(1, 1), Ratio.make(0, 99))
    expect(Ratio.format(pooled)).toBe("1.0%")
    expect(some(Ratio.rate(pooled))).not.toBeCloseTo(0.5, 3)
  })
})

// ---------------------------------------------------------------------------
// rollup
// ---------------------------------------------------------------------------

describe("Ratio.rollup", () => {
  it.prop(
    "the rate of a unit's rollup equals the rate of its subtree's summed counts",
    [arbTree],
    ([{ hierarchy, values }]) => {
      const totals = Ratio.rollup(hierarchy, (u) => values.get(u.id) ?? Ratio.empty)
      for (const unit of Hierarchy.units(hierarchy)) {
        const subtree = [unit, ...some(Hierarchy.descendants(hierarchy, unit.id))]
        const summed = {
          numerator: subtree.reduce((acc, u) => acc + (values.get(u.id)?.numerator ?? 0), 0),
          denominator: subtree.reduce((acc, u) => acc + (values.get(u.id)?.denominator ?? 0), 0)
        }
        const total = some(totals.get(unit.id))
        expect(total).toEqual(summed)
        expect(Ratio.rate(total)).toEqual(Ratio.rate(summed))
      }
    }
  )

  it("a concrete case: a street with communities 1/1 and 0/99 has 结案率 1%, not the 50% mean of its communities", () => {
    const rows = [
      Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
      Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
      Unit.make({ id: "c1", parentId: "s", level: "community", name: "社区一" }),
      Unit.make({ id: "c2", parentId: "s", level: "community", name: "社区二" })
    ]
    const h = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
    const counts: Record<string, Ratio.Ratio> = { c1: Ratio.make(1, 1), c2: Ratio.make(0, 99) }
    const totals = Ratio.rollup(h, (u) => counts[u.id] ?? Ratio.empty)
    const street = some(totals.get("s"))
    const meanOfRates = (1 / 1 + 0 / 99) / 2
    expect(street).toEqual(Ratio.make(1, 100))
    expect(some(Ratio.rate(street))).toBe(0.01)
    expect(some(Ratio.rate(street))).not.toBe(meanOfRates)
    expect(Math.abs(some(Ratio.rate(street)) - meanOfRates)).toBeGreaterThan(0.4)
    expect(totals.root).toEqual(Ratio.make(1, 100))
    // data-last
    expect(Ratio.rollup((u: Unit.Unit) => counts[u.id] ?? Ratio.empty)(h).root).toEqual(totals.root)
  })

  it.prop(
    "among random sibling pairs of different sizes and rates, the rollup rate differs from the mean rate",
    [arbSmallProportion, arbSmallProportion],
    ([a, b]) => {
      fc.pre(a.denominator > 0 && b.denominator > 0)
      fc.pre(a.denominator !== b.denominator && a.numerator * b.denominator !== b.numerator * a.denominator)
      const pooled = some(Ratio.rate(Ratio.add(a, b)))
      const mean = (some(Ratio.rate(a)) + some(Ratio.rate(b))) / 2
      // For two children the pooled rate is the size-weighted mean; it equals the plain mean
      // only when the sizes or the rates are equal, both excluded above.
      // |pooled − mean| = |w − ½|·|rate(a) − rate(b)| ≥ 1/4000 · 1/10⁶ for counts ≤ 1000.
      expect(Math.abs(pooled - mean)).toBeGreaterThan(1e-10)
    }
  )
})

// ---------------------------------------------------------------------------
// comparisons
// ---------------------------------------------------------------------------

describe("Ratio comparisons", () => {
  it("Order compares rates exactly (1/3 = 2/6) and puts no data first", () => {
    expect(Ratio.Order(Ratio.make(1, 3), Ratio.make(2, 6))).toBe(0)
    expect(Ratio.isEqualRate(Ratio.make(1, 2), Ratio.make(50, 100))).toBe(true)
    expect(Ratio.Order(Ratio.empty, Ratio.make(0, 5))).toBe(-1)
    expect(Ratio.Order(Ratio.make(0, 5), Ratio.empty)).toBe(1)
    expect(Ratio.Order(Ratio.empty, Ratio.empty)).toBe(0)
    expect(Ratio.Order(Ratio.make(95, 100), Ratio.make(94, 100))).toBe(1)
  })

  it("greaterThan / lessThan / difference are none when either side has no data", () => {
    const a = Ratio.make(97, 100)
    const b = Ratio.make(90, 100)
    expect(Ratio.greaterThan(a, b)).toEqual(Option.some(true))
    expect(Ratio.lessThan(a, b)).toEqual(Option.some(false))
    expect(Ratio.greaterThan(a, Ratio.empty)).toEqual(Option.none())
    expect(some(Ratio.difference(a, b))).toBeCloseTo(0.07, 12)
    expect(Ratio.difference(Ratio.empty, b)).toEqual(Option.none())
  })

  it("atLeast checks a target such as 结案率不低于95% exactly", () => {
    expect(Ratio.atLeast(Ratio.make(95, 100), 0.95)).toEqual(Option.some(true))
    expect(Ratio.atLeast(Ratio.make(94, 100), 0.95)).toEqual(Option.some(false))
    expect(Ratio.atLeast(0.95)(Ratio.make(1411, 1415))).toEqual(Option.some(true))
  })

  it.prop("Order is antisymmetric and agrees with the rates", [arbRatio, arbRatio], ([a, b]) => {
    expect(Math.sign(Ratio.Order(a, b))).toBe(-Math.sign(Ratio.Order(b, a)))
    if (a.denominator > 0 && b.denominator > 0) {
      const ra = a.numerator / a.denominator
      const rb = b.numerator / b.denominator
      if (ra !== rb) expect(Ratio.Order(a, b)).toBe(ra < rb ? -1 : 1)
    }
  })
})
