/**
 * The matching core of `Planner.plan` (清单匹配): resources indexed by tag,
 * remaining capacities in a typed array, and the per-problem greedy.
 *
 * For one problem (unit u, needed tags T sorted, demand d, period [from, to]):
 *
 * 1. For each tag t the usable resources are those that offer t, serve u
 *    (`Hierarchy.isWithin` one of their scope units) and are available in the
 *    period. A tag fails at the first stage that leaves nothing: `missing`
 *    (nobody offers t), `out-of-scope`, `unavailable`, or `capacity` (their
 *    remaining capacities sum to less than d).
 * 2. If every tag passes, resources are engaged tag by tag: a resource already
 *    engaged for this problem counts for every needed tag it offers (one
 *    resource covering two needs takes the demand once); the rest of a tag's
 *    need is taken from usable resources in best-fit order — deepest scope
 *    unit first, then most remaining capacity, then id — splitting the demand
 *    across resources when one is not enough.
 *
 * Step 2 always succeeds when step 1 passes: units engaged for earlier tags
 * reduce a later tag's need exactly as much as they reduce its resources'
 * remaining capacity. Nothing is consumed for a problem that fails.
 *
 * Internal: not exported from the barrel.
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Hierarchy from "../Hierarchy.js"
import type { Resource } from "../ResourceList.js"
import type { Unit } from "../Unit.js"

/** Why one tag cannot be served, at the first failing stage. */
export interface TagFailure {
  readonly stage: "missing" | "out-of-scope" | "unavailable" | "capacity"
  readonly tag: string
  /** For `out-of-scope` / `unavailable`: the resources that got that far (offer the tag / are in scope). */
  readonly resourceIds: ReadonlyArray<string>
  /** For `capacity`: the demand and the remaining capacity of the usable resources. */
  readonly needed: number
  readonly available: number
}

/** The stages in the order they are checked. */
export const stages: ReadonlyArray<TagFailure["stage"]> = [
  "missing",
  "out-of-scope",
  "unavailable",
  "capacity"
]

/** What one problem asks for. */
export interface Need {
  readonly unitId: string
  readonly tags: ReadonlyArray<string>
  readonly demand: number
  readonly from: DateTime.Utc
  readonly to: DateTime.Utc
}

/** One engaged resource: its index in the sorted resources and the units it takes. */
export interface Contribution {
  readonly resource: number
  readonly units: number
}

/** The matching outcome for one problem. */
export type Outcome =
  | { readonly _tag: "Matched"; readonly contributions: ReadonlyArray<Contribution> }
  | { readonly _tag: "Failed"; readonly failures: ReadonlyArray<TagFailure> }

/** Mutable matching state over resources sorted by id. */
export interface State<U extends Unit> {
  readonly hierarchy: Hierarchy.Hierarchy<U>
  readonly resources: ReadonlyArray<Resource>
  /** Remaining capacity per resource index. */
  readonly remaining: Float64Array
  /** tag → indices of the resources offering it, ascending (= id order). */
  readonly byTag: ReadonlyMap<string, ReadonlyArray<number>>
  /** Availability windows in epoch millis (NaN bounds = always available). */
  readonly windowFrom: Float64Array
  readonly windowTo: Float64Array
  /** Depth of each scope unit (−1 when unknown to the hierarchy). */
  readonly scopeDepth: ReadonlyMap<string, number>
}

/** Builds the state; `resources` must be sorted by id, `remaining` aligned with them. */
export const makeState = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  resources: ReadonlyArray<Resource>,
  remaining: ReadonlyArray<number>
): State<U> => {
  const n = resources.length
  const byTag = new Map<string, Array<number>>()
  const windowFrom = new Float64Array(n)
  const windowTo = new Float64Array(n)
  const scopeDepth = new Map<string, number>()
  const rem = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const r = resources[i]
    if (r === undefined) continue
    rem[i] = remaining[i] ?? 0
    for (const t of r.tags) {
      const list = byTag.get(t)
      if (list === undefined) byTag.set(t, [i])
      else if (list[list.length - 1] !== i) list.push(i)
    }
    windowFrom[i] = r.availability === undefined ? Number.NaN : DateTime.toEpochMillis(r.availability.from)
    windowTo[i] = r.availability === undefined ? Number.NaN : DateTime.toEpochMillis(r.availability.to)
    for (const s of r.scope) {
      if (!scopeDepth.has(s))
        scopeDepth.set(
          s,
          Option.getOrElse(Hierarchy.depth(hierarchy, s), () => -1)
        )
    }
  }
  return { hierarchy, resources, remaining: rem, byTag, windowFrom, windowTo, scopeDepth }
}

