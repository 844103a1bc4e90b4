/**
 * 户 — a household: the unit of 联户 contact duties, 入户走访 home visits and
 * the 重点人群 key-group registry. The seeds count in households: 340 cadres
 * 包保联系 16,470 户 (seed 000), 65,042 人次 of 入户走访 (seed 001), the
 * public-rental households 公租房 of seed 002, the 重点户 of seed 003.
 *
 * A household lives either at a household-level unit of the hierarchy (a
 * level scheme with 户, `LevelScheme.WithHouseholds`) or, where households are
 * not units, at a building 楼栋 plus a label such as `"2单元201"`. Its display
 * `label` names the place, never the people (PIPL: names, phone and ID
 * numbers belong in `Resident`, which restricts and masks them). `size` is
 * the number of people 户人口; `tags` are free labels, with the usual ones in
 * `knownTags` (公租房, 流动, 低保 …).
 *
 * Tags are shown to everyone who sees the household: where a status such as
 * 低保 must be restricted, record it as a `KeyGroup` enrolment (`low-income`),
 * whose reads `KeyGroupAccess` restricts, rather than as a tag.
 *
 * `check` reports every problem of a batch (repeated ids, two households at
 * one place, a blank tag), not just the first.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { GridId } from "./Grid.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 户编号 — the identifier of a household.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HouseholdId = Text.Id.pipe(
  Schema.brand("HouseholdId"),
  Schema.annotations({ identifier: "HouseholdId", title: "户编号 household id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type HouseholdId = typeof HouseholdId.Type

/**
 * 户级单元 — the household is a unit of the hierarchy (a level scheme with 户).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AtUnit = Schema.TaggedStruct("AtUnit", {
  /** 户 — the household-level unit. */
  unitId: UnitId
}).annotations({ identifier: "HouseholdAtUnit", title: "户级单元 household unit" })

/**
 * 楼栋门牌 — the household is a door of a building: the building unit and a
 * label such as `"2单元201"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AtBuilding = Schema.TaggedStruct("AtBuilding", {
  /** 楼栋 — the building unit. */
  buildingId: UnitId,
  /** 门牌 — e.g. `"2单元201"` (at most `Text.limits.name` characters). */
  door: Text.Name
}).annotations({ identifier: "HouseholdAtBuilding", title: "楼栋门牌 door of a building" })

/**
 * 住址 — where a household lives: a household-level unit, or a building and a door.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Place = Schema.Union(AtUnit, AtBuilding).annotations({
  identifier: "HouseholdPlace",
  title: "住址 place"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Place = typeof Place.Type

/**
 * 户标签 — a free tag (at most `Text.limits.tag` characters), e.g. `"公租房"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tag = Text.field(Text.limits.tag).annotations({
  identifier: "HouseholdTag",
  title: "户标签 tag"
})

/**
 * 常用户标签 — the tags the seeds use: 公租房 public rental housing (seed 002),
 * 流动 a mobile household 流动人口 (seed 002: "流动快"), 低保 minimum living
 * allowance, 困难 hardship, 党员户 a party member's household, 出租 rented out.
 *
 * @since 0.1.0
 * @category constants
 */
export const knownTags: Readonly<Record<string, string>> = {
  公租房: "public rental housing",
  流动: "mobile household",
  低保: "minimum living allowance",
  困难: "hardship household",
  党员户: "party member's household",
  出租: "rented out"
}

