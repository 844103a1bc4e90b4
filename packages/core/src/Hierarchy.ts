/**
 * 行政层级 — the administrative hierarchy (组织体系): units (区, 街道, 社区, 小区,
 * 楼栋 … as a `LevelScheme` says) as one validated, indexed, immutable tree.
 *
 * Source: the "五级治理" of the Panlong district report (district → street → community
 * → compound → building), the Pingyi street report's 街道 → 片区 → 社区 → 网格 (4 areas, 27
 * communities, 56 grids), and the 12-digit statistical area codes
 * (统计用区划代码, GB/T 2260 county + street + community segments).
 *
 * `make` builds a hierarchy from flat rows and reports **every** violation
 * (duplicate id, missing parent, cycle, several roots or none, unknown level,
 * level order, bad area code, code nesting). Queries are pure and O(1) or
 * O(depth) / O(result): the tree keeps pre-order positions and subtree ends
 * (Euler intervals), so "is X within Y's jurisdiction" (辖区) is two lookups
 * and a comparison. `rollup` folds any monoidal figure bottom-up so each unit
 * holds its subtree's total (rates roll up as numerator/denominator pairs).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import { format, type Inspectable, NodeInspectSymbol } from "effect/Inspectable"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Schema from "effect/Schema"
import * as AreaCode from "./AreaCode.js"
import { realSleep } from "./internal/realTime.js"
import * as Tree from "./internal/tree.js"
import * as LevelScheme from "./LevelScheme.js"
import { Unit, UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@civicgrid/core/Hierarchy")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * 行政层级 — a validated administrative hierarchy: one root, unique ids, no
 * cycles, each unit's level strictly below its 上级 (parent) unit's, area codes
 * valid and nested. Immutable; iterating it yields the units in pre-order
 * (children in id order). `U` lets apps keep extra fields on their unit rows.
 *
 * @since 0.1.0
 * @category models
 */
export interface Hierarchy<out U extends Unit = Unit> extends Iterable<U>, Pipeable, Inspectable {
  readonly [TypeId]: TypeId
  /** 层级方案 — the level scheme the hierarchy was validated against. */
  readonly scheme: LevelScheme.LevelScheme
  /** @internal the indexed tree (pre-order positions, Euler intervals, CSR children). */
  readonly tree: Tree.Tree<U>
}

class HierarchyImpl<U extends Unit> implements Hierarchy<U> {
  readonly [TypeId]: TypeId = TypeId
  constructor(
    readonly scheme: LevelScheme.LevelScheme,
    readonly tree: Tree.Tree<U>
  ) {}
  [Symbol.iterator](): Iterator<U> {
    return this.tree.nodes[Symbol.iterator]()
  }
  pipe() {
    // biome-ignore lint/complexity/noArguments: the Pipeable protocol, as in effect's own data types
    return pipeArguments(this, arguments)
  }
  toJSON(): unknown {
    return {
      _id: "Hierarchy",
      scheme: this.scheme.id,
      size: this.tree.size,
      root: this.tree.nodes[0]?.id
    }
  }
  toString(): string {
    return format(this.toJSON())
  }
  [NodeInspectSymbol](): unknown {
    return this.toJSON()
  }
}

/**
 * Whether a value is a `Hierarchy`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isHierarchy = (u: unknown): u is Hierarchy => typeof u === "object" && u !== null && TypeId in u

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 校验规则 — the rule a unit breaks:
 * `duplicate-id` 单元标识重复, `missing-parent` 上级单元不存在, `cycle` 循环隶属,
 * `several-roots` 多个根单元, `no-root` 无根单元, `unknown-level` 未知层级,
 * `level-order` 层级次序, `area-code` 区划代码无效, `code-nesting` 区划代码不在上级辖区内.
 *
 * @since 0.1.0
 * @category validation
 */
