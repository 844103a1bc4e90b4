import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AreaCode from "../src/AreaCode.js"
import * as GridCode from "../src/GridCode.js"

// -----------------------------------------------------------------------------
// arbitraries
// -----------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, "0")
const digits = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((ds) => ds.join(""))

const provinceArb = fc.constantFrom(...Array.from(AreaCode.provinceCodes))
const badProvinceArb = fc
  .integer({ min: 0, max: 99 })
  .map((n) => pad(n, 2))
  .filter((p) => !AreaCode.provinceCodes.has(p))

/** a county code below a prefecture: province + prefecture 01–99 + county 00–99 */
const countyArb = fc
  .tuple(provinceArb, fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }))
  .map(([p, pre, c]) => `${p}${pad(pre, 2)}${pad(c, 2)}`)
const segmentArb = fc.integer({ min: 1, max: 599 }).map((n) => pad(n, 3))
const badSegmentArb = fc.integer({ min: 600, max: 999 }).map((n) => pad(n, 3))

/** a valid 12-digit area code of a community (street and community segments non-zero) */
const communityAreaArb = fc
  .tuple(countyArb, segmentArb, segmentArb)
  .map(([county, street, community]) => `${county}${street}${community}`)

const gbSequenceArb = fc.integer({ min: 1, max: 999 })
const cjSequenceArb = fc.integer({ min: 0, max: 99 })

const right = <A, E>(e: Either.Either<A, E>): A =>
  Either.getOrThrowWith(e, (err) => new Error(`expected Right, got Left: ${JSON.stringify(err)}`))

const leftRule = <A, E extends { readonly rule: string }>(e: Either.Either<A, E>): string | undefined =>
  Either.isLeft(e) ? e.left.rule : undefined

/**
 * A bad area code and the rule it breaks (each rule of InvalidAreaCode; the
 * rules are checked in order, so every other part is made valid).
 */
const badAreaArb: fc.Arbitrary<{ readonly code: string; readonly rule: AreaCode.AreaCodeRule }> = fc.oneof(
  fc
    .oneof(
      fc
        .integer({ min: 0, max: 20 })
        .filter((n) => n !== 12)
        .chain(digits),
      fc
        .tuple(digits(11), fc.constantFrom("a", " ", "-", "０", "x"), fc.integer({ min: 0, max: 11 }))
        .map(([ds, ch, at]) => `${ds.slice(0, at)}${ch}${ds.slice(at)}`)
    )
    .map((code) => ({ code, rule: "twelve-digits" as const })),
  fc
    .tuple(badProvinceArb, digits(10))
    .map(([p, rest]) => ({ code: `${p}${rest}`, rule: "province" as const })),
  fc
    .tuple(provinceArb, fc.integer({ min: 1, max: 99 }), fc.constantFrom("000000", "001001", "001000"))
    .map(([p, c, rest]) => ({ code: `${p}00${pad(c, 2)}${rest}`, rule: "county" as const })),
  fc.tuple(countyArb, badSegmentArb, fc.integer({ min: 0, max: 999 })).map(([county, street, c]) => ({
    code: `${county}${street}${pad(c, 3)}`,
    rule: "street-segment" as const
  })),
  fc
    .tuple(countyArb, fc.integer({ min: 0, max: 599 }), badSegmentArb)
    .map(([county, s, c]) => ({ code: `${county}${pad(s, 3)}${c}`, rule: "community-segment" as const })),
  fc
    .tuple(countyArb, segmentArb)
    .map(([county, c]) => ({ code: `${county}000${c}`, rule: "community-without-street" as const }))
)

// -----------------------------------------------------------------------------
// GridCode
// -----------------------------------------------------------------------------

