/**
 * 小区 — a residential compound and how it is managed: by a property company
 * (专业物业), by its residents (自管, through its 业委会 / 院委会 or a
 * self-management group), or by no one (无人管理) — and then the unit that takes
 * it over (兜底管理). The Pingyi street report: "对老城区57个无人管理小区进行兜底管理";
 * the Panlong district report plans "老旧居民小区实行物业自我管理和自我服务"; the
 * Yilong county report's network "乡镇(街道)+社区+小区+业(院)委会+物业".
 *
 * A compound is a unit of the hierarchy (its id is a `UnitId`). Every compound
 * has a management arrangement: that rule is `OrganizationRules`'
 * `compound-management`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { BodyId } from "./Body.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 专业物业 — managed by a property company (a body of a property-company kind).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Professional = Schema.TaggedStruct("Professional", { propertyCompanyId: BodyId })

/**
 * 自管 — managed by its residents, through a body (业委会 / 院委会 / 自管小组).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SelfManaged = Schema.TaggedStruct("SelfManaged", { bodyId: BodyId })

/**
 * 无人管理 — no one manages it; `takenOverBy` is the unit that takes it over
 * (兜底: a community or street), absent while no one has.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Unmanaged = Schema.TaggedStruct("Unmanaged", {
  takenOverBy: Schema.optionalWith(UnitId, { exact: true })
})

/**
 * 管理方式 — how a compound is managed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Management = Schema.Union(Professional, SelfManaged, Unmanaged).annotations({
  identifier: "Management",
  title: "管理方式 management mode"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Management = typeof Management.Type

/**
 * @since 0.1.0
 * @category models
 */
export type ManagementMode = Management["_tag"]

/**
 * Chinese names of the management modes.
 *
 * @since 0.1.0
 * @category constants
 */
export const modeNames: Readonly<Record<ManagementMode, string>> = {
  Professional: "专业物业",
  SelfManaged: "自管",
  Unmanaged: "无人管理"
}

/**
 * 小区 — a compound: its unit id, its community, name, households and — when
 * recorded — its management arrangement.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Compound = Schema.Struct({
  id: UnitId,
  /** 所属社区 — the community (or village) the compound lies in. */
  communityId: UnitId,
  name: Text.Name,
  /** 户数 — households, where known. */
  households: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 1_000_000)), { exact: true }),
  /** 管理方式 — absent: not recorded. */
  management: Schema.optionalWith(Management, { exact: true })
}).annotations({ identifier: "Compound", title: "小区 compound" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Compound extends Schema.Schema.Type<typeof Compound> {}

/**
 * Whether a compound has someone managing it: a property company, its
 * residents, or — unmanaged — a unit that took it over (兜底).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isArranged = (compound: Compound): boolean => {
  const m = compound.management
  if (m === undefined) return false
  return m._tag !== "Unmanaged" || m.takenOverBy !== undefined
}

/**
 * Whether a compound is managed 兜底: unmanaged and taken over by a unit.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTakenOver = (compound: Compound): boolean =>
  compound.management?._tag === "Unmanaged" && compound.management.takenOverBy !== undefined