export const HierarchyRule = Schema.Literal(
  "duplicate-id",
  "missing-parent",
  "cycle",
  "several-roots",
  "no-root",
  "unknown-level",
  "level-order",
  "area-code",
  "code-nesting"
).annotations({ identifier: "HierarchyRule", title: "校验规则 hierarchy rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type HierarchyRule = typeof HierarchyRule.Type

/**
 * 层级校验问题 — one violation: the rule, the unit that breaks it (`null` only for
 * `no-root`), the other units involved (`related`: the cycle's members, the
 * other roots, the parent) and a readable bilingual message.
 *
 * @since 0.1.0
 * @category validation
 */
export const HierarchyViolation = Schema.TaggedStruct("HierarchyViolation", {
  rule: HierarchyRule,
  unitId: Schema.NullOr(UnitId),
  related: Schema.Array(UnitId),
  message: Schema.String
}).annotations({ identifier: "HierarchyViolation", title: "层级校验问题 hierarchy violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface HierarchyViolation extends Schema.Schema.Type<typeof HierarchyViolation> {}

/**
 * 行政层级无效 — the rows do not form a valid hierarchy; carries every violation,
 * sorted by unit id then rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class HierarchyInvalid extends Schema.TaggedError<HierarchyInvalid>()("HierarchyInvalid", {
  violations: Schema.NonEmptyArray(HierarchyViolation)
}) {
  override get message(): string {
    const shown = this.violations.slice(0, 5).map((v) => v.message)
    const more = this.violations.length > 5 ? `; … and ${this.violations.length - 5} more` : ""
    return `行政层级无效 invalid hierarchy (${this.violations.length} violation(s)): ${shown.join("; ")}${more}`
  }
}

/**
 * 单元不存在 — no unit with this id in the hierarchy.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnitNotFound extends Schema.TaggedError<UnitNotFound>()("UnitNotFound", {
  unitId: Schema.String
}) {
  override get message(): string {
    return `单元不存在 unit not found: "${this.unitId}"`
  }
}

/**
 * 行数据错误 — one problem in an untrusted row: its index (`null` when the input
 * is not an array), the field path and the message.
 *
 * @since 0.1.0
 * @category errors
 */
export const RowError = Schema.Struct({
  row: Schema.NullOr(Schema.Int),
  path: Schema.String,
  message: Schema.String
}).annotations({ identifier: "RowError", title: "行数据错误 row error" })

/**
 * @since 0.1.0
 * @category errors
 */
export interface RowError extends Schema.Schema.Type<typeof RowError> {}

/**
 * 单元数据无效 — untrusted unit rows failed to decode; carries every row error.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnitRowsInvalid extends Schema.TaggedError<UnitRowsInvalid>()("UnitRowsInvalid", {
  errors: Schema.NonEmptyArray(RowError)
}) {
  override get message(): string {
    const shown = this.errors.slice(0, 5).map((e) => `row ${e.row ?? "?"} ${e.path}: ${e.message}`)
    return `单元数据无效 invalid unit rows (${this.errors.length} error(s)): ${shown.join("; ")}`
  }
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

const decodeUnits = Schema.decodeUnknownEither(Schema.Array(Unit), { errors: "all" })

/**
 * Decodes untrusted input (e.g. parsed JSON or a spreadsheet import) into unit
 * rows with the `Unit` schema, reporting every row error, not just the first.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeRows = (input: unknown): Either.Either<ReadonlyArray<Unit>, UnitRowsInvalid> =>
  Either.mapLeft(decodeUnits(input), (error) => {
    // One error per row and field: a union field (e.g. `parentId: UnitId | null`) yields
    // one issue per member, merged here into one message.
    const byField = new Map<string, { row: number | null; path: string; messages: Array<string> }>()
    for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
      const head = issue.path[0]
      const row = typeof head === "number" ? head : null
      const path = issue.path
        .slice(row === null ? 0 : 1)
        .map((k) => String(k))
        .join(".")
      const key = `${row}\u0000${path}`
      const entry = byField.get(key)
      if (entry === undefined) byField.set(key, { row, path, messages: [issue.message] })
      else entry.messages.push(issue.message)
    }
    const errors = [...byField.values()].map(
      (e): RowError => ({ row: e.row, path: e.path, message: e.messages.join("; ") })
    )
    const [first, ...rest] = errors
    return new UnitRowsInvalid({
      errors: first === undefined ? [{ row: null, path: "", message: "invalid input" }] : [first, ...rest]
    })
  })

const ruleOrder: Record<HierarchyRule, number> = {
  "duplicate-id": 0,
  "missing-parent": 1,
  cycle: 2,
  "several-roots": 3,
  "no-root": 4,
  "unknown-level": 5,
  "level-order": 6,
  "area-code": 7,
  "code-nesting": 8
}

const compareViolations = (a: HierarchyViolation, b: HierarchyViolation): number => {
  if (a.unitId !== b.unitId) {
    if (a.unitId === null) return -1
    if (b.unitId === null) return 1
    return a.unitId < b.unitId ? -1 : 1
  }
  const r = ruleOrder[a.rule] - ruleOrder[b.rule]
  if (r !== 0) return r
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0
}

const violation = (
  rule: HierarchyRule,
  unitId: UnitId | null,
  related: ReadonlyArray<UnitId>,
  message: string
): HierarchyViolation => ({ _tag: "HierarchyViolation", rule, unitId, related, message })

const levelLabel = (scheme: LevelScheme.LevelScheme, levelId: string): string => {
  const level = scheme.levels.find((l) => l.id === levelId)
  return level === undefined ? `"${levelId}"` : `${level.name} ${level.nameEn}`
}

const idOfUnit = (u: Unit): string => u.id
const unitIdOf = idOfUnit
const unitParentOf = (u: Unit): string | null => u.parentId

const unitWording: Tree.Wording = {
  duplicateId: (id, rows) => `单元标识重复 duplicate id: "${id}" appears in rows ${rows.join(", ")}`,
  missingParent: (id, parentId) =>
    `上级单元不存在 missing parent: unit "${id}" names parent "${parentId}", which is not among the rows`,
  cycle: (members) => `循环隶属 cycle: ${Tree.chain(members)} (each unit's parent is the next)`,
  severalRoots: (root, others, more) =>
    `多个根单元 several roots: "${root}" has no parent, and neither do ${Tree.quoted(others)}${Tree.andMore(more)}; a hierarchy has exactly one root`,
  noRoot: (rowCount) =>
    rowCount === 0
      ? "无根单元 no root: there are no rows"
      : "无根单元 no root: every unit has a parent, so the parent links go round in a cycle or out of the rows"
}

/**
 * Builds a hierarchy from flat, trusted unit rows and validates it against the
 * level scheme. Returns every violation: duplicate id, missing parent, cycle
 * (naming its units), several roots / no root, unknown level, level order (a
 * child's level strictly below its parent's, skipping only optional levels),
 * invalid area code, and code nesting (a child's code within its parent's
 * when both have one). O(n); the row order does not matter.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <U extends Unit>(
  scheme: LevelScheme.LevelScheme,
  rows: ReadonlyArray<U>
): Either.Either<Hierarchy<U>, HierarchyInvalid> => Tree.runSteps(makeSteps(scheme, rows))

/**
 * 分片建树 — `make` without holding the thread: the same validation and the
 * same result (a property test holds them equal), built in slices that give
 * the event loop back (a macrotask turn) after every few milliseconds of
 * work, so the other fibers' requests, timers and I/O run while a large tree
 * (hundreds of thousands of units) is indexed — e.g. by a cache reloading in
 * the background. Slower in total than `make` by the turns it gives back.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeYielding = <U extends Unit>(
  scheme: LevelScheme.LevelScheme,
  rows: ReadonlyArray<U>,
  options: {
    /** Work between two turns given back (default 4 ms). */
    readonly sliceMillis?: number
  } = {}
): Effect.Effect<Hierarchy<U>, HierarchyInvalid> =>
  Effect.flatMap(
    Effect.suspend(() => runSliced(makeSteps(scheme, rows), options.sliceMillis ?? 4)),
    (built) => built
  ).pipe(Effect.withSpan("Hierarchy.makeYielding", { attributes: { rows: rows.length } }))

/** A macrotask turn: the event loop runs timers and I/O (other fibers' requests) before the next slice. */
const turn: Effect.Effect<void> = realSleep(0)

/** Runs a step generator in slices of about `sliceMillis`, giving the event loop back between slices. */
const runSliced = <A>(steps: Generator<void, A, void>, sliceMillis: number): Effect.Effect<A> =>
  Effect.gen(function* () {
    for (;;) {
      const sliceEnd = performance.now() + sliceMillis
      for (;;) {
        const next = steps.next()
        if (next.done === true) return next.value
        if (performance.now() >= sliceEnd) break
      }
      yield* turn
    }
  })

/** `make` as a step generator (see `Tree.buildSteps`). */
function* makeSteps<U extends Unit>(
  scheme: LevelScheme.LevelScheme,
  rows: ReadonlyArray<U>
): Generator<void, Either.Either<Hierarchy<U>, HierarchyInvalid>, void> {
  const n = rows.length
  const rankOfLevel = new Map<string, number>(scheme.levels.map((level, i) => [level.id, i]))
  // One pass over the rows (they may be in any order, so each visit is a cache miss).
  const ranks = new Int32Array(n)
  const ids: Array<string> = []
  const parentIds: Array<string | null> = []
  const coded: Array<number> = []
  for (let i = 0; i < n; i++) {
    if ((i & Tree.step) === 0) yield
    const row = rows[i]
    if (row === undefined) {
      ids.push("")
      parentIds.push(null)
      ranks[i] = -1
      continue
    }
    ids.push(row.id)
    parentIds.push(row.parentId)
    ranks[i] = rankOfLevel.get(row.level) ?? -1
    if (row.code !== undefined) coded.push(i)
  }
  const built = yield* Tree.buildSteps({
    rows,
    ids,
    parentIds,
    ranks: { of: ranks, allowed: LevelScheme.parentTable(scheme), width: scheme.levels.length }
  })
  const { parentRow } = built
  const violations: Array<HierarchyViolation> = []
  for (const d of Tree.describeStructure(built.issues, rows, unitIdOf, unitParentOf, unitWording)) {
    violations.push(violation(d.rule, d.id as UnitId | null, d.related as ReadonlyArray<UnitId>, d.message))
  }
  for (const issue of built.issues) {
    switch (issue._tag) {
      case "RankOrder": {
        const row = rows[issue.row]
        const parent = rows[issue.parentRow]
        if (row === undefined || parent === undefined) break
        violations.push(
          violation(
            "level-order",
            row.id,
            [parent.id],
            `层级次序 level order: "${row.id}" (${levelLabel(scheme, row.level)}) cannot hang directly under "${parent.id}" (${levelLabel(scheme, parent.level)}) in scheme "${scheme.name}": a child's level is strictly below its parent's and only optional levels may be skipped`
          )
        )
        break
      }
    }
  }

  // Levels and area codes (duplicate rows are ignored: their id is reported).
  for (let i = 0; i < n; i++) {
    if ((i & Tree.step) === 0) yield
    if ((ranks[i] ?? -1) >= 0 || parentRow[i] === Tree.DUPLICATE) continue
    const row = rows[i]
    if (row === undefined) continue
    violations.push(
      violation(
        "unknown-level",
        row.id,
        [],
        `未知层级 unknown level: unit "${row.id}" has level "${row.level}", which scheme "${scheme.name}" does not define (levels: ${scheme.levels.map((l) => l.id).join(", ")})`
      )
    )
  }
  const codeOk = new Uint8Array(n)
  for (const i of coded) {
    if ((i & Tree.step) === 0) yield
    const row = rows[i]
    if (row?.code === undefined || parentRow[i] === Tree.DUPLICATE) continue
    const broken = AreaCode.check(row.code)
    if (Option.isSome(broken)) {
      violations.push(
        violation(
          "area-code",
          row.id,
          [],
          `区划代码无效 invalid area code: unit "${row.id}" has code "${row.code}" (rule ${broken.value})`
        )
      )
    } else {
      codeOk[i] = 1
    }
  }
  for (const i of coded) {
    if ((i & Tree.step) === 0) yield
    if (codeOk[i] !== 1) continue
    const p = parentRow[i] ?? -1
    if (p < 0 || codeOk[p] !== 1) continue
    const row = rows[i]
    const parent = rows[p]
    if (row?.code === undefined || parent?.code === undefined) continue
    if (!AreaCode.isWithin(row.code, parent.code)) {
      violations.push(
        violation(
          "code-nesting",
          row.id,
          [parent.id],
          `区划代码不在上级辖区内 code nesting: unit "${row.id}" has code ${row.code}, which does not lie within its parent "${parent.id}"'s code ${parent.code}`
        )
      )
    }
  }

  const [first, ...rest] = violations.sort(compareViolations)
  if (first !== undefined) return Either.left(new HierarchyInvalid({ violations: [first, ...rest] }, true))
  if (built.tree === undefined) {
    // Unreachable: without violations the rows form one tree.
    return Either.left(
      new HierarchyInvalid(
        { violations: [violation("no-root", null, [], "无根单元 no root: the rows do not form a tree")] },
        true
      )
    )
  }
  return Either.right(new HierarchyImpl(scheme, built.tree))
}

// ---------------------------------------------------------------------------
// getters
// ---------------------------------------------------------------------------

/**
 * 单元数 — the number of units.
 *
 * @since 0.1.0
 * @category getters
 */
export const size = <U extends Unit>(self: Hierarchy<U>): number => self.tree.size

/**
 * 根单元 — the root unit (e.g. the district 区).
 *
 * @since 0.1.0
 * @category getters
 */
export const root = <U extends Unit>(self: Hierarchy<U>): U => self.tree.root

/**
 * 全部单元 — every unit in pre-order (a parent before its children, siblings in
 * id order).
 *
 * @since 0.1.0
 * @category getters
 */
export const units = <U extends Unit>(self: Hierarchy<U>): ReadonlyArray<U> => self.tree.nodes

/**
 * Whether the hierarchy has a unit with this id.
 *
 * @since 0.1.0
 * @category predicates
 */
export const has: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => boolean
  <U extends Unit>(self: Hierarchy<U>, unitId: string): boolean
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): boolean => self.tree.index.has(unitId))