describe("GridCode — GB/T 30428.1 (15 digits = 12-digit area + 001–999)", () => {
  it.prop(
    "encodeGb then decode gives back the area and the sequence",
    [communityAreaArb, gbSequenceArb],
    ([area, seq]) => {
      const code = right(GridCode.encodeGb(area, seq))
      expect(code).toBe(`${area}${pad(seq, 3)}`)
      expect(code).toHaveLength(15)
      expect(right(GridCode.decode(code))).toEqual({ format: "GB/T 30428.1", area, sequence: seq })
      expect(Schema.is(GridCode.GbGridCode)(code)).toBe(true)
      expect(Schema.is(GridCode.CjGridCode)(code)).toBe(false)
      expect(Schema.is(GridCode.GridCode)(code)).toBe(true)
    }
  )

  it.prop("decode then encodeGb gives back the code", [communityAreaArb, gbSequenceArb], ([area, seq]) => {
    const code = `${area}${pad(seq, 3)}`
    const parts = right(GridCode.decode(code))
    expect(right(GridCode.encodeGb(parts.area, parts.sequence))).toBe(code)
  })

  it.prop("sequence rule: 000 is not a grid", [communityAreaArb], ([area]) => {
    expect(leftRule(GridCode.decode(`${area}000`))).toBe("sequence")
    expect(leftRule(GridCode.encodeGb(area, 0))).toBe("sequence")
  })

  it.prop(
    "sequence rule: encodeGb refuses sequences outside 1–999 and non-integers",
    [
      communityAreaArb,
      fc.oneof(
        fc.integer({ min: -1000, max: 0 }),
        fc.integer({ min: 1000, max: 100_000 }),
        fc.double({ min: 0, max: 999, noNaN: true }).filter((x) => !Number.isInteger(x))
      )
    ],
    ([area, seq]) => {
      expect(leftRule(GridCode.encodeGb(area, seq))).toBe("sequence")
    }
  )
})

describe("GridCode — CJ/T 213 (14 digits = 12-digit area + 00–99)", () => {
  it.prop(
    "encodeCj then decode gives back the area and the sequence",
    [communityAreaArb, cjSequenceArb],
    ([area, seq]) => {
      const code = right(GridCode.encodeCj(area, seq))
      expect(code).toBe(`${area}${pad(seq, 2)}`)
      expect(code).toHaveLength(14)
      expect(right(GridCode.decode(code))).toEqual({ format: "CJ/T 213", area, sequence: seq })
      expect(Schema.is(GridCode.CjGridCode)(code)).toBe(true)
      expect(Schema.is(GridCode.GbGridCode)(code)).toBe(false)
    }
  )

  it.prop("00 names the community itself and is a valid CJ/T 213 code", [communityAreaArb], ([area]) => {
    expect(right(GridCode.decode(`${area}00`)).sequence).toBe(0)
  })

  it.prop(
    "sequence rule: encodeCj refuses sequences outside 0–99",
    [communityAreaArb, fc.oneof(fc.integer({ min: -100, max: -1 }), fc.integer({ min: 100, max: 10_000 }))],
    ([area, seq]) => {
      expect(leftRule(GridCode.encodeCj(area, seq))).toBe("sequence")
    }
  )
})

describe("GridCode — conversions", () => {
  it.prop(
    "cjToGb and gbToCj are inverse on sequences 01–99",
    [communityAreaArb, fc.integer({ min: 1, max: 99 })],
    ([area, seq]) => {
      const cj = right(GridCode.encodeCj(area, seq))
      const gb = right(GridCode.cjToGb(cj))
      expect(gb).toBe(right(GridCode.encodeGb(area, seq)))
      expect(right(GridCode.gbToCj(gb))).toBe(cj)
    }
  )

  it.prop("cjToGb refuses 00, the community's own code", [communityAreaArb], ([area]) => {
    const result = GridCode.cjToGb(right(GridCode.encodeCj(area, 0)))
    expect(leftRule(result)).toBe("sequence")
    expect(Either.isLeft(result) && result.left.message).toContain("names the community")
  })

  it.prop(
    "gbToCj refuses sequences above 99",
    [communityAreaArb, fc.integer({ min: 100, max: 999 })],
    ([area, seq]) => {
      expect(leftRule(GridCode.gbToCj(right(GridCode.encodeGb(area, seq))))).toBe("sequence")
    }
  )
})

