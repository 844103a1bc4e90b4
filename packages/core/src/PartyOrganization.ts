/**
 * 党组织 — party organisations: the second tree of community governance,
 * linked to the administrative units and grids it leads ("党建引领").
 *
 * Kinds, top down (as the community experience report, the Yilong county
 * report and the Pingyi street report describe them): 街道党工委 street party
 * working committee → 片区党委 area committee (optional; the Pingyi street report's
 * "街道党工委、片区党委、社区党总支、网格支部" four-level structure) → 社区党总支 /
 * 社区"大党委" community general branch → 小区/网格党支部 compound or grid branch
 * → 楼院党小组 building party group (optional) → 党员中心户 party-member
 * household (optional) → 党员先锋岗 vanguard post. The order is a `LevelScheme`
 * whose level ids are the kinds, so it is configuration like the unit schemes.
 *
 * The community experience report: 17 grids and 17 compound branches — "支部建在网格上" (a branch on
 * every grid); `checkBranchesOnGrids` reports grids without a branch and grids
 * with more than one.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import { format, type Inspectable, NodeInspectSymbol } from "effect/Inspectable"
import * as Option from "effect/Option"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Schema from "effect/Schema"
import { type Grid, GridId, type GridKind } from "./Grid.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Tree from "./internal/tree.js"
import * as LevelScheme from "./LevelScheme.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------

/**
 * 党组织标识 — the identifier of a party organisation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartyOrgId = Text.Id.pipe(
  Schema.brand("PartyOrgId"),
  Schema.annotations({ identifier: "PartyOrgId", title: "党组织标识 party organisation id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type PartyOrgId = typeof PartyOrgId.Type

/**
 * 党组织类别 — the kind of a party organisation:
 * `district-committee` 区委 (the top of a district-wide tree),
 * `street-working-committee` 街道党工委, `area-committee` 片区党委,
 * `community-committee` 社区党总支/社区党委/"大党委", `grid-branch` 小区/网格党支部,
 * `building-group` 楼院党小组, `member-household` 党员中心户, `vanguard-post` 党员先锋岗.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartyOrgKind = Schema.Literal(
  "district-committee",
  "street-working-committee",
  "area-committee",
  "community-committee",
  "grid-branch",
  "building-group",
  "member-household",
  "vanguard-post"
).annotations({ identifier: "PartyOrgKind", title: "党组织类别 party organisation kind" })

/**
 * @since 0.1.0
 * @category models
 */
export type PartyOrgKind = typeof PartyOrgKind.Type