/**
 * 查找单元 — the unit with this id.
 *
 * @since 0.1.0
 * @category getters
 */
export const get: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<U>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<U>
} = dual(
  2,
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<U> =>
    Option.fromNullable(self.tree.nodes[Tree.positionOf(self.tree, unitId)])
)

/**
 * 上级单元 — the parent unit; none for the root or an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const parent: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<U>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<U>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<U> => {
  const pos = Tree.positionOf(self.tree, unitId)
  return pos < 0 ? Option.none() : Option.fromNullable(self.tree.nodes[self.tree.parent[pos] ?? -1])
})

/**
 * 下级单元 — the direct children, in id order; none for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const children: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<ReadonlyArray<U>>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>> => {
  const pos = Tree.positionOf(self.tree, unitId)
  return pos < 0 ? Option.none() : Option.some(Tree.childrenOf(self.tree, pos))
})

/**
 * 上级链 — the ancestors, nearest first (parent, grandparent, …, root), not
 * including the unit itself; O(depth). None for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const ancestors: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<ReadonlyArray<U>>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>> => {
  const tree = self.tree
  const pos = Tree.positionOf(tree, unitId)
  if (pos < 0) return Option.none()
  const out: Array<U> = []
  let p = tree.parent[pos] ?? -1
  while (p >= 0) {
    const node = tree.nodes[p]
    if (node !== undefined) out.push(node)
    p = tree.parent[p] ?? -1
  }
  return Option.some(out)
})

/**
 * 层级路径 — the path from the root down to the unit, both included. None for
 * an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const path: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<ReadonlyArray<U>>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>> => {
  const pos = Tree.positionOf(self.tree, unitId)
  if (pos < 0) return Option.none()
  const out = Tree.nodesAt(self.tree, Tree.ancestorPositions(self.tree, pos)).reverse()
  const node = self.tree.nodes[pos]
  if (node !== undefined) out.push(node)
  return Option.some(out)
})

/**
 * 层级深度 — the unit's depth: 0 at the root, the length of its ancestors. None
 * for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const depth: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<number>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<number>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<number> => {
  const pos = Tree.positionOf(self.tree, unitId)
  return pos < 0 ? Option.none() : Option.fromNullable(self.tree.depth[pos])
})

/**
 * 下辖单元 — every unit below this one (not including itself), in pre-order;
 * O(subtree size). None for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const descendants: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<ReadonlyArray<U>>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<ReadonlyArray<U>> => {
  const pos = Tree.positionOf(self.tree, unitId)
  return pos < 0 ? Option.none() : Option.some(self.tree.nodes.slice(pos + 1, self.tree.end[pos] ?? pos + 1))
})

/**
 * 辖区子树 — the unit's jurisdiction as a hierarchy of its own, rooted at the
 * unit (whose `parentId` becomes `null`); O(subtree size). None for an
 * unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const subtree: {
  (unitId: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<Hierarchy<U>>
  <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<Hierarchy<U>>
} = dual(2, <U extends Unit>(self: Hierarchy<U>, unitId: string): Option.Option<Hierarchy<U>> => {
  const pos = Tree.positionOf(self.tree, unitId)
  if (pos < 0) return Option.none()
  const tree = Tree.slice(
    self.tree,
    pos,
    idOfUnit,
    (u: U): U => (u.parentId === null ? u : { ...u, parentId: null })
  )
  return Option.some(new HierarchyImpl(self.scheme, tree))
})

/**
 * 共同上级 — the lowest common ancestor of two units: the deepest unit whose
 * jurisdiction contains both (a unit is its own ancestor here, so the LCA of a
 * unit and one of its descendants is the unit). O(depth). None for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const lowestCommonAncestor: {
  (a: string, b: string): <U extends Unit>(self: Hierarchy<U>) => Option.Option<U>
  <U extends Unit>(self: Hierarchy<U>, a: string, b: string): Option.Option<U>
} = dual(3, <U extends Unit>(self: Hierarchy<U>, a: string, b: string): Option.Option<U> => {
  const pa = Tree.positionOf(self.tree, a)
  const pb = Tree.positionOf(self.tree, b)
  if (pa < 0 || pb < 0) return Option.none()
  return Option.fromNullable(self.tree.nodes[Tree.lcaPosition(self.tree, pa, pb)])
})

/**
 * 辖区判断 — whether unit `unitId` lies within the jurisdiction (辖区) of unit
 * `jurisdictionId`: it is that unit or one of its descendants. O(1). False
 * when either id is unknown.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isWithin: {
  (unitId: string, jurisdictionId: string): <U extends Unit>(self: Hierarchy<U>) => boolean
  <U extends Unit>(self: Hierarchy<U>, unitId: string, jurisdictionId: string): boolean
} = dual(3, <U extends Unit>(self: Hierarchy<U>, unitId: string, jurisdictionId: string): boolean => {
  const tree = self.tree
  const x = Tree.positionOf(tree, unitId)
  const y = Tree.positionOf(tree, jurisdictionId)
  return x >= 0 && y >= 0 && y <= x && x < (tree.end[y] ?? 0)
})

/**
 * 同级单元 — the units of one level (e.g. every 社区), in pre-order.
 *
 * @since 0.1.0
 * @category getters
 */