describe("GridCode — every InvalidGridCode rule", () => {
  it.prop(
    "digits rule: anything but 14 or 15 decimal digits",
    [
      fc
        .oneof(
          fc
            .integer({ min: 0, max: 30 })
            .filter((n) => n !== 14 && n !== 15)
            .chain(digits),
          fc
            .tuple(fc.constantFrom(14, 15), fc.constantFrom("a", " ", ".", "-", "１"))
            .chain(([n, ch]) =>
              fc
                .tuple(digits(n - 1), fc.integer({ min: 0, max: n - 1 }))
                .map(([ds, at]) => `${ds.slice(0, at)}${ch}${ds.slice(at)}`)
            ),
          fc.string()
        )
        .filter((s) => !/^\d{14,15}$/.test(s))
    ],
    ([code]) => {
      const result = GridCode.decode(code)
      expect(leftRule(result)).toBe("digits")
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "InvalidGridCode", code })
    }
  )

  it.prop(
    "area-code rule: the first 12 digits must be a valid area code; the detail names the area rule",
    [badAreaArb.filter((x) => x.rule !== "twelve-digits"), fc.constantFrom("001", "42")],
    ([{ code: area, rule }, seq]) => {
      const result = GridCode.decode(`${area}${seq}`)
      expect(leftRule(result)).toBe("area-code")
      expect(Either.isLeft(result) && result.left.detail).toBe(rule)
    }
  )

  it.prop(
    "community-level rule: the area must name a community, not a street or county",
    [countyArb, fc.oneof(segmentArb, fc.constant("000")), fc.constantFrom("001", "01")],
    ([county, street, seq]) => {
      const result = GridCode.decode(`${county}${street}000${seq}`)
      expect(leftRule(result)).toBe("community-level")
      expect(Either.isLeft(result) && result.left.message).toContain("community")
    }
  )

  it("decodes a 数字盘龙-style code of 盘龙区 (530103)", () => {
    expect(right(GridCode.decode("530103001002017"))).toEqual({
      format: "GB/T 30428.1",
      area: "530103001002",
      sequence: 17
    })
    expect(right(GridCode.decode("53010300100217"))).toEqual({
      format: "CJ/T 213",
      area: "530103001002",
      sequence: 17
    })
  })

  it("the schema's failure message says which rule a code breaks", () => {
    const decodeGb = Schema.decodeUnknownEither(GridCode.GbGridCode)
    const cjCode = "53010300100217"
    const result = decodeGb(cjCode)
    expect(Either.isLeft(result)).toBe(true)
    expect(Either.isLeft(result) && result.left.message).toContain("GB/T 30428.1 needs 15")
  })
})

// -----------------------------------------------------------------------------
// AreaCode
// -----------------------------------------------------------------------------

describe("AreaCode — every InvalidAreaCode rule", () => {
  it.prop(
    "a generated bad code is refused with exactly the rule it breaks",
    [badAreaArb],
    ([{ code, rule }]) => {
      expect(AreaCode.check(code)).toEqual(Option.some(rule))
      const parsed = AreaCode.parse(code)
      expect(Either.isLeft(parsed) && parsed.left).toMatchObject({ _tag: "InvalidAreaCode", code, rule })
      expect(Either.isLeft(parsed) && parsed.left.message).toContain(code)
      expect(Schema.is(AreaCode.AreaCode)(code)).toBe(false)
    }
  )

  it("every rule is reachable by the generator", () => {
    const rules = new Set(fc.sample(badAreaArb, { numRuns: 500, seed: 42 }).map((x) => x.rule))
    expect(Array.from(rules).sort()).toEqual(
      [
        "community-segment",
        "community-without-street",
        "county",
        "province",
        "street-segment",
        "twelve-digits"
      ].sort()
    )
  })
})