/**
 * 党组织 — a party organisation as a flat row: id, parent (null for the top),
 * kind, name, and the unit and/or grid it is built on.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartyOrganization = Schema.Struct({
  id: PartyOrgId,
  /** 上级党组织 — the parent organisation; `null` for the top one. */
  parentId: Schema.NullOr(PartyOrgId),
  kind: PartyOrgKind,
  /** 名称 — e.g. `"第一网格党支部"`. */
  name: Text.Name,
  /** 所在单元 — the administrative unit the organisation is built on. */
  unitId: Schema.optionalWith(UnitId, { exact: true }),
  /** 所在网格 — the grid the organisation is built on (支部建在网格上). */
  gridId: Schema.optionalWith(GridId, { exact: true })
}).annotations({ identifier: "PartyOrganization", title: "党组织 party organisation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PartyOrganization extends Schema.Schema.Type<typeof PartyOrganization> {}

const kind = (id: PartyOrgKind, name: string, nameEn: string, optional = false): LevelScheme.Level => ({
  id: LevelScheme.LevelId.make(id),
  name,
  nameEn,
  optional
})

/**
 * 党组织层级 — the default order of kinds (a `LevelScheme` over kind ids):
 * 街道党工委 → 片区党委 (optional) → 社区党总支/大党委 → 小区/网格党支部 →
 * 楼院党小组 (optional) → 党员中心户 (optional) → 党员先锋岗.
 *
 * @since 0.1.0
 * @category schemes
 */
export const KindOrder: LevelScheme.LevelScheme = {
  id: "party-organisation",
  name: "党组织体系",
  levels: [
    kind("street-working-committee", "街道党工委", "street party working committee"),
    kind("area-committee", "片区党委", "area party committee", true),
    kind("community-committee", "社区党总支/大党委", "community general branch"),
    kind("grid-branch", "小区/网格党支部", "compound or grid branch"),
    kind("building-group", "楼院党小组", "building party group", true),
    kind("member-household", "党员中心户", "party-member household", true),
    kind("vanguard-post", "党员先锋岗", "vanguard post")
  ]
}

/**
 * 区级党组织层级 — the kind order of a district-wide tree: 区委 on top, then
 * `KindOrder` (a store keeps one tree, so a district's streets hang under one
 * 区委).
 *
 * @since 0.1.0
 * @category schemes
 */
export const DistrictKindOrder: LevelScheme.LevelScheme = {
  id: "party-organisation-district",
  name: "党组织体系（区级）",
  levels: [kind("district-committee", "区委", "district party committee"), ...KindOrder.levels]
}

/**
 * Builds an organisation row without validation (for trusted data and tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeOrg = (fields: {
  readonly id: string
  readonly parentId: string | null
  readonly kind: PartyOrgKind
  readonly name: string
  readonly unitId?: string
  readonly gridId?: string
}): PartyOrganization => {
  const base = {
    id: PartyOrgId.make(fields.id, { disableValidation: true }),
    parentId: fields.parentId === null ? null : PartyOrgId.make(fields.parentId, { disableValidation: true }),
    kind: fields.kind,
    name: fields.name
  }
  const withUnit =
    fields.unitId === undefined
      ? base
      : { ...base, unitId: UnitId.make(fields.unitId, { disableValidation: true }) }
  return fields.gridId === undefined
    ? withUnit
    : { ...withUnit, gridId: GridId.make(fields.gridId, { disableValidation: true }) }
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 党组织校验规则 — the rule an organisation breaks: the tree rules
 * (`duplicate-id`, `missing-parent`, `cycle`, `several-roots`, `no-root`),
 * `unknown-kind` 未知类别, `kind-order` 组织层级次序, `unlinked` 未关联单元或网格,
 * `unknown-unit` 单元不存在, `unknown-grid` 网格不存在, `grid-community` 单元不在所在网格的社区内,
 * `jurisdiction` 超出上级党组织辖区.
 *
 * @since 0.1.0
 * @category validation
 */
export const PartyOrgRule = Schema.Literal(
  "duplicate-id",
  "missing-parent",
  "cycle",
  "several-roots",
  "no-root",
  "unknown-kind",
  "kind-order",
  "unlinked",
  "unknown-unit",
  "unknown-grid",
  "grid-community",
  "jurisdiction"
).annotations({ identifier: "PartyOrgRule", title: "党组织校验规则 party organisation rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type PartyOrgRule = typeof PartyOrgRule.Type

/**
 * 党组织校验问题 — one violation: the rule, the organisation (`null` only for
 * `no-root`), the ids involved (organisations, units or grids) and a message.
 *
 * @since 0.1.0
 * @category validation
 */
export const PartyOrgViolation = Schema.TaggedStruct("PartyOrgViolation", {
  rule: PartyOrgRule,
  orgId: Schema.NullOr(PartyOrgId),
  related: Schema.Array(Schema.String),
  message: Schema.String
}).annotations({ identifier: "PartyOrgViolation", title: "党组织校验问题 party organisation violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface PartyOrgViolation extends Schema.Schema.Type<typeof PartyOrgViolation> {}

/**
 * 党组织体系无效 — the rows do not form a valid party organisation tree; carries
 * every violation, sorted by organisation id then rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class PartyOrganizationInvalid extends Schema.TaggedError<PartyOrganizationInvalid>()(
  "PartyOrganizationInvalid",
  { violations: Schema.NonEmptyArray(PartyOrgViolation) }
) {
  override get message(): string {
    const shown = this.violations.slice(0, 5).map((v) => v.message)
    const more = this.violations.length > 5 ? `; … and ${this.violations.length - 5} more` : ""
    return `党组织体系无效 invalid party organisation tree (${this.violations.length} violation(s)): ${shown.join("; ")}${more}`
  }
}

/**
 * 支部建在网格上 — the rule a grid breaks: `grid-without-branch` 网格未建支部, or
 * `grid-with-several-branches` 一格多支部.
 *
 * @since 0.1.0
 * @category validation
 */
export const GridBranchRule = Schema.Literal("grid-without-branch", "grid-with-several-branches").annotations(
  {
    identifier: "GridBranchRule",
    title: "支部建在网格上 grid branch rule"
  }
)

/**
 * @since 0.1.0
 * @category validation
 */
export type GridBranchRule = typeof GridBranchRule.Type

/**
 * 支部建在网格上问题 — a grid without a branch, or with several (`branchIds`).
 *
 * @since 0.1.0
 * @category validation
 */
export const GridBranchViolation = Schema.TaggedStruct("GridBranchViolation", {
  rule: GridBranchRule,
  gridId: GridId,
  branchIds: Schema.Array(PartyOrgId),
  message: Schema.String
}).annotations({ identifier: "GridBranchViolation", title: "支部建在网格上问题 grid branch violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface GridBranchViolation extends Schema.Schema.Type<typeof GridBranchViolation> {}

/**
 * 支部未建在网格上 — some grids have no branch or more than one; carries every
 * violation, in grid id order.
 *
 * @since 0.1.0
 * @category errors
 */
export class BranchesNotOnGrids extends Schema.TaggedError<BranchesNotOnGrids>()("BranchesNotOnGrids", {
  violations: Schema.NonEmptyArray(GridBranchViolation)
}) {
  override get message(): string {
    return `支部建在网格上 branches on grids: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@civicgrid/core/PartyOrganization")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * 党组织体系 — a validated party organisation tree. Iterating it yields the
 * organisations in pre-order (children in id order).
 *
 * @since 0.1.0
 * @category models
 */
export interface PartyTree extends Iterable<PartyOrganization>, Pipeable, Inspectable {
  readonly [TypeId]: TypeId
  /** The kind order the tree was validated against. */
  readonly kinds: LevelScheme.LevelScheme
  /** @internal the indexed tree. */
  readonly tree: Tree.Tree<PartyOrganization>
}

class PartyTreeImpl implements PartyTree {
  readonly [TypeId]: TypeId = TypeId
  constructor(
    readonly kinds: LevelScheme.LevelScheme,
    readonly tree: Tree.Tree<PartyOrganization>
  ) {}
  [Symbol.iterator](): Iterator<PartyOrganization> {
    return this.tree.nodes[Symbol.iterator]()
  }
  pipe() {
    // biome-ignore lint/complexity/noArguments: the Pipeable protocol, as in effect's own data types
    return pipeArguments(this, arguments)
  }
  toJSON(): unknown {
    return { _id: "PartyTree", size: this.tree.size, root: this.tree.root.id }
  }
  toString(): string {
    return format(this.toJSON())
  }
  [NodeInspectSymbol](): unknown {
    return this.toJSON()
  }
}

/**
 * Options of `make`.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions {
  /** 行政层级 — the hierarchy the organisations' units must belong to. */
  readonly hierarchy: Hierarchy.Hierarchy
  /** 网格 — when given, linked grids must exist and an organisation's unit must lie in its grid's community. */
  readonly grids?: ReadonlyArray<Grid>
  /** 党组织层级 — the kind order; `KindOrder` by default. */
  readonly kinds?: LevelScheme.LevelScheme
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

const ruleOrder: Record<PartyOrgRule, number> = {
  "duplicate-id": 0,
  "missing-parent": 1,
  cycle: 2,
  "several-roots": 3,
  "no-root": 4,
  "unknown-kind": 5,
  "kind-order": 6,
  unlinked: 7,
  "unknown-unit": 8,
  "unknown-grid": 9,
  "grid-community": 10,
  jurisdiction: 11
}

const compareViolations = (a: PartyOrgViolation, b: PartyOrgViolation): number => {
  if (a.orgId !== b.orgId) {
    if (a.orgId === null) return -1
    if (b.orgId === null) return 1
    return a.orgId < b.orgId ? -1 : 1
  }
  const r = ruleOrder[a.rule] - ruleOrder[b.rule]
  if (r !== 0) return r
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0
}

const violation = (
  rule: PartyOrgRule,
  orgId: PartyOrgId | null,
  related: ReadonlyArray<string>,
  message: string
): PartyOrgViolation => ({ _tag: "PartyOrgViolation", rule, orgId, related, message })

const kindLabel = (kinds: LevelScheme.LevelScheme, id: string): string => {
  const level = kinds.levels.find((l) => l.id === id)
  return level === undefined ? `"${id}"` : `${level.name} ${level.nameEn}`
}

const idOfOrg = (o: PartyOrganization): string => o.id
const parentOfOrg = (o: PartyOrganization): string | null => o.parentId

const orgWording: Tree.Wording = {
  duplicateId: (id, rows) => `党组织标识重复 duplicate id: "${id}" appears in rows ${rows.join(", ")}`,
  missingParent: (id, parentId) =>
    `上级党组织不存在 missing parent: "${id}" names parent "${parentId}", which is not among the rows`,
  cycle: (members) => `循环隶属 cycle: ${Tree.chain(members)} (each organisation's parent is the next)`,
  severalRoots: (root, others, more) =>
    `多个顶层党组织 several roots: "${root}" has no parent, and neither do ${Tree.quoted(others)}${Tree.andMore(more)}`,
  noRoot: () => "无顶层党组织 no root: no organisation is without a parent"
}

/**
 * Builds a party organisation tree from flat rows and validates it: the tree
 * rules (unique ids, parents present, no cycle, one root), kind order (a
 * child's kind strictly below its parent's, skipping only optional kinds),
 * every organisation linked to a unit or a grid, linked units present in the
 * hierarchy (and linked grids among `grids` when given), and each
 * organisation's unit within the jurisdiction of its nearest ancestor
 * organisation's unit. An organisation linked only to a grid stands for the
 * grid's community. Returns every violation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  orgs: ReadonlyArray<PartyOrganization>,
  options: MakeOptions
): Either.Either<PartyTree, PartyOrganizationInvalid> => {
  const kinds = options.kinds ?? KindOrder
  const { hierarchy } = options
  const n = orgs.length
  const rankOfKind = new Map<string, number>(kinds.levels.map((level, i) => [level.id, i]))
  const ranks = new Int32Array(n)
  for (let i = 0; i < n; i++) ranks[i] = rankOfKind.get(orgs[i]?.kind ?? "") ?? -1
  const built = Tree.build({
    rows: orgs,
    ids: orgs.map(idOfOrg),
    parentIds: orgs.map(parentOfOrg),
    ranks: { of: ranks, allowed: LevelScheme.parentTable(kinds), width: kinds.levels.length }
  })
  const { parentRow } = built
  const violations: Array<PartyOrgViolation> = []
  for (const d of Tree.describeStructure(built.issues, orgs, idOfOrg, parentOfOrg, orgWording)) {
    violations.push(violation(d.rule, d.id as PartyOrgId | null, d.related, d.message))
  }
  for (const issue of built.issues) {
    switch (issue._tag) {
      case "RankOrder": {
        const org = orgs[issue.row]
        const parent = orgs[issue.parentRow]
        if (org === undefined || parent === undefined) break
        violations.push(
          violation(
            "kind-order",
            org.id,
            [parent.id],
            `组织层级次序 kind order: "${org.id}" (${kindLabel(kinds, org.kind)}) cannot hang directly under "${parent.id}" (${kindLabel(kinds, parent.kind)})`
          )
        )
        break
      }
    }
  }

  // Links: the unit (when the hierarchy has it) and the grid of each organisation.
  const gridById = new Map<string, Grid>()
  for (const grid of options.grids ?? []) gridById.set(grid.id, grid)
  const unitOf: Array<UnitId | undefined> = []
  const gridOf: Array<GridId | undefined> = []
  for (let i = 0; i < n; i++) {
    const org = orgs[i]
    unitOf.push(undefined)
    gridOf.push(undefined)
    if (org === undefined || parentRow[i] === Tree.DUPLICATE) continue
    if ((ranks[i] ?? -1) < 0) {
      violations.push(
        violation(
          "unknown-kind",
          org.id,
          [],
          `未知类别 unknown kind: "${org.id}" has kind "${org.kind}", which the kind order "${kinds.name}" does not define`
        )
      )
    }
    if (org.unitId === undefined && org.gridId === undefined) {
      violations.push(
        violation(
          "unlinked",
          org.id,
          [],
          `未关联单元或网格 unlinked: "${org.id}" is linked to neither a unit nor a grid`
        )
      )
      continue
    }
    if (org.unitId !== undefined) {
      if (Hierarchy.has(hierarchy, org.unitId)) unitOf[i] = org.unitId
      else
        violations.push(
          violation(
            "unknown-unit",
            org.id,
            [org.unitId],
            `单元不存在 unknown unit: "${org.id}" is linked to unit "${org.unitId}", which the hierarchy does not have`
          )
        )
    }
    if (org.gridId !== undefined) {
      gridOf[i] = org.gridId
      const grid = gridById.get(org.gridId)
      if (options.grids !== undefined && grid === undefined) {
        violations.push(
          violation(
            "unknown-grid",
            org.id,
            [org.gridId],
            `网格不存在 unknown grid: "${org.id}" is linked to grid "${org.gridId}", which is not among the grids`
          )
        )
      }
      const unit = unitOf[i]
      if (
        grid !== undefined &&
        unit !== undefined &&
        !Hierarchy.isWithin(hierarchy, unit, grid.communityId)
      ) {
        violations.push(
          violation(
            "grid-community",
            org.id,
            [unit, grid.id, grid.communityId],
            `单元不在网格所属社区内 grid community: "${org.id}" is linked to unit "${unit}", which does not lie within community "${grid.communityId}" of its grid "${grid.id}"`
          )
        )
      }
    }
  }

  // Jurisdiction: each organisation lies within its nearest linked ancestor organisation.
  const within = (a: string, b: string) => Hierarchy.isWithin(hierarchy, a, b)
  for (let i = 0; i < n; i++) {
    const org = orgs[i]
    const unit = unitOf[i]
    const gridId = gridOf[i]
    if (org === undefined || (unit === undefined && gridId === undefined)) continue
    let p = parentRow[i] ?? -1
    let steps = 0
    while (p >= 0 && unitOf[p] === undefined && gridOf[p] === undefined && steps < n) {
      p = parentRow[p] ?? -1
      steps++
    }
    const superior = p >= 0 ? orgs[p] : undefined
    if (superior === undefined) continue
    const aboveUnit = unitOf[p]
    const aboveGrid = gridOf[p]
    const grid = gridId === undefined ? undefined : gridById.get(gridId)
    const gridAbove = aboveGrid === undefined ? undefined : gridById.get(aboveGrid)
    let ok = true
    let place = ""
    if (unit !== undefined && aboveUnit !== undefined) {
      // both built on units: the unit lies within the superior's unit
      ok = within(unit, aboveUnit)
      place = `unit "${unit}" does not lie within unit "${aboveUnit}"`
    } else if (gridId !== undefined && aboveGrid !== undefined) {
      // both built on grids: the same grid
      ok = gridId === aboveGrid
      place = `grid "${gridId}" is not the superior's grid "${aboveGrid}"`
    } else if (grid !== undefined && aboveUnit !== undefined) {
      // on a grid under a unit: the grid's community and the unit are nested one way or the other
      ok = within(grid.communityId, aboveUnit) || within(aboveUnit, grid.communityId)
      place = `grid "${grid.id}" (community "${grid.communityId}") does not lie within unit "${aboveUnit}"`
    } else if (unit !== undefined && gridAbove !== undefined) {
      // on a unit under a grid: the unit lies within the grid's community
      ok = within(unit, gridAbove.communityId)
      place = `unit "${unit}" does not lie within community "${gridAbove.communityId}" of grid "${gridAbove.id}"`
    }
    if (!ok) {
      violations.push(
        violation(
          "jurisdiction",
          org.id,
          [superior.id, ...[unit ?? gridId, aboveUnit ?? aboveGrid].filter((x) => x !== undefined)],
          `超出上级党组织辖区 jurisdiction: "${org.id}" is outside its superior organisation "${superior.id}": ${place}`
        )
      )
    }
  }

  const [first, ...rest] = violations.sort(compareViolations)
  if (first !== undefined)
    return Either.left(new PartyOrganizationInvalid({ violations: [first, ...rest] }, true))
  if (built.tree === undefined) {
    return Either.left(
      new PartyOrganizationInvalid(
        { violations: [violation("no-root", null, [], "无顶层党组织 no root: the rows do not form a tree")] },
        true
      )
    )
  }
  return Either.right(new PartyTreeImpl(kinds, built.tree))
}

// ---------------------------------------------------------------------------
// getters
// ---------------------------------------------------------------------------

/**
 * 党组织数 — the number of organisations.
 *
 * @since 0.1.0
 * @category getters
 */
export const size = (self: PartyTree): number => self.tree.size

/**
 * 顶层党组织 — the top organisation (e.g. the 街道党工委).
 *
 * @since 0.1.0
 * @category getters
 */
export const root = (self: PartyTree): PartyOrganization => self.tree.root

/**
 * 全部党组织 — every organisation in pre-order.
 *
 * @since 0.1.0
 * @category getters
 */
export const orgs = (self: PartyTree): ReadonlyArray<PartyOrganization> => self.tree.nodes

/**
 * 查找党组织 — the organisation with this id.
 *
 * @since 0.1.0
 * @category getters
 */
export const get: {
  (orgId: string): (self: PartyTree) => Option.Option<PartyOrganization>
  (self: PartyTree, orgId: string): Option.Option<PartyOrganization>
} = dual(
  2,
  (self: PartyTree, orgId: string): Option.Option<PartyOrganization> =>
    Option.fromNullable(self.tree.nodes[Tree.positionOf(self.tree, orgId)])
)

/**
 * 下级党组织 — the direct children in id order; none for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const children: {
  (orgId: string): (self: PartyTree) => Option.Option<ReadonlyArray<PartyOrganization>>
  (self: PartyTree, orgId: string): Option.Option<ReadonlyArray<PartyOrganization>>
} = dual(2, (self: PartyTree, orgId: string): Option.Option<ReadonlyArray<PartyOrganization>> => {
  const pos = Tree.positionOf(self.tree, orgId)
  return pos < 0 ? Option.none() : Option.some(Tree.childrenOf(self.tree, pos))
})

/**
 * 上级党组织链 — the ancestors, nearest first, not including the organisation
 * itself; none for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const ancestors: {
  (orgId: string): (self: PartyTree) => Option.Option<ReadonlyArray<PartyOrganization>>
  (self: PartyTree, orgId: string): Option.Option<ReadonlyArray<PartyOrganization>>
} = dual(2, (self: PartyTree, orgId: string): Option.Option<ReadonlyArray<PartyOrganization>> => {
  const pos = Tree.positionOf(self.tree, orgId)
  return pos < 0
    ? Option.none()
    : Option.some(Tree.nodesAt(self.tree, Tree.ancestorPositions(self.tree, pos)))
})

/**
 * 同类党组织 — the organisations of one kind (e.g. every `grid-branch`), in pre-order.
 *
 * @since 0.1.0
 * @category getters
 */
export const ofKind: {
  (kind: PartyOrgKind): (self: PartyTree) => ReadonlyArray<PartyOrganization>
  (self: PartyTree, kind: PartyOrgKind): ReadonlyArray<PartyOrganization>
} = dual(
  2,
  (self: PartyTree, kind: PartyOrgKind): ReadonlyArray<PartyOrganization> =>
    self.tree.nodes.filter((o) => o.kind === kind)
)

// ---------------------------------------------------------------------------
// validation: 支部建在网格上
// ---------------------------------------------------------------------------

/**
 * Options of `checkBranchesOnGrids`.
 *
 * @since 0.1.0
 * @category models
 */
export interface BranchesOnGridsOptions {
  /** Which organisation kinds count as a grid's branch; `["grid-branch"]` by default. */
  readonly branchKinds?: ReadonlyArray<PartyOrgKind>
  /** Which grid kinds need a branch; every grid by default. */
  readonly gridKinds?: ReadonlyArray<GridKind>
}

/**
 * 支部建在网格上 — checks that every grid has exactly one branch built on it
 * (the community experience report: 17 grids, 17 compound branches). Reports every grid without a
 * branch and every grid with several; on success returns each grid's branch.
 * Branches on grids that are not listed are ignored here (`make` reports them
 * as `unknown-grid` when given the grids).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkBranchesOnGrids = (
  orgs: Iterable<PartyOrganization>,
  grids: ReadonlyArray<Grid>,
  options?: BranchesOnGridsOptions
): Either.Either<ReadonlyMap<GridId, PartyOrgId>, BranchesNotOnGrids> => {
  const branchKinds = new Set<string>(options?.branchKinds ?? ["grid-branch"])
  const gridKinds = options?.gridKinds === undefined ? undefined : new Set<string>(options.gridKinds)
  const branchesOf = new Map<string, Array<PartyOrgId>>()
  for (const org of orgs) {
    if (org.gridId === undefined || !branchKinds.has(org.kind)) continue
    const list = branchesOf.get(org.gridId)
    if (list === undefined) branchesOf.set(org.gridId, [org.id])
    else list.push(org.id)
  }
  const checked = grids
    .filter((g) => gridKinds === undefined || gridKinds.has(g.kind))
    .slice()
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const result = new Map<GridId, PartyOrgId>()
  const violations: Array<GridBranchViolation> = []
  for (const grid of checked) {
    const branches = (branchesOf.get(grid.id) ?? []).slice().sort()
    const [only, ...others] = branches
    if (only === undefined) {
      violations.push({
        _tag: "GridBranchViolation",
        rule: "grid-without-branch",
        gridId: grid.id,
        branchIds: [],
        message: `网格未建支部 grid without a branch: grid "${grid.id}" (${grid.name}) has no party branch`
      })
    } else if (others.length > 0) {
      violations.push({
        _tag: "GridBranchViolation",
        rule: "grid-with-several-branches",
        gridId: grid.id,
        branchIds: branches,
        message: `一格多支部 grid with several branches: grid "${grid.id}" (${grid.name}) has branches ${branches.map((b) => `"${b}"`).join(", ")}`
      })
    } else {
      result.set(grid.id, only)
    }
  }
  const [first, ...rest] = violations
  return first === undefined
    ? Either.right(result)
    : Either.left(new BranchesNotOnGrids({ violations: [first, ...rest] }, true))
}
