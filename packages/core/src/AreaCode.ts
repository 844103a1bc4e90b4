/**
 * 统计用区划代码 — the 12-digit statistical area code that identifies a county,
 * street (or town, township) and community (or village) of China.
 *
 * Layout: 6-digit county code per GB/T 2260 (province 2 + prefecture 2 +
 * county 2), 3-digit street segment, 3-digit community segment. A segment of
 * `000` means "this code names the level above": `110105000000` is the county
 * (district) itself, `110105001000` a street, `110105001001` a community.
 *
 * Segment ranges (国家统计局《统计用区划代码编制规则》):
 * - street segment: 001–099 街道 street, 100–199 镇 town, 200–399 乡 township,
 *   400–599 类似乡级单位 township-like unit (development zones and the like);
 * - community segment: 001–199 居委会 residents' committee, 200–399 村委会
 *   villagers' committee, 400–599 类似居委会/村委会 committee-like unit.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * GB/T 2260 province-level codes (省级行政区划代码), the first two digits of
 * every county code.
 *
 * @since 0.1.0
 * @category constants
 */
export const provinceCodes: ReadonlySet<string> = new Set([
  "11",
  "12",
  "13",
  "14",
  "15",
  "21",
  "22",
  "23",
  "31",
  "32",
  "33",
  "34",
  "35",
  "36",
  "37",
  "41",
  "42",
  "43",
  "44",
  "45",
  "46",
  "50",
  "51",
  "52",
  "53",
  "54",
  "61",
  "62",
  "63",
  "64",
  "65",
  "71",
  "81",
  "82"
])

/**
 * The rule an area code breaks.
 *
 * @since 0.1.0
 * @category models
 */
export type AreaCodeRule =
  | "twelve-digits"
  | "province"
  | "county"
  | "street-segment"
  | "community-segment"
  | "community-without-street"

const ruleText: Record<AreaCodeRule, string> = {
  "twelve-digits": "an area code is exactly 12 decimal digits",
  province: "the first two digits must be a GB/T 2260 province code",
  county:
    "the county part (digits 1–6) must not end in 00 below the prefecture, nor be 0000 below the province",
  "street-segment": "the street segment (digits 7–9) must be 000 or in 001–599",
  "community-segment": "the community segment (digits 10–12) must be 000 or in 001–599",
  "community-without-street": "a community segment needs a street segment (digits 7–9 are 000)"
}

/**
 * 区划代码错误 — an invalid statistical area code, naming the code and the rule it breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAreaCode extends Schema.TaggedError<InvalidAreaCode>()("InvalidAreaCode", {
  code: Schema.String,
  rule: Schema.Literal(
    "twelve-digits",
    "province",
    "county",
    "street-segment",
    "community-segment",
    "community-without-street"
  )
}) {
  override get message(): string {
    return `invalid area code "${this.code}": ${ruleText[this.rule]}`
  }
}

/**
 * Checks a string against every area-code rule and returns the first rule it breaks.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (code: string): Option.Option<AreaCodeRule> => {
  if (!/^\d{12}$/.test(code)) return Option.some("twelve-digits")
  if (!provinceCodes.has(code.slice(0, 2))) return Option.some("province")
  const prefecture = code.slice(2, 4)
  const county = code.slice(4, 6)
  const street = Number(code.slice(6, 9))
  const community = Number(code.slice(9, 12))
  // A province code (prefecture 00) names the province itself. Prefecture-level
  // cities without counties (东莞 441900, 中山 442000) do carry streets and towns.
  if (prefecture === "00" && (county !== "00" || street !== 0)) return Option.some("county")
  if (street > 599) return Option.some("street-segment")
  if (community > 599) return Option.some("community-segment")
  if (street === 0 && community !== 0) return Option.some("community-without-street")
  return Option.none()
}

/**
 * 统计用区划代码 — a valid 12-digit statistical area code.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AreaCode = Schema.String.pipe(
  Schema.filter((code) =>
    Option.match(check(code), {
      onNone: () => true,
      onSome: (rule) => `${ruleText[rule]} (got "${code}")`
    })
  ),
  Schema.brand("AreaCode"),
  Schema.annotations({
    identifier: "AreaCode",
    title: "统计用区划代码 area code",
    description:
      "12-digit statistical area code: 6-digit GB/T 2260 county + 3-digit street + 3-digit community"
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type AreaCode = typeof AreaCode.Type

/**
 * Validates a string as an area code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parse = (code: string): Either.Either<AreaCode, InvalidAreaCode> =>
  Option.match(check(code), {
    onNone: () => Either.right(code as AreaCode),
    onSome: (rule) => Either.left(new InvalidAreaCode({ code, rule }))
  })

/**
 * 街道级单位类别 — what the street segment says the unit is.
 *
 * @since 0.1.0
 * @category models
 */