/**
 * 户 — a household: id, community, optional grid, place, display label,
 * number of people and tags.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Household = Schema.Struct({
  id: HouseholdId,
  /** 所属社区 — the community (社区/村) of the household. */
  communityId: UnitId,
  /** 所属网格 — the basic grid, where known. */
  gridId: Schema.optionalWith(GridId, { exact: true }),
  place: Place,
  /** 显示标签 — e.g. `"3号楼2单元201"`; a place, never names, phones or ID numbers. */
  label: Text.Name,
  /** 户人口 — the number of people. */
  size: Schema.Int.pipe(Schema.nonNegative()),
  /** 标签 — at most `Text.limits.tags` tags. */
  tags: Schema.Array(Tag).pipe(
    Schema.maxItems(Text.limits.tags, {
      message: () => `标签过多 must have at most ${Text.limits.tags} tags (rule max-items)`
    })
  )
}).annotations({ identifier: "Household", title: "户 household" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Household extends Schema.Schema.Type<typeof Household> {}

/**
 * 所在单元 — the unit a household lies in: its own unit, or its building. This
 * is the unit access scopes and rollups use.
 *
 * @since 0.1.0
 * @category getters
 */
export const unitOf = (household: Household): UnitId =>
  household.place._tag === "AtUnit" ? household.place.unitId : household.place.buildingId

/**
 * 住址键 — a key that is equal for two households at the same place.
 *
 * @since 0.1.0
 * @category getters
 */
export const placeKey = (place: Place): string =>
  place._tag === "AtUnit" ? `unit:${place.unitId}` : `building:${place.buildingId}:${place.door.trim()}`

/**
 * Whether a household carries a tag.
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasTag = (household: Household, tag: string): boolean => household.tags.includes(tag)

// -----------------------------------------------------------------------------
// check
// -----------------------------------------------------------------------------

/**
 * 户数据规则 — `duplicate-id` an id occurs twice; `duplicate-place` two
 * households at one place; `duplicate-tag` a tag repeated on one household.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HouseholdRule = Schema.Literal("duplicate-id", "duplicate-place", "duplicate-tag").annotations({
  identifier: "HouseholdRule",
  title: "户数据规则 household rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type HouseholdRule = typeof HouseholdRule.Type

/**
 * 户数据问题 — one problem of a batch of households: the household, the field, the rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class HouseholdViolation extends Schema.TaggedError<HouseholdViolation>()("HouseholdViolation", {
  householdId: HouseholdId,
  field: Schema.Literal("id", "place", "tags"),
  rule: HouseholdRule,
  /** For `duplicate-place`: the other household at the place; for `duplicate-tag`: the tag. */
  other: Schema.optionalWith(Schema.String, { exact: true })
}) {
  override get message(): string {
    return ((): string => {
      const h = this.householdId
      switch (this.rule) {
        case "duplicate-id":
          return `户编号 ${h} 重复 — household id ${h} occurs more than once (rule duplicate-id)`
        case "duplicate-place":
          return `户 ${h} 与户 ${this.other ?? "?"} 住址相同 — households ${h} and ${this.other ?? "?"} are at the same place (rule duplicate-place)`
        case "duplicate-tag":
          return `户 ${h} 的标签 ${this.other ?? "?"} 重复 — household ${h} repeats tag ${this.other ?? "?"} (rule duplicate-tag)`
      }
    })()
  }
}

/**
 * 户数据不合规 — every problem `check` found.
 *
 * @since 0.1.0
 * @category errors
 */
export class HouseholdsInvalid extends Schema.TaggedError<HouseholdsInvalid>()("HouseholdsInvalid", {
  violations: Schema.NonEmptyArray(HouseholdViolation)
}) {
  override get message(): string {
    return `户数据有 ${this.violations.length} 处问题 — ${this.violations.length} household problem(s): ${this.violations.map((v) => v.message).join("; ")}`
  }
}

/**
 * 户数据检查 — every problem of a batch: repeated ids (reported once per id),
 * households at the same place, tags repeated on a household. In input order.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (households: ReadonlyArray<Household>): ReadonlyArray<HouseholdViolation> => {
  const out: Array<HouseholdViolation> = []
  const seen = new Set<string>()
  const reported = new Set<string>()
  const places = new Map<string, HouseholdId>()
  for (const h of households) {
    if (seen.has(h.id)) {
      if (!reported.has(h.id))
        out.push(new HouseholdViolation({ householdId: h.id, field: "id", rule: "duplicate-id" }))
      reported.add(h.id)
      continue
    }
    seen.add(h.id)
    const key = placeKey(h.place)
    const other = places.get(key)
    if (other === undefined) places.set(key, h.id)
    else
      out.push(new HouseholdViolation({ householdId: h.id, field: "place", rule: "duplicate-place", other }))
    const tags = new Set<string>()
    for (const tag of h.tags) {
      if (tags.has(tag))
        out.push(
          new HouseholdViolation({ householdId: h.id, field: "tags", rule: "duplicate-tag", other: tag })
        )
      tags.add(tag)
    }
  }
  return out
}

/**
 * Like `check`, as an `Either`: the households, or every problem.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  households: ReadonlyArray<Household>
): Either.Either<ReadonlyArray<Household>, HouseholdsInvalid> => {
  const [first, ...rest] = check(households)
  return first === undefined
    ? Either.right(households)
    : Either.left(new HouseholdsInvalid({ violations: [first, ...rest] }))
}