export const unitsAtLevel: {
  (levelId: string): <U extends Unit>(self: Hierarchy<U>) => ReadonlyArray<U>
  <U extends Unit>(self: Hierarchy<U>, levelId: string): ReadonlyArray<U>
} = dual(
  2,
  <U extends Unit>(self: Hierarchy<U>, levelId: string): ReadonlyArray<U> =>
    self.tree.nodes.filter((u) => u.level === levelId)
)

// ---------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------

/**
 * 调整隶属 — moves a unit (with its whole subtree) under a new parent and
 * re-validates the result: moving a unit under itself or one of its
 * descendants is a `cycle` violation, and level order and code nesting are
 * checked again. Fails with `UnitNotFound` when either id is unknown.
 *
 * @since 0.1.0
 * @category combinators
 */
export const move: {
  (
    unitId: string,
    newParentId: string
  ): <U extends Unit>(self: Hierarchy<U>) => Either.Either<Hierarchy<U>, HierarchyInvalid | UnitNotFound>
  <U extends Unit>(
    self: Hierarchy<U>,
    unitId: string,
    newParentId: string
  ): Either.Either<Hierarchy<U>, HierarchyInvalid | UnitNotFound>
} = dual(
  3,
  <U extends Unit>(
    self: Hierarchy<U>,
    unitId: string,
    newParentId: string
  ): Either.Either<Hierarchy<U>, HierarchyInvalid | UnitNotFound> => {
    const tree = self.tree
    const pos = Tree.positionOf(tree, unitId)
    const unit = tree.nodes[pos]
    if (unit === undefined) return Either.left(new UnitNotFound({ unitId }))
    const target = tree.nodes[Tree.positionOf(tree, newParentId)]
    if (target === undefined) return Either.left(new UnitNotFound({ unitId: newParentId }))
    if (unit.parentId === target.id) return Either.right(self)
    const rows = tree.nodes.slice()
    rows[pos] = { ...unit, parentId: target.id }
    return make(self.scheme, rows)
  }
)

