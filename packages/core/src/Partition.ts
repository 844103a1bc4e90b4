/**
 * 网格划分建议 — a proposal of basic grids 基础网格 for one community: every
 * building in exactly one grid ("全覆盖、无疏漏", the Panlong district report), each grid within the
 * household bounds (observed practice 200–300, some places 160–255; see
 * `Coverage.defaultBounds`), the buildings of a compound 小区 kept together
 * where possible (the community experience report divides "以小区为单位" into grids), deterministically.
 *
 * The algorithm, in stages, stopping at the first that meets the bounds:
 *
 * 1. **Oversize buildings.** A building with more households than `max` can
 *    never be within bounds: it is placed alone in its own grid, flagged
 *    `above-max`, and reported (`oversize-building`). The rest is partitioned.
 * 2. **Small totals.** If the rest holds fewer than `min` households, it forms a
 *    single grid flagged `below-min` and reported (`undersize-total`): every
 *    building is still covered.
 * 3. **Compounds whole.** Each compound that fits (≤ `max`) is one unit; a
 *    compound above `max` is cut into as few runs of consecutive buildings (by
 *    id) as fit. Units are packed largest first into the least-loaded of `k`
 *    grids (up to eight counts `k` with `k·min ≤ total ≤ k·max`, those whose mean
 *    grid size is nearest the middle of the bounds first), then rebalanced by
 *    moves and swaps. If that fails, an exact
 *    bounded search over the units follows (when there are at most
 *    `exactSearch.maxItems` units).
 * 4. **Oversize compounds free.** As 3, but the buildings of compounds above
 *    `max` are placed one by one, preferring grids that already hold their
 *    compound.
 * 5. **Buildings free.** Every building is placed on its own, starting from the
 *    best compound-whole packing; the rebalancing then minimises first the
 *    bound violations, then the number of compound splits; the exact search
 *    (for at most `exactSearch.maxItems` buildings) follows, and its result is
 *    rebalanced the same way to reunite compounds. Splitting as few compounds
 *    as possible is a heuristic goal here, not a guarantee.
 * 6. **Best effort.** If no stage meets the bounds, the best packing found
 *    (least total distance to the bounds, then fewest splits) is returned with
 *    its out-of-bounds grids flagged and a `no-feasible-partition` issue saying
 *    whether infeasibility is proven (no grid count fits the total, or the exact
 *    search over all buildings was exhaustive) or the search limit was reached.
 *
 * Whenever a partition within the bounds exists and the community has at most
 * `exactSearch.maxItems` (default 48) buildings with households, the exact
 * search finds one unless it exceeds `exactSearch.maxNodes` (default 1,000,000
 * nodes per stage); larger communities rely on the greedy packing and
 * rebalancing, which is fast for hundreds of buildings.
 *
 * Buildings without households are placed after packing, with their compound
 * where it has a grid, otherwise in the grid with fewest households. Grids are
 * numbered 1, 2, … by their smallest building id. Input order never matters:
 * buildings are sorted by id first and every tie is broken by id or index.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as AreaCode from "./AreaCode.js"
import type { Building } from "./Building.js"
import { defaultBounds, GridSizeBounds, statusOf } from "./Coverage.js"
import { type Grid, GridId } from "./Grid.js"
import * as GridCode from "./GridCode.js"
import * as Engine from "./internal/partition.js"
import { UnitId } from "./Unit.js"

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * 精确搜索上限 — limits of the exact search that backs up the greedy packing.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExactSearchLimits {
  /** The search runs only on stages with at most this many items (units or buildings). */
  readonly maxItems: number
  /** Nodes the search may visit per stage (at most three stages per proposal). */
  readonly maxNodes: number
}

/**
 * The default exact-search limits: 48 items, 1,000,000 nodes per stage.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultExactSearchLimits: ExactSearchLimits = { maxItems: 48, maxNodes: 1_000_000 }

/**
 * Options of `propose`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProposeOptions {
  /** 网格规模 — household bounds per grid; default `Coverage.defaultBounds` (200–300). */
  readonly bounds?: GridSizeBounds
  /**
   * 社区区划代码 — the community's 12-digit area code; when given, each grid gets
   * the GB/T 30428.1 code `areaCode + sequence` (sequences up to 999).
   */
  readonly areaCode?: string
  /** Limits of the exact search; default `defaultExactSearchLimits`. */
  readonly exactSearch?: Partial<ExactSearchLimits>
}

