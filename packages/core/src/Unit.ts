/**
 * 行政单元 — an administrative unit: one node of the governance hierarchy
 * (区, 街道, 社区, 小区, 楼栋 … as the level scheme says).
 *
 * Units arrive as flat rows (`parentId` pointing up); `Hierarchy.make` turns
 * them into an indexed, validated tree.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { AreaCode } from "./AreaCode.js"
import { LevelId } from "./LevelScheme.js"
import * as Text from "./Text.js"

/**
 * 单元标识 — the identifier of an administrative unit. Buildings (楼栋) share
 * this id space: a building is a unit of the building level.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitId = Text.Id.pipe(
  Schema.brand("UnitId"),
  Schema.annotations({ identifier: "UnitId", title: "单元标识 unit id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type UnitId = typeof UnitId.Type

/**
 * 行政单元 — a unit as a flat row: its id, its parent (null for the root), its
 * level in the scheme, its name, and optionally its 12-digit area code.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Unit = Schema.Struct({
  id: UnitId,
  /** 上级单元 — the parent unit; `null` for the root. */
  parentId: Schema.NullOr(UnitId),
  /** 层级 — the unit's level id in the level scheme. */
  level: LevelId,
  /** 名称 — the unit's name, e.g. `"朝阳区"`. */
  name: Text.Name,
  /** 统计用区划代码 — the 12-digit statistical area code, where the unit has one. */
  code: Schema.optionalWith(AreaCode, { exact: true })
}).annotations({ identifier: "Unit", title: "行政单元 administrative unit" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Unit extends Schema.Schema.Type<typeof Unit> {}

/**
 * Builds a unit row without validation (for trusted data and tests; decode
 * untrusted rows with the `Unit` schema).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly parentId: string | null
  readonly level: string
  readonly name: string
  readonly code?: string
}): Unit => {
  const unit = {
    id: UnitId.make(fields.id, { disableValidation: true }),
    parentId: fields.parentId === null ? null : UnitId.make(fields.parentId, { disableValidation: true }),
    level: LevelId.make(fields.level, { disableValidation: true }),
    name: fields.name
  }
  return fields.code === undefined
    ? unit
    : { ...unit, code: AreaCode.make(fields.code, { disableValidation: true }) }
}
