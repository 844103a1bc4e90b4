/**
 * 层级方案 — a level scheme: the ordered list of administrative levels a
 * hierarchy uses, from the top (e.g. 区 district) down (e.g. 楼栋 building).
 *
 * Schemes are configuration. The default is the "五级治理" scheme of the Panlong district report
 * (district → street → community → residents' group / compound → building);
 * the Pingyi street report uses street → area 片区 → community → grid; other places speak of
 * six levels. A level may be marked optional, so a child may skip it: a
 * building can hang directly under its community when there is no compound.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Text from "./Text.js"

/**
 * 层级标识 — the identifier of a level within a scheme (`"district"`, `"street"` …).
 *
 * @since 0.1.0
 * @category schemas
 */
export const LevelId = Text.Id.pipe(
  Schema.brand("LevelId"),
  Schema.annotations({ identifier: "LevelId", title: "层级标识 level id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type LevelId = typeof LevelId.Type

/**
 * 层级 — one level of a scheme, with its Chinese and English names.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Level = Schema.Struct({
  id: LevelId,
  /** 中文名称 — the Chinese name, e.g. `"街道"`. */
  name: Text.Name,
  /** English name, e.g. `"street"`. */
  nameEn: Text.Name,
  /** 可选层级 — whether a child may skip this level. */
  optional: Schema.Boolean
}).annotations({ identifier: "Level", title: "层级 level" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Level extends Schema.Schema.Type<typeof Level> {}

/**
 * 层级方案 — an ordered list of levels, top first. Level ids are unique and the
 * top level is never optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LevelScheme = Schema.Struct({
  id: Text.Id,
  name: Text.Name,
  levels: Schema.NonEmptyArray(Level)
}).pipe(
  Schema.filter((scheme) => {
    const seen = new Set<string>()
    for (const level of scheme.levels) {
      if (seen.has(level.id)) return `levels: level id "${level.id}" appears twice; level ids must be unique`
      seen.add(level.id)
    }
    if (scheme.levels[0].optional) return `levels: the top level "${scheme.levels[0].id}" cannot be optional`
    return true
  }),
  Schema.annotations({ identifier: "LevelScheme", title: "层级方案 level scheme" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface LevelScheme extends Schema.Schema.Type<typeof LevelScheme> {}

const level = (id: string, name: string, nameEn: string, optional = false): Level => ({
  id: LevelId.make(id),
  name,
  nameEn,
  optional
})

/**
 * 五级治理 — the default scheme (the Panlong district report): 区 district → 街道 street (or 镇 town)
 * → 社区 community (or 村 village) → 居民小组/小区 residents' group or compound
 * (optional) → 楼栋 building.
 *
 * @since 0.1.0
 * @category schemes
 */
export const FiveLevel: LevelScheme = {
  id: "five-level",
  name: "五级治理",
  levels: [
    level("district", "区", "district"),
    level("street", "街道", "street"),
    level("community", "社区", "community"),
    level("compound", "小区/居民小组", "compound or residents' group", true),
    level("building", "楼栋", "building")
  ]
}

/**
 * 七级（含单元、户） — the five levels extended down to 单元/楼道 stairwell and
 * 户 household, both optional, for apps that track households.
 *
 * @since 0.1.0
 * @category schemes
 */
export const WithHouseholds: LevelScheme = {
  id: "five-level-with-households",
  name: "五级治理（含单元、户）",
  levels: [
    ...FiveLevel.levels,
    level("stairwell", "单元/楼道", "stairwell", true),
    level("household", "户", "household")
  ]
}

/**
 * 街道—片区—社区—网格 — the scheme of the Pingyi street report: 街道 street → 片区 area →
 * 社区 community → 网格 grid.
 *
 * @since 0.1.0
 * @category schemes
 */
export const StreetAreaCommunityGrid: LevelScheme = {
  id: "street-area-community-grid",
  name: "街道—片区—社区—网格",
  levels: [
    level("street", "街道", "street"),
    level("area", "片区", "area"),
    level("community", "社区", "community"),
    level("grid", "网格", "grid")
  ]
}

/**
 * 六级 — district → street → community → grid → compound → building (the community experience report's
 * "六级" chain, with 网格 between community and compound; compound optional).
 *
 * @since 0.1.0
 * @category schemes
 */
export const SixLevel: LevelScheme = {
  id: "six-level",
  name: "六级",
  levels: [
    level("district", "区", "district"),
    level("street", "街道", "street"),
    level("community", "社区", "community"),
    level("grid", "网格", "grid"),
    level("compound", "小区/楼院", "compound", true),
    level("building", "楼栋", "building")
  ]
}

/**
 * The position of a level in the scheme (0 = top), or none if the scheme has no such level.
 *
 * @since 0.1.0
 * @category getters
 */
export const rankOf = (scheme: LevelScheme, levelId: string): Option.Option<number> => {
  const index = scheme.levels.findIndex((l) => l.id === levelId)
  return index < 0 ? Option.none() : Option.some(index)
}

/**
 * 层级次序 — whether a unit of `childLevel` may hang directly under a unit of
 * `parentLevel`: the child's level is strictly below the parent's and every
 * level in between is optional.
 *
 * @since 0.1.0
 * @category predicates
 */
export const canParent = (scheme: LevelScheme, parentLevel: string, childLevel: string): boolean => {
  const p = scheme.levels.findIndex((l) => l.id === parentLevel)
  const c = scheme.levels.findIndex((l) => l.id === childLevel)
  if (p < 0 || c < 0 || c <= p) return false
  for (let i = p + 1; i < c; i++) {
    if (!scheme.levels[i]?.optional) return false
  }
  return true
}

/**
 * Precomputes `canParent` for every pair of levels, as a table indexed by rank
 * (`table[parentRank * n + childRank]`), for validating large trees.
 *
 * @since 0.1.0
 * @category utils
 */
export const parentTable = (scheme: LevelScheme): Uint8Array => {
  const n = scheme.levels.length
  const table = new Uint8Array(n * n)
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < n; c++) {
      table[p * n + c] = canParent(scheme, scheme.levels[p]?.id ?? "", scheme.levels[c]?.id ?? "") ? 1 : 0
    }
  }
  return table
}