/**
 * 划分输入规则 — what makes the input of `propose` unusable.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartitionInputRule = Schema.Literal(
  "no-buildings",
  "mixed-communities",
  "duplicate-building-id",
  "invalid-bounds",
  "invalid-area-code"
).annotations({ identifier: "PartitionInputRule", title: "划分输入规则 partition input rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type PartitionInputRule = typeof PartitionInputRule.Type

const inputRuleText: Record<PartitionInputRule, string> = {
  "no-buildings": "无楼栋 a proposal needs at least one building",
  "mixed-communities": "跨社区 a proposal is for the buildings of one community",
  "duplicate-building-id": "重复楼栋标识 building ids are unique",
  "invalid-bounds": "规模界限无效 bounds are integers with 0 ≤ min ≤ max and max > 0",
  "invalid-area-code": "区划代码无效 the area code must be a valid 12-digit code of a community"
}

/**
 * 划分输入错误 — an input `propose` cannot work with, naming the rule and the
 * ids or values concerned.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidPartitionInput extends Schema.TaggedError<InvalidPartitionInput>()(
  "InvalidPartitionInput",
  {
    rule: PartitionInputRule,
    /** the ids or values concerned (community ids, a building id, the bounds, the area code) */
    values: Schema.Array(Schema.String)
  }
) {
  override get message(): string {
    return `${this.rule}: ${inputRuleText[this.rule]}${this.values.length === 0 ? "" : ` (${this.values.join(", ")})`}`
  }
}

/**
 * 划分问题 — what the proposal could not do or had to compromise on:
 *
 * - `oversize-building` 单栋超限: a building above `max` sits alone in an oversize grid;
 * - `undersize-total` 总户数不足: the buildings to partition hold fewer than `min`
 *   households, so they form one undersized grid;
 * - `no-feasible-partition` 无可行划分: no partition within the bounds was found
 *   (`cause` says whether that is proven: `no-grid-count`, `exhaustive-search`,
 *   or only `search-limit`);
 * - `grid-below-min` / `grid-above-max`: a grid of a best-effort partition is out of bounds;
 * - `compound-split` 小区拆分: a compound spans several grids (`cause`:
 *   `compound-exceeds-max`, `oversize-building`, or `bounds` — needed, or chosen
 *   by the heuristic, to meet the bounds);
 * - `code-unavailable` 无法编码: a grid's sequence is above 999, beyond GB/T 30428.1.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartitionIssueRule = Schema.Literal(
  "oversize-building",
  "undersize-total",
  "no-feasible-partition",
  "grid-below-min",
  "grid-above-max",
  "compound-split",
  "code-unavailable"
).annotations({ identifier: "PartitionIssueRule", title: "划分问题 partition issue rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type PartitionIssueRule = typeof PartitionIssueRule.Type

/**
 * Why a `no-feasible-partition` or `compound-split` issue arose.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartitionIssueCause = Schema.Literal(
  "no-grid-count",
  "exhaustive-search",
  "search-limit",
  "compound-exceeds-max",
  "oversize-building",
  "bounds"
).annotations({ identifier: "PartitionIssueCause", title: "原因 cause" })

/**
 * @since 0.1.0
 * @category models
 */
export type PartitionIssueCause = typeof PartitionIssueCause.Type

/**
 * 划分问题 — one issue of a proposal, naming the grids (by sequence), the
 * building or compound, the households and the bound concerned.
 *
 * @since 0.1.0
 * @category models
 */
export class PartitionIssue extends Schema.TaggedClass<PartitionIssue>()("PartitionIssue", {
  rule: PartitionIssueRule,
  /** 网格序号 — the proposed grids concerned. */
  sequences: Schema.Array(Schema.Int),
  buildingId: Schema.optionalWith(UnitId, { exact: true }),
  compoundId: Schema.optionalWith(UnitId, { exact: true }),
  households: Schema.optionalWith(Schema.Int, { exact: true }),
  bound: Schema.optionalWith(Schema.Int, { exact: true }),
  cause: Schema.optionalWith(PartitionIssueCause, { exact: true })
}) {
  /** A readable explanation (Chinese term, then English). */
  get message(): string {
    return issueText[this.rule](this)
  }
}