describe("AreaCode — segments and levels", () => {
  it.prop(
    "encode then decode gives back county, street and community",
    [countyArb, fc.integer({ min: 1, max: 599 }), fc.integer({ min: 0, max: 599 })],
    ([county, street, community]) => {
      const code = right(AreaCode.encode({ county, street, community }))
      expect(code).toBe(`${county}${pad(street, 3)}${pad(community, 3)}`)
      const parts = AreaCode.decode(code)
      expect(parts.county).toBe(county)
      expect(parts.province).toBe(county.slice(0, 2))
      expect(parts.street).toBe(pad(street, 3))
      expect(parts.community).toBe(pad(community, 3))
      expect(parts.level).toBe(community === 0 ? "street" : "community")
      expect(AreaCode.levelOf(code)).toBe(parts.level)
    }
  )

  it.prop(
    "a code with street 000 names a county (or, with county digits 00, a prefecture) and has no street kind",
    [countyArb],
    ([county]) => {
      const code = right(AreaCode.encode({ county }))
      expect(AreaCode.levelOf(code)).toBe(county.endsWith("00") ? "prefecture" : "county")
      expect(AreaCode.decode(code).streetKind).toEqual(Option.none())
    }
  )

  it("province and prefecture codes: levels, containment, and no street directly under a province", () => {
    const beijing = right(AreaCode.parse("110000000000"))
    const beijingCity = right(AreaCode.parse("110100000000"))
    const chaoyang = right(AreaCode.parse("110105000000"))
    const community = right(AreaCode.parse("110105001001"))
    expect(AreaCode.levelOf(beijing)).toBe("province")
    expect(AreaCode.levelOf(beijingCity)).toBe("prefecture")
    expect(AreaCode.levelOf(chaoyang)).toBe("county")
    expect(AreaCode.isWithin(community, beijing)).toBe(true)
    expect(AreaCode.isWithin(community, beijingCity)).toBe(true)
    expect(AreaCode.isWithin(community, chaoyang)).toBe(true)
    expect(AreaCode.isWithin(community, right(AreaCode.parse("120000000000")))).toBe(false)
    // 东莞 441900: a prefecture-level city without counties carries towns directly
    expect(Either.isRight(AreaCode.parse("441900003000"))).toBe(true)
    expect(AreaCode.parse("110000001001")).toEqual(
      Either.left(new AreaCode.InvalidAreaCode({ code: "110000001001", rule: "county" }))
    )
  })

  it("encoding refuses an area code of the wrong length instead of producing the other format", () => {
    expect(Either.isLeft(GridCode.encodeGb("11010500100", 101))).toBe(true)
    expect(Either.isLeft(GridCode.encodeCj("1101050010011", 1))).toBe(true)
  })

  it.prop(
    "street segment ranges: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 类似乡级单位",
    [fc.integer({ min: 0, max: 999 })],
    ([n]) => {
      const expected =
        n === 0 || n > 599
          ? Option.none()
          : Option.some(n <= 99 ? "street" : n <= 199 ? "town" : n <= 399 ? "township" : "township-like")
      expect(AreaCode.streetKindOf(pad(n, 3))).toEqual(expected)
    }
  )

  it("street segment range boundaries", () => {
    const kind = (s: string) => Option.getOrNull(AreaCode.streetKindOf(s))
    expect([
      kind("001"),
      kind("099"),
      kind("100"),
      kind("199"),
      kind("200"),
      kind("399"),
      kind("400")
    ]).toEqual(["street", "street", "town", "town", "township", "township", "township-like"])
    expect([kind("000"), kind("600"), kind("1"), kind("abc")]).toEqual([null, null, null, null])
  })

  it.prop(
    "community segment ranges: 001–199 居委会, 200–399 村委会, 400–599 类似",
    [fc.integer({ min: 0, max: 999 })],
    ([n]) => {
      const expected =
        n === 0 || n > 599
          ? Option.none()
          : Option.some(
              n <= 199 ? "residents-committee" : n <= 399 ? "villagers-committee" : "committee-like"
            )
      expect(AreaCode.communityKindOf(pad(n, 3))).toEqual(expected)
    }
  )

  it.prop(
    "辖区包含: a community lies within its street and county, and not within another street",
    [countyArb, fc.integer({ min: 1, max: 598 }), segmentArb],
    ([county, street, community]) => {
      const c = right(AreaCode.encode({ county, street, community }))
      const s = right(AreaCode.encode({ county, street }))
      const other = right(AreaCode.encode({ county, street: street + 1 }))
      const k = right(AreaCode.encode({ county }))
      expect(AreaCode.isWithin(c, s)).toBe(true)
      expect(AreaCode.isWithin(c, k)).toBe(true)
      expect(AreaCode.isWithin(c, c)).toBe(true)
      expect(AreaCode.isWithin(c, other)).toBe(false)
      expect(AreaCode.isWithin(s, c)).toBe(false)
    }
  )

  it("seed 003's 新政镇 is a town: street segment 1xx", () => {
    // 仪陇县 511324; a town segment in 100–199
    const code = right(AreaCode.parse("511324100001"))
    const parts = AreaCode.decode(code)
    expect(parts.streetKind).toEqual(Option.some("town"))
    expect(parts.communityKind).toEqual(Option.some("residents-committee"))
    expect(parts.level).toBe("community")
  })
})