/** Depth of the deepest scope unit of resource `i` covering `unitId`; −1 when it does not serve it. */
const coverDepth = <U extends Unit>(state: State<U>, i: number, unitId: string): number => {
  const r = state.resources[i]
  if (r === undefined) return -1
  let best = -1
  for (const s of r.scope) {
    const d = state.scopeDepth.get(s) ?? -1
    if (d > best && Hierarchy.isWithin(state.hierarchy, unitId, s)) best = d
  }
  return best
}

const availableIn = <U extends Unit>(state: State<U>, i: number, from: number, to: number): boolean => {
  const wf = state.windowFrom[i] ?? Number.NaN
  const wt = state.windowTo[i] ?? Number.NaN
  if (Number.isNaN(wf) || Number.isNaN(wt)) return true
  return wf <= to && wt >= from
}

const idOf = <U extends Unit>(state: State<U>, i: number): string => state.resources[i]?.id ?? ""

/**
 * Matches one problem against the state; on success the engaged units are
 * taken from the remaining capacities, on failure nothing changes.
 */
export const matchOne = <U extends Unit>(state: State<U>, need: Need): Outcome => {
  const from = DateTime.toEpochMillis(need.from)
  const to = DateTime.toEpochMillis(need.to)
  const depthCache = new Map<number, number>()
  const depthOf = (i: number): number => {
    let d = depthCache.get(i)
    if (d === undefined) {
      d = coverDepth(state, i, need.unitId)
      depthCache.set(i, d)
    }
    return d
  }
  // Stage 1: usable resources per tag, or the first failing stage.
  const usable: Array<ReadonlyArray<number>> = []
  const failures: Array<TagFailure> = []
  for (const tag of need.tags) {
    const offering = state.byTag.get(tag) ?? []
    const fail = (
      stage: TagFailure["stage"],
      resourceIds: ReadonlyArray<string> = [],
      available = 0
    ): void => {
      failures.push({ stage, tag, resourceIds, needed: need.demand, available })
    }
    if (offering.length === 0) {
      fail("missing")
      continue
    }
    const inScope = offering.filter((i) => depthOf(i) >= 0)
    if (inScope.length === 0) {
      fail(
        "out-of-scope",
        offering.map((i) => idOf(state, i))
      )
      continue
    }
    const available = inScope.filter((i) => availableIn(state, i, from, to))
    if (available.length === 0) {
      fail(
        "unavailable",
        inScope.map((i) => idOf(state, i))
      )
      continue
    }
    let sum = 0
    for (const i of available) sum += state.remaining[i] ?? 0
    if (sum < need.demand) {
      fail(
        "capacity",
        available.map((i) => idOf(state, i)),
        sum
      )
      continue
    }
    usable.push(available)
  }
  if (failures.length > 0) return { _tag: "Failed", failures }

  // Stage 2: engage resources tag by tag, best fit first.
  const taken = new Map<number, number>()
  const left = (i: number): number => (state.remaining[i] ?? 0) - (taken.get(i) ?? 0)
  need.tags.forEach((tag, k) => {
    const candidates = usable[k] ?? []
    let covered = 0
    for (const [i, units] of taken) {
      if (state.resources[i]?.tags.some((t) => t === tag) === true) covered += units
    }
    let rest = need.demand - covered
    if (rest <= 0) return
    const ordered = [...candidates].sort((a, b) => depthOf(b) - depthOf(a) || left(b) - left(a) || a - b)
    for (const i of ordered) {
      if (rest <= 0) break
      const take = Math.min(rest, left(i))
      if (take <= 0) continue
      taken.set(i, (taken.get(i) ?? 0) + take)
      rest -= take
    }
  })
  const contributions: Array<Contribution> = []
  for (const [resource, units] of [...taken].sort((a, b) => a[0] - b[0])) {
    state.remaining[resource] = (state.remaining[resource] ?? 0) - units
    contributions.push({ resource, units })
  }
  return { _tag: "Matched", contributions }
}
