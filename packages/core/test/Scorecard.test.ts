/**
 * 考核记分卡 — `Score.scorecards` is `score`, `grade`, `light` and `rank`
 * composed: each card's composite, grade and light are those functions'
 * results for the unit's values, a unit below the minimum sample is never
 * ranked, and the ranked cards come first with non-increasing scores.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Ratio from "../src/Ratio.js"
import * as Score from "../src/Score.js"

const arbRatio = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }))
  .map(([a, b]) => Ratio.make(Math.min(a, b), Math.max(a, b)))

const arbUnits = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^[a-z]{1,6}$/),
    values: fc.record({ response: arbRatio, resolution: arbRatio, satisfaction: arbRatio })
  }),
  { selector: (u) => u.id, maxLength: 12 }
)

describe("Score.scorecards", () => {
  it("offers the shipped profiles by id, and none for an unknown id", () => {
    expect(Score.profiles.map((p) => p.id)).toEqual([
      "three-rates-10-50-40",
      "three-rates-30-35-35",
      "cjt292-style-handling"
    ])
    expect(Score.profileOf("cjt292-style-handling")).toEqual(Option.some(Score.cjt292Style))
    expect(Option.isNone(Score.profileOf("nope"))).toBe(true)
  })

  it("the sample is the largest weighted ratio denominator", () => {
    expect(
      Score.sampleOf(Score.threeRates_10_50_40, {
        response: Ratio.make(3, 40),
        resolution: Ratio.make(2, 35),
        satisfaction: 0.9
      })
    ).toBe(40)
    expect(Score.sampleOf(Score.threeRates_10_50_40, {})).toBe(0)
  })

  it.prop(
    "cards are score, grade, light and rank composed; the minimum sample is respected",
    [arbUnits, fc.integer({ min: 0, max: 150 })],
    ([units, minSample]) => {
      for (const profile of Score.profiles) {
        const cards = Score.scorecards(profile, units, { minSample })
        expect(cards.map((c) => c.input.id).sort()).toEqual(units.map((u) => u.id).sort())
        let seenUnranked = false
        let previous = Number.POSITIVE_INFINITY
        for (const card of cards) {
          const composite = Score.score(profile, card.input.values)
          expect(card.composite).toEqual(composite)
          expect(card.sampleSize).toBe(Score.sampleOf(profile, card.input.values))
          expect(card.grade).toEqual(Option.map(composite.score, (s) => Score.grade(s)))
          expect(card.light).toEqual(Option.map(composite.score, (s) => Score.light(s)))
          if (Option.isSome(card.rank)) {
            expect(seenUnranked).toBe(false)
            expect(card.sampleSize).toBeGreaterThanOrEqual(minSample)
            const s = Option.getOrThrow(composite.score)
            expect(s).toBeLessThanOrEqual(previous + 0.005)
            previous = s
          } else {
            seenUnranked = true
            expect(card.status === "below-minimum-sample" ? card.sampleSize < minSample : true).toBe(true)
          }
        }
      }
    }
  )
})