export type StreetKind = "street" | "town" | "township" | "township-like"

/**
 * 社区级单位类别 — what the community segment says the unit is.
 *
 * @since 0.1.0
 * @category models
 */
export type CommunityKind = "residents-committee" | "villagers-committee" | "committee-like"

/**
 * The administrative level an area code names, by its zero segments.
 *
 * @since 0.1.0
 * @category models
 */
export type AreaLevel = "province" | "prefecture" | "county" | "street" | "community"

/**
 * The parts of an area code.
 *
 * @since 0.1.0
 * @category models
 */
export interface AreaCodeParts {
  /** 省级代码 — the two-digit province code. */
  readonly province: string
  /** 县级代码 — the six-digit GB/T 2260 code (of the county, or of the prefecture/province on such codes). */
  readonly county: string
  /** 街道段 — digits 7–9; `"000"` on a county-level code. */
  readonly street: string
  /** 社区段 — digits 10–12; `"000"` on a county- or street-level code. */
  readonly community: string
  readonly level: AreaLevel
  readonly streetKind: Option.Option<StreetKind>
  readonly communityKind: Option.Option<CommunityKind>
}

/**
 * Classifies a street segment (`"001"`–`"599"`).
 *
 * @since 0.1.0
 * @category getters
 */
export const streetKindOf = (segment: string): Option.Option<StreetKind> => {
  const n = Number(segment)
  if (!/^\d{3}$/.test(segment) || n === 0) return Option.none()
  if (n <= 99) return Option.some("street")
  if (n <= 199) return Option.some("town")
  if (n <= 399) return Option.some("township")
  if (n <= 599) return Option.some("township-like")
  return Option.none()
}

/**
 * Classifies a community segment (`"001"`–`"599"`).
 *
 * @since 0.1.0
 * @category getters
 */
export const communityKindOf = (segment: string): Option.Option<CommunityKind> => {
  const n = Number(segment)
  if (!/^\d{3}$/.test(segment) || n === 0) return Option.none()
  if (n <= 199) return Option.some("residents-committee")
  if (n <= 399) return Option.some("villagers-committee")
  if (n <= 599) return Option.some("committee-like")
  return Option.none()
}

/**
 * Splits a valid area code into its parts.
 *
 * @since 0.1.0
 * @category getters
 */
export const decode = (code: AreaCode): AreaCodeParts => {
  const street = code.slice(6, 9)
  const community = code.slice(9, 12)
  return {
    province: code.slice(0, 2),
    county: code.slice(0, 6),
    street,
    community,
    level:
      street !== "000"
        ? community === "000"
          ? "street"
          : "community"
        : code.slice(2, 6) === "0000"
          ? "province"
          : code.slice(4, 6) === "00"
            ? "prefecture"
            : "county",
    streetKind: streetKindOf(street),
    communityKind: communityKindOf(community)
  }
}

/**
 * Builds an area code from its county code and segments (numbers or digit strings).
 *
 * @since 0.1.0
 * @category constructors
 */
export const encode = (parts: {
  readonly county: string
  readonly street?: number | string
  readonly community?: number | string
}): Either.Either<AreaCode, InvalidAreaCode> => {
  const pad = (segment: number | string | undefined): string =>
    typeof segment === "number" ? String(segment).padStart(3, "0") : (segment ?? "000")
  return parse(`${parts.county}${pad(parts.street)}${pad(parts.community)}`)
}

/**
 * The level an area code names (county, street or community).
 *
 * @since 0.1.0
 * @category getters
 */
export const levelOf = (code: AreaCode): AreaLevel => decode(code).level

/**
 * 辖区包含 — whether the area named by `code` lies within the area named by `ancestor`
 * (an area lies within itself).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isWithin = (code: AreaCode, ancestor: AreaCode): boolean => {
  switch (levelOf(ancestor)) {
    case "province":
      return code.startsWith(ancestor.slice(0, 2))
    case "prefecture":
      return code.startsWith(ancestor.slice(0, 4))
    case "county":
      return code.startsWith(ancestor.slice(0, 6))
    case "street":
      return code.startsWith(ancestor.slice(0, 9))
    case "community":
      return code === ancestor
  }
}