const issueText: Record<PartitionIssueRule, (issue: PartitionIssue) => string> = {
  "oversize-building": (i) =>
    `单栋超限 building ${i.buildingId ?? "?"} has ${i.households ?? "?"} households, above the maximum ${i.bound ?? "?"}: placed alone in oversize grid ${sequenceList(i)}`,
  "undersize-total": (i) =>
    `总户数不足 the buildings to partition hold ${i.households ?? "?"} households, below the minimum ${i.bound ?? "?"}: all placed in one undersized grid ${sequenceList(i)}`,
  "no-feasible-partition": (i) =>
    i.cause === "search-limit"
      ? `无可行划分 no partition within the bounds was found within the search limits; best effort returned (out-of-bounds grids ${sequenceList(i)})`
      : `无可行划分 no partition within the bounds exists (${i.cause === "no-grid-count" ? "no number of grids fits the total" : "exhaustive search"}); best effort returned (out-of-bounds grids ${sequenceList(i)})`,
  "grid-below-min": (i) =>
    `户数不足 grid ${sequenceList(i)} holds ${i.households ?? "?"} households, below the minimum ${i.bound ?? "?"}`,
  "grid-above-max": (i) =>
    `户数超限 grid ${sequenceList(i)} holds ${i.households ?? "?"} households, above the maximum ${i.bound ?? "?"}`,
  "compound-split": (i) =>
    `小区拆分 compound ${i.compoundId ?? "?"} is split over grids ${sequenceList(i)} (${
      i.cause === "compound-exceeds-max"
        ? `its ${i.households ?? "?"} households exceed the maximum ${i.bound ?? "?"}`
        : i.cause === "oversize-building"
          ? "one of its buildings exceeds the maximum on its own"
          : "needed to meet the bounds"
    })`,
  "code-unavailable": (i) => `无法编码 grid ${sequenceList(i)}: GB/T 30428.1 sequences end at 999`
}

const sequenceList = (issue: PartitionIssue): string => issue.sequences.map((s) => `#${s}`).join(", ")