/**
 * 调整记录 — a unit whose parent changed between two versions.
 *
 * @since 0.1.0
 * @category models
 */
export interface Moved {
  readonly unitId: UnitId
  readonly from: UnitId | null
  readonly to: UnitId | null
}

/**
 * 变更记录 — a unit whose name, level or code changed between two versions.
 *
 * @since 0.1.0
 * @category models
 */
export interface Changed<U extends Unit = Unit> {
  readonly unitId: UnitId
  readonly fields: ReadonlyArray<"name" | "level" | "code">
  readonly before: U
  readonly after: U
}

/**
 * 层级差异 — what changed from one version of a hierarchy to another; every
 * list sorted by unit id.
 *
 * @since 0.1.0
 * @category models
 */
export interface HierarchyDiff<U extends Unit = Unit> {
  /** 新增 — units only in the later version. */
  readonly added: ReadonlyArray<U>
  /** 撤销 — units only in the earlier version. */
  readonly removed: ReadonlyArray<U>
  /** 调整隶属 — units whose parent changed. */
  readonly moved: ReadonlyArray<Moved>
  /** 变更 — units whose name, level or code changed. */
  readonly changed: ReadonlyArray<Changed<U>>
}

const byId = (a: { readonly id: string }, b: { readonly id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * 版本比对 — compares two versions of a hierarchy: units added, removed, moved
 * (parent changed, from → to) and changed (name, level, code), each list in
 * id order. O(n log n).
 *
 * @since 0.1.0
 * @category combinators
 */
export const diff: {
  <U extends Unit>(after: Hierarchy<U>): (before: Hierarchy<U>) => HierarchyDiff<U>
  <U extends Unit>(before: Hierarchy<U>, after: Hierarchy<U>): HierarchyDiff<U>
} = dual(2, <U extends Unit>(before: Hierarchy<U>, after: Hierarchy<U>): HierarchyDiff<U> => {
  const added: Array<U> = []
  const removed: Array<U> = []
  const moved: Array<Moved> = []
  const changed: Array<Changed<U>> = []
  for (const b of before.tree.nodes) {
    const a = after.tree.nodes[Tree.positionOf(after.tree, b.id)]
    if (a === undefined) {
      removed.push(b)
      continue
    }
    if (a.parentId !== b.parentId) moved.push({ unitId: b.id, from: b.parentId, to: a.parentId })
    const fields: Array<"name" | "level" | "code"> = []
    if (a.name !== b.name) fields.push("name")
    if (a.level !== b.level) fields.push("level")
    if (a.code !== b.code) fields.push("code")
    if (fields.length > 0) changed.push({ unitId: b.id, fields, before: b, after: a })
  }
  for (const a of after.tree.nodes) {
    if (!before.tree.index.has(a.id)) added.push(a)
  }
  added.sort(byId)
  removed.sort(byId)
  moved.sort((x, y) => (x.unitId < y.unitId ? -1 : x.unitId > y.unitId ? 1 : 0))
  changed.sort((x, y) => (x.unitId < y.unitId ? -1 : x.unitId > y.unitId ? 1 : 0))
  return { added, removed, moved, changed }
})

/**
 * Whether a diff records no change.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isEmptyDiff = <U extends Unit>(d: HierarchyDiff<U>): boolean =>
  d.added.length === 0 && d.removed.length === 0 && d.moved.length === 0 && d.changed.length === 0

// ---------------------------------------------------------------------------
// rollup
// ---------------------------------------------------------------------------

/**
 * 幺半群 — how to add up a figure: an identity and an associative `combine`.
 * Structurally compatible with `@effect/typeclass`'s `Monoid`; a struct of
 * numerator and denominator makes rates roll up correctly (rates are never
 * averaged).
 *
 * @since 0.1.0
 * @category models
 */
export interface Monoid<A> {
  readonly empty: A
  readonly combine: (self: A, that: A) => A
}

/**
 * 汇总结果 — each unit's subtree total.
 *
 * @since 0.1.0
 * @category models
 */
export interface Totals<A> {
  /** The total of the whole hierarchy (the root's subtree). */
  readonly root: A
  /** The total of a unit's subtree; none for an unknown id. */
  readonly get: (unitId: string) => Option.Option<A>
  /** The totals in pre-order, aligned with `units(h)`. */
  readonly values: ReadonlyArray<A>
  /** The totals as a map from unit id, in pre-order. */
  readonly toMap: () => ReadonlyMap<UnitId, A>
}

/**
 * 数值汇总结果 — each unit's subtree total of a number, as a `Float64Array`.
 *
 * @since 0.1.0
 * @category models
 */
export interface NumberTotals {
  readonly root: number
  readonly get: (unitId: string) => Option.Option<number>
  /** The totals in pre-order, aligned with `units(h)`. Do not mutate. */
  readonly values: Float64Array
  readonly toMap: () => ReadonlyMap<UnitId, number>
}

const totalsOf = <U extends Unit, A>(
  tree: Tree.Tree<U>,
  at: (pos: number) => A | undefined,
  values: Totals<A>["values"] | Float64Array
): { readonly get: (unitId: string) => Option.Option<A>; readonly toMap: () => ReadonlyMap<UnitId, A> } => ({
  get: (id: string) => {
    const pos = Tree.positionOf(tree, id)
    return pos < 0 ? Option.none() : Option.fromNullable(at(pos))
  },
  toMap: () => {
    const map = new Map<UnitId, A>()
    for (let pos = 0; pos < values.length; pos++) {
      const node = tree.nodes[pos]
      const value = at(pos)
      if (node !== undefined && value !== undefined) map.set(node.id, value)
    }
    return map
  }
})

/**
 * 逐级汇总 — folds a figure bottom-up so each unit holds its subtree's total:
 * `total(u) = value(u) ⊕ total(child₁) ⊕ … ⊕ total(childₖ)` (children in id
 * order, so non-commutative monoids are fine). O(n), over reverse pre-order.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rollup: {
  <U extends Unit, A>(value: (unit: U) => A, monoid: Monoid<A>): (self: Hierarchy<U>) => Totals<A>
  <U extends Unit, A>(self: Hierarchy<U>, value: (unit: U) => A, monoid: Monoid<A>): Totals<A>
} = dual(3, <U extends Unit, A>(self: Hierarchy<U>, value: (unit: U) => A, monoid: Monoid<A>): Totals<A> => {
  const tree = self.tree
  const n = tree.size
  const { combine, empty } = monoid
  const totals: Array<A> = []
  const below: Array<A> = []
  for (let pos = 0; pos < n; pos++) {
    totals.push(empty)
    below.push(empty)
  }
  for (let pos = n - 1; pos >= 0; pos--) {
    const node = tree.nodes[pos]
    if (node === undefined) continue
    const total = combine(value(node), below[pos] ?? empty)
    totals[pos] = total
    const p = tree.parent[pos] ?? -1
    if (p >= 0) below[p] = combine(total, below[p] ?? empty)
  }
  return {
    root: totals[0] ?? empty,
    values: totals,
    ...totalsOf(tree, (pos) => totals[pos], totals)
  }
})

/**
 * 数值汇总 — the fast path of `rollup` for additive figures (households,
 * population, case counts): subtree sums in a `Float64Array`. O(n).
 *
 * @since 0.1.0
 * @category combinators
 */
export const rollupNumbers: {
  <U extends Unit>(value: (unit: U) => number): (self: Hierarchy<U>) => NumberTotals
  <U extends Unit>(self: Hierarchy<U>, value: (unit: U) => number): NumberTotals
} = dual(2, <U extends Unit>(self: Hierarchy<U>, value: (unit: U) => number): NumberTotals => {
  const tree = self.tree
  const n = tree.size
  const totals = new Float64Array(n)
  const nodes = tree.nodes
  for (let pos = 0; pos < n; pos++) {
    const node = nodes[pos]
    totals[pos] = node === undefined ? 0 : value(node)
  }
  const parentOf = tree.parent
  for (let pos = n - 1; pos > 0; pos--) {
    const p = parentOf[pos] ?? 0
    totals[p] = (totals[p] ?? 0) + (totals[pos] ?? 0)
  }
  return {
    root: totals[0] ?? 0,
    values: totals,
    ...totalsOf(tree, (pos) => totals[pos], totals)
  }
})
