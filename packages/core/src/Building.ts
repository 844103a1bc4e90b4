/**
 * 楼栋 — a building, the unit a grid covers. A building is a unit of the
 * building level (same id space as `Unit.UnitId`); this record carries the facts
 * grids need: its community, its compound 小区 (if any), its households.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Position } from "./GeoJson.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 楼栋 — a building with its household count.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Building = Schema.Struct({
  id: UnitId,
  /** 名称 — e.g. `"3号楼"`. */
  name: Text.Name,
  /** 所属社区 — the community the building belongs to. */
  communityId: UnitId,
  /** 所属小区 — the compound (residential estate) the building belongs to, if any. */
  compoundId: Schema.optionalWith(UnitId, { exact: true }),
  /** 户数 — number of households. */
  households: Schema.Int.pipe(Schema.nonNegative()),
  /** 党员户数 — number of party-member households, where known. */
  partyMemberHouseholds: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { exact: true }),
  /** 位置 — the building's position `[lon, lat]`, where known. */
  location: Schema.optionalWith(Position, { exact: true })
}).annotations({ identifier: "Building", title: "楼栋 building" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Building extends Schema.Schema.Type<typeof Building> {}