/**
 * 建议网格 — one proposed basic grid.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProposedGrid = Schema.Struct({
  /** 顺序码 — 1, 2, … in order of the grids' smallest building ids. */
  sequence: Schema.Int.pipe(Schema.positive()),
  /** 名称 — `第N网格`. */
  name: Schema.NonEmptyTrimmedString,
  /** 网格编码 — GB/T 30428.1 code, when an area code was given. */
  code: Schema.optionalWith(GridCode.GbGridCode, { exact: true }),
  /** 楼栋 — sorted by id. */
  buildingIds: Schema.Array(UnitId),
  /** 户数 */
  households: Schema.Int,
  /** 小区 — the compounds with buildings in the grid, sorted. */
  compoundIds: Schema.Array(UnitId),
  /** 规模状态 — within the bounds or not. */
  status: Schema.Literal("ok", "below-min", "above-max")
}).annotations({ identifier: "ProposedGrid", title: "建议网格 proposed grid" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ProposedGrid extends Schema.Schema.Type<typeof ProposedGrid> {}

/**
 * 网格划分建议 — a proposal for one community.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Proposal = Schema.Struct({
  communityId: UnitId,
  bounds: GridSizeBounds,
  /** 总户数 */
  totalHouseholds: Schema.Int,
  grids: Schema.Array(ProposedGrid),
  /** 被拆分小区 — compounds whose buildings lie in more than one grid, sorted. */
  splitCompounds: Schema.Array(UnitId),
  issues: Schema.Array(PartitionIssue),
  /** 全部达标 — every grid within the bounds. */
  withinBounds: Schema.Boolean
}).annotations({ identifier: "Proposal", title: "网格划分建议 partition proposal" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Proposal extends Schema.Schema.Type<typeof Proposal> {}

// ---------------------------------------------------------------------------
// packing of the buildings that fit
// ---------------------------------------------------------------------------

interface Item {
  readonly buildings: ReadonlyArray<Building>
  readonly weight: number
  readonly group: number
}

type Outcome =
  | { readonly _tag: "Feasible" }
  | { readonly _tag: "BestEffort"; readonly cause: "no-grid-count" | "exhaustive-search" | "search-limit" }

interface Packed {
  readonly bins: ReadonlyArray<ReadonlyArray<Building>>
  readonly outcome: Outcome
}

const sum = (buildings: ReadonlyArray<Building>): number => buildings.reduce((n, b) => n + b.households, 0)

const makeItem = (buildings: ReadonlyArray<Building>, group: number): Item => ({
  buildings,
  weight: sum(buildings),
  group
})

/** Cuts an oversize compound into as few runs of consecutive buildings (by id) as fit `max`. */
const chunk = (buildings: ReadonlyArray<Building>, max: number): Array<Array<Building>> => {
  const fill = (cap: number): Array<Array<Building>> => {
    const pieces: Array<Array<Building>> = []
    let current: Array<Building> = []
    let load = 0
    for (const b of buildings) {
      if (current.length > 0 && load + b.households > cap) {
        pieces.push(current)
        current = []
        load = 0
      }
      current.push(b)
      load += b.households
    }
    if (current.length > 0) pieces.push(current)
    return pieces
  }
  const total = sum(buildings)
  const largest = buildings.reduce((m, b) => Math.max(m, b.households), 0)
  for (let pieces = Math.ceil(total / max); pieces < buildings.length; pieces++) {
    let lo = Math.max(largest, Math.ceil(total / pieces))
    let hi = total
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (fill(mid).length <= pieces) hi = mid
      else lo = mid + 1
    }
    if (lo <= max) return fill(lo)
  }
  return buildings.map((b) => [b])
}

const byWeightThenId = (a: Item, b: Item): number =>
  b.weight - a.weight || compareStrings(a.buildings[0]?.id ?? "", b.buildings[0]?.id ?? "")

interface Stage {
  readonly items: ReadonlyArray<Item>
  readonly instance: Engine.Instance
}

const makeStage = (items: ReadonlyArray<Item>, groupCount: number, bounds: GridSizeBounds): Stage => {
  const positive = items.filter((i) => i.weight > 0).sort(byWeightThenId)
  return {
    items: positive,
    instance: {
      weights: positive.map((i) => i.weight),
      groups: positive.map((i) => i.group),
      groupCount,
      min: bounds.min,
      max: bounds.max
    }
  }
}

/** the greedy packing tries at most this many grid counts per stage, nearest the middle of the bounds first */
const greedyGridCounts = 8

interface Candidate {
  readonly stage: Stage
  readonly packing: Engine.Packing
}

const better = (a: Engine.Packing, b: Engine.Packing): boolean =>
  a.violation < b.violation || (a.violation === b.violation && a.split < b.split)

/**
 * Packs the buildings that fit (each ≤ max; total ≥ min) into bins.
 */
const pack = (
  buildings: ReadonlyArray<Building>,
  bounds: GridSizeBounds,
  limits: ExactSearchLimits
): Packed => {
  const { max, min } = bounds
  const compoundIds = Array.from(
    new Set(buildings.flatMap((b) => (b.compoundId === undefined ? [] : [b.compoundId])))
  ).sort(compareStrings)
  const groupOf = new Map<string, number>(compoundIds.map((id, i) => [id, i]))
  const members = compoundIds.map((id) => buildings.filter((b) => b.compoundId === id))
  const standalone = buildings.filter((b) => b.compoundId === undefined).map((b) => makeItem([b], -1))
  const group = (b: Building): number => (b.compoundId === undefined ? -1 : (groupOf.get(b.compoundId) ?? -1))
  const oversized = members.some((m) => sum(m) > max)

  const stageA = makeStage(
    [
      ...members.flatMap((m, g) =>
        sum(m) > max ? chunk(m, max).map((piece) => makeItem(piece, g)) : [makeItem(m, g)]
      ),
      ...standalone
    ],
    compoundIds.length,
    bounds
  )
  const stageB = oversized
    ? makeStage(
        [
          ...members.flatMap((m, g) => (sum(m) > max ? m.map((b) => makeItem([b], g)) : [makeItem(m, g)])),
          ...standalone
        ],
        compoundIds.length,
        bounds
      )
    : undefined
  const stageC = makeStage(
    buildings.map((b) => makeItem([b], group(b))),
    compoundIds.length,
    bounds
  )
  const stages: Array<Stage> = [stageA]
  if (stageB !== undefined && stageB.items.length !== stageA.items.length) stages.push(stageB)
  if (stageC.items.length !== stages[stages.length - 1]?.items.length) stages.push(stageC)

  const total = stageC.instance.weights.reduce((a, b) => a + b, 0)
  const toBins = (stage: Stage, k: number, assign: Int32Array): Array<Array<Building>> => {
    const bins: Array<Array<Building>> = Array.from({ length: k }, () => [])
    stage.items.forEach((item, i) => {
      bins[assign[i] ?? 0]?.push(...item.buildings)
    })
    return bins
  }

  let best: Candidate | undefined
  /** per k, the best building → bin map found so far, to seed later stages */
  const seeds = new Map<number, { readonly packing: Engine.Packing; readonly bins: Map<string, number> }>()
  const remember = (stage: Stage, packing: Engine.Packing) => {
    if (best === undefined || better(packing, best.packing)) best = { stage, packing }
    const seed = seeds.get(packing.k)
    if (seed === undefined || better(packing, seed.packing)) {
      const bins = new Map<string, number>()
      stage.items.forEach((item, i) => {
        for (const b of item.buildings) bins.set(b.id, packing.assign[i] ?? 0)
      })
      seeds.set(packing.k, { packing, bins })
    }
  }

  let cause: "no-grid-count" | "exhaustive-search" | "search-limit" = "search-limit"
  for (const stage of stages) {
    const n = stage.items.length
    const ks = Engine.binCounts(total, n, min, max)
    const maxSteps = 20 * n + 200
    if (ks.length === 0) {
      cause = "no-grid-count"
      const k = Math.max(1, Math.ceil(total / max))
      for (const kk of Array.from(new Set([Math.max(1, k - 1), Math.min(n, k)]))) {
        remember(stage, Engine.improve(stage.instance, kk, Engine.lpt(stage.instance.weights, kk), maxSteps))
      }
      continue
    }
    for (const k of ks.slice(0, greedyGridCounts)) {
      const seed = seeds.get(k)
      const start =
        seed === undefined
          ? Engine.lpt(stage.instance.weights, k)
          : Int32Array.from(stage.items, (item) => seed.bins.get(item.buildings[0]?.id ?? "") ?? 0)
      const packing = Engine.improve(stage.instance, k, start, maxSteps)
      remember(stage, packing)
      if (packing.violation === 0)
        return { bins: toBins(stage, k, packing.assign), outcome: { _tag: "Feasible" } }
    }
    if (n > limits.maxItems) continue
    // exact search in rounds of growing budgets, so that easy grid counts are tried first
    let remaining = limits.maxNodes
    const open = new Set(ks)
    for (let round = 10_000; open.size > 0 && remaining > 0; round *= 8) {
      for (const k of ks) {
        if (!open.has(k) || remaining <= 0) continue
        const { nodes, result } = Engine.exact(
          stage.instance,
          k,
          Math.min(round, remaining),
          stage === stageB
        )
        remaining -= nodes
        if (result._tag === "Found") {
          const packing = Engine.improve(stage.instance, k, result.assign, maxSteps)
          return { bins: toBins(stage, k, packing.assign), outcome: { _tag: "Feasible" } }
        }
        if (result._tag === "Infeasible") open.delete(k)
      }
    }
    // only a search over single buildings proves that no partition exists
    if (n === stageC.items.length) cause = open.size === 0 ? "exhaustive-search" : "search-limit"
  }
  const fallback: Candidate = best ?? {
    stage: stageC,
    packing: Engine.score(stageC.instance, 1, new Int32Array(stageC.items.length))
  }
  return {
    bins: toBins(fallback.stage, fallback.packing.k, fallback.packing.assign),
    outcome: { _tag: "BestEffort", cause }
  }
}

/** Adds the buildings without households: with their compound where it has a bin, else to the lightest bin. */
const attachEmpty = (bins: Array<Array<Building>>, empty: ReadonlyArray<Building>): void => {
  for (const b of empty) {
    let target = -1
    let targetCount = 0
    let targetLoad = 0
    bins.forEach((bin, i) => {
      const count = b.compoundId === undefined ? 0 : bin.filter((x) => x.compoundId === b.compoundId).length
      const load = sum(bin)
      if (target < 0 || count > targetCount || (count === targetCount && load < targetLoad)) {
        target = i
        targetCount = count
        targetLoad = load
      }
    })
    if (target < 0) bins.push([b])
    else bins[target]?.push(b)
  }
}

// ---------------------------------------------------------------------------
// propose
// ---------------------------------------------------------------------------

const validateInput = (
  buildings: ReadonlyArray<Building>,
  bounds: GridSizeBounds,
  areaCode: string | undefined
): Array<InvalidPartitionInput> => {
  const errors: Array<InvalidPartitionInput> = []
  if (buildings.length === 0) errors.push(new InvalidPartitionInput({ rule: "no-buildings", values: [] }))
  const communities = Array.from(new Set(buildings.map((b) => b.communityId))).sort(compareStrings)
  if (communities.length > 1)
    errors.push(new InvalidPartitionInput({ rule: "mixed-communities", values: communities }))
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  for (const b of buildings) {
    if (seen.has(b.id)) duplicates.add(b.id)
    seen.add(b.id)
  }
  for (const id of Array.from(duplicates).sort(compareStrings)) {
    errors.push(new InvalidPartitionInput({ rule: "duplicate-building-id", values: [id] }))
  }
  if (Either.isLeft(Schema.validateEither(GridSizeBounds)(bounds))) {
    errors.push(
      new InvalidPartitionInput({ rule: "invalid-bounds", values: [`${bounds.min}–${bounds.max}`] })
    )
  }
  if (areaCode !== undefined) {
    const parsed = AreaCode.parse(areaCode)
    if (Either.isLeft(parsed) || AreaCode.levelOf(parsed.right) !== "community") {
      errors.push(new InvalidPartitionInput({ rule: "invalid-area-code", values: [areaCode] }))
    }
  }
  return errors
}

/**
 * 网格划分建议 — proposes basic grids for the buildings of one community:
 * every building in exactly one grid, every grid within `bounds` whenever the
 * search finds that possible, compounds kept whole where possible, the same
 * output for the same buildings in any order. See the module documentation for
 * the stages, the limits and how oversize buildings and small totals are
 * handled. Fails only on unusable input (no buildings, several communities,
 * duplicate ids, invalid bounds or area code), with every such error.
 *
 * @since 0.1.0
 * @category constructors
 */
export const propose = (
  buildings: ReadonlyArray<Building>,
  options: ProposeOptions = {}
): Either.Either<Proposal, readonly [InvalidPartitionInput, ...Array<InvalidPartitionInput>]> => {
  const bounds = options.bounds ?? defaultBounds
  const limits: ExactSearchLimits = { ...defaultExactSearchLimits, ...options.exactSearch }
  const [firstError, ...moreErrors] = validateInput(buildings, bounds, options.areaCode)
  if (firstError !== undefined) return Either.left([firstError, ...moreErrors])

  const sorted = buildings.slice().sort((a, b) => compareStrings(a.id, b.id))
  const [head] = sorted
  if (head === undefined)
    return Either.left([new InvalidPartitionInput({ rule: "no-buildings", values: [] })])
  const communityId = head.communityId
  const { max, min } = bounds
  const oversize = sorted.filter((b) => b.households > max)
  const rest = sorted.filter((b) => b.households <= max)
  const restTotal = sum(rest)

  type Cause = "oversize" | "undersize" | "packed"
  const groups: Array<{ readonly buildings: ReadonlyArray<Building>; readonly cause: Cause }> = oversize.map(
    (b) => ({ buildings: [b], cause: "oversize" })
  )
  let outcome: Outcome = { _tag: "Feasible" }
  if (rest.length > 0) {
    if (restTotal < min) {
      groups.push({ buildings: rest, cause: "undersize" })
    } else if (restTotal === 0) {
      groups.push({ buildings: rest, cause: "packed" })
    } else {
      const packed = pack(
        rest.filter((b) => b.households > 0),
        bounds,
        limits
      )
      outcome = packed.outcome
      const bins = packed.bins.filter((bin) => bin.length > 0).map((bin) => bin.slice())
      attachEmpty(
        bins,
        rest.filter((b) => b.households === 0)
      )
      for (const bin of bins) groups.push({ buildings: bin, cause: "packed" })
    }
  }

  const ordered = groups
    .map((g) => ({ ...g, buildings: g.buildings.slice().sort((a, b) => compareStrings(a.id, b.id)) }))
    .sort((a, b) => compareStrings(a.buildings[0]?.id ?? "", b.buildings[0]?.id ?? ""))

  const issues: Array<PartitionIssue> = []
  const grids: Array<ProposedGrid> = ordered.map((g, index) => {
    const sequence = index + 1
    const households = sum(g.buildings)
    const status = statusOf(households, bounds)
    const base = {
      sequence,
      name: `第${sequence}网格`,
      buildingIds: g.buildings.map((b) => b.id),
      households,
      compoundIds: Array.from(
        new Set(g.buildings.flatMap((b) => (b.compoundId === undefined ? [] : [b.compoundId])))
      ).sort(compareStrings),
      status
    }
    const first = g.buildings[0]
    if (g.cause === "oversize" && first !== undefined) {
      issues.push(
        new PartitionIssue({
          rule: "oversize-building",
          sequences: [sequence],
          buildingId: first.id,
          households: first.households,
          bound: max
        })
      )
    } else if (g.cause === "undersize") {
      issues.push(
        new PartitionIssue({ rule: "undersize-total", sequences: [sequence], households, bound: min })
      )
    } else if (status !== "ok") {
      issues.push(
        new PartitionIssue({
          rule: status === "below-min" ? "grid-below-min" : "grid-above-max",
          sequences: [sequence],
          households,
          bound: status === "below-min" ? min : max
        })
      )
    }
    if (options.areaCode === undefined) return base
    const code = GridCode.encodeGb(options.areaCode, sequence)
    if (Either.isRight(code)) return { ...base, code: code.right }
    issues.push(new PartitionIssue({ rule: "code-unavailable", sequences: [sequence] }))
    return base
  })

  if (outcome._tag === "BestEffort") {
    issues.push(
      new PartitionIssue({
        rule: "no-feasible-partition",
        sequences: grids
          .filter((g, i) => g.status !== "ok" && ordered[i]?.cause === "packed")
          .map((g) => g.sequence),
        cause: outcome.cause
      })
    )
  }

  const compounds = new Map<UnitId, Array<number>>()
  for (const g of grids) {
    for (const c of g.compoundIds) compounds.set(c, [...(compounds.get(c) ?? []), g.sequence])
  }
  const splitCompounds: Array<UnitId> = []
  for (const [id, sequences] of Array.from(compounds).sort(([a], [b]) => compareStrings(a, b))) {
    if (sequences.length < 2) continue
    const memberBuildings = sorted.filter((b) => b.compoundId === id)
    const compoundTotal = sum(memberBuildings)
    splitCompounds.push(id)
    const cause: PartitionIssueCause = memberBuildings.some((b) => b.households > max)
      ? "oversize-building"
      : compoundTotal > max
        ? "compound-exceeds-max"
        : "bounds"
    issues.push(
      new PartitionIssue({
        rule: "compound-split",
        sequences,
        compoundId: id,
        households: compoundTotal,
        bound: max,
        cause
      })
    )
  }

  return Either.right({
    communityId,
    bounds,
    totalHouseholds: sum(sorted),
    grids,
    splitCompounds,
    issues,
    withinBounds: grids.every((g) => g.status === "ok")
  })
}

/**
 * Turns a proposal into basic `Grid` records (id `<communityId>-grid-<NNN>`,
 * name `第N网格`, the GB/T code when the proposal has one), e.g. to run
 * `Coverage.check` on it or to store it.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toGrids = (proposal: Proposal): Array<Grid> =>
  proposal.grids.map((g) => {
    const grid: Grid = {
      id: GridId.make(`${proposal.communityId}-grid-${String(g.sequence).padStart(3, "0")}`),
      name: g.name,
      kind: "basic",
      communityId: proposal.communityId,
      buildingIds: g.buildingIds
    }
    return g.code === undefined ? grid : { ...grid, code: g.code }
  })
