/**
 * The packing engine behind `Partition.propose`: partition weighted items
 * (households of buildings or of whole compounds) into `k` bins whose loads lie
 * within `[min, max]`, keeping items of the same group (compound 小区) in as few
 * bins as possible.
 *
 * Three tools, all deterministic (ties broken by item and bin index):
 *
 * - `lpt`: largest-first greedy, each item to the least-loaded bin;
 * - `improve`: local search by single-item moves and pairwise swaps, minimising
 *   lexicographically (bound violation, group splits);
 * - `exact`: depth-first bin-completion search with pruning, bounded by a node
 *   budget, that either finds a feasible assignment, proves there is none for
 *   this `k`, or reports that the budget ran out.
 *
 * Items are expected sorted by weight, largest first, and to have positive
 * weights (zero-weight items are placed by the caller).
 *
 * @internal
 */

/** @internal */
export interface Packing {
  readonly k: number
  /** item index → bin index */
  readonly assign: Int32Array
  /** Σ over bins of the distance of the load to `[min, max]`. */
  readonly violation: number
  /** Σ over groups of (bins holding the group − 1). */
  readonly split: number
}

/** @internal */
export interface Instance {
  /** item weights, largest first */
  readonly weights: ReadonlyArray<number>
  /** item group (compound index), −1 for none */
  readonly groups: ReadonlyArray<number>
  readonly groupCount: number
  readonly min: number
  readonly max: number
}

const deviation = (load: number, min: number, max: number): number =>
  load < min ? min - load : load > max ? load - max : 0

/**
 * The bin counts worth trying, best first: every `k` with
 * `k·min ≤ total ≤ k·max` and `k ≤ items`, starting from the count whose mean
 * load is nearest the middle of the bounds, then alternating below and above
 * it (smaller first). Empty when no count can work.
 *
 * @internal
 */
export const binCounts = (total: number, items: number, min: number, max: number): ReadonlyArray<number> => {
  if (items === 0 || max <= 0) return []
  const lo = Math.max(1, Math.ceil(total / max))
  const hi = Math.min(items, min === 0 ? items : Math.floor(total / min))
  if (lo > hi) return []
  const target = Math.min(hi, Math.max(lo, Math.round((2 * total) / (min + max))))
  const out: Array<number> = [target]
  for (let d = 1; target - d >= lo || target + d <= hi; d++) {
    if (target - d >= lo) out.push(target - d)
    if (target + d <= hi) out.push(target + d)
  }
  return out
}

/**
 * Largest-first greedy: each item (in index order, i.e. largest first) to the
 * least-loaded bin, ties to the lowest bin index.
 *
 * @internal
 */
export const lpt = (weights: ReadonlyArray<number>, k: number): Int32Array => {
  const assign = new Int32Array(weights.length)
  const loads = new Float64Array(k)
  for (let i = 0; i < weights.length; i++) {
    let best = 0
    for (let b = 1; b < k; b++) if ((loads[b] ?? 0) < (loads[best] ?? 0)) best = b
    assign[i] = best
    loads[best] = (loads[best] ?? 0) + (weights[i] ?? 0)
  }
  return assign
}

/**
 * Local search from `start`: repeatedly applies the best single-item move, or
 * if none improves, the best swap of two items in different bins, while it
 * lowers (violation, split) lexicographically. While the bounds are violated only
 * moves touching a violating bin are tried; once they hold, only items of split
 * groups. Stops at a local optimum or after `maxSteps` steps.
 *
 * @internal
 */
export const improve = (inst: Instance, k: number, start: Int32Array, maxSteps: number): Packing => {
  const { groupCount, groups, max, min, weights } = inst
  const n = weights.length
  const assign = Int32Array.from(start)
  const loads = new Float64Array(k)
  const count = new Int32Array(Math.max(1, groupCount * k))
  const binsOf = new Int32Array(Math.max(1, groupCount))
  for (let i = 0; i < n; i++) {
    const b = assign[i] ?? 0
    loads[b] = (loads[b] ?? 0) + (weights[i] ?? 0)
    const g = groups[i] ?? -1
    if (g >= 0) {
      const c = g * k + b
      if ((count[c] ?? 0) === 0) binsOf[g] = (binsOf[g] ?? 0) + 1
      count[c] = (count[c] ?? 0) + 1
    }
  }
  let violation = 0
  for (let b = 0; b < k; b++) violation += deviation(loads[b] ?? 0, min, max)
  let split = 0
  for (let g = 0; g < groupCount; g++) split += Math.max(0, (binsOf[g] ?? 0) - 1)

  const dev = (load: number) => deviation(load, min, max)
  const violatingBins = new Int32Array(Math.max(1, k))
  /** split change when one item of group g leaves bin `from` and one enters bin `to` */
  const splitDelta = (g: number, from: number, to: number): number => {
    if (g < 0) return 0
    return ((count[g * k + from] ?? 0) === 1 ? -1 : 0) + ((count[g * k + to] ?? 0) === 0 ? 1 : 0)
  }
  const moveItem = (i: number, to: number) => {
    const from = assign[i] ?? 0
    const w = weights[i] ?? 0
    violation +=
      dev((loads[from] ?? 0) - w) + dev((loads[to] ?? 0) + w) - dev(loads[from] ?? 0) - dev(loads[to] ?? 0)
    loads[from] = (loads[from] ?? 0) - w
    loads[to] = (loads[to] ?? 0) + w
    const g = groups[i] ?? -1
    if (g >= 0) {
      split += splitDelta(g, from, to)
      const cf = g * k + from
      const ct = g * k + to
      count[cf] = (count[cf] ?? 0) - 1
      if ((count[cf] ?? 0) === 0) binsOf[g] = (binsOf[g] ?? 0) - 1
      if ((count[ct] ?? 0) === 0) binsOf[g] = (binsOf[g] ?? 0) + 1
      count[ct] = (count[ct] ?? 0) + 1
    }
    assign[i] = to
  }

  for (let step = 0; step < maxSteps; step++) {
    if (violation === 0 && split === 0) break
    const repairing = violation > 0
    let bestV = 0
    let bestS = 0
    let bestI = -1
    let bestJ = -1
    let bestB = -1
    // single-item moves; while repairing, out of or into a violating bin
    let violating = 0
    if (repairing) for (let b = 0; b < k; b++) if (dev(loads[b] ?? 0) > 0) violatingBins[violating++] = b
    for (let i = 0; i < n; i++) {
      const a = assign[i] ?? 0
      const g = groups[i] ?? -1
      if (!repairing && (g < 0 || (binsOf[g] ?? 0) <= 1)) continue
      const w = weights[i] ?? 0
      const la = loads[a] ?? 0
      const anyTarget = !repairing || dev(la) > 0
      const targets = anyTarget ? k : violating
      for (let t = 0; t < targets; t++) {
        const b = anyTarget ? t : (violatingBins[t] ?? 0)
        if (b === a) continue
        const lb = loads[b] ?? 0
        const dV = dev(la - w) + dev(lb + w) - dev(la) - dev(lb)
        const dS = splitDelta(g, a, b)
        if (dV < bestV || (dV === bestV && dS < bestS)) {
          bestV = dV
          bestS = dS
          bestI = i
          bestB = b
        }
      }
    }
    if (bestI >= 0) {
      moveItem(bestI, bestB)
      continue
    }
    // pairwise swaps
    for (let i = 0; i < n; i++) {
      const a = assign[i] ?? 0
      const gi = groups[i] ?? -1
      const la = loads[a] ?? 0
      const iInteresting = repairing ? dev(la) > 0 : gi >= 0 && (binsOf[gi] ?? 0) > 1
      const wi = weights[i] ?? 0
      for (let j = i + 1; j < n; j++) {
        const b = assign[j] ?? 0
        if (b === a) continue
        const gj = groups[j] ?? -1
        const lb = loads[b] ?? 0
        const jInteresting = repairing ? dev(lb) > 0 : gj >= 0 && (binsOf[gj] ?? 0) > 1
        if (!iInteresting && !jInteresting) continue
        const wj = weights[j] ?? 0
        if (wi === wj && gi === gj) continue
        const dV = dev(la - wi + wj) + dev(lb - wj + wi) - dev(la) - dev(lb)
        const dS = gi === gj ? 0 : splitDelta(gi, a, b) + splitDelta(gj, b, a)
        if (dV < bestV || (dV === bestV && dS < bestS)) {
          bestV = dV
          bestS = dS
          bestI = i
          bestJ = j
        }
      }
    }
    if (bestI < 0 || bestJ < 0) break
    const a = assign[bestI] ?? 0
    const b = assign[bestJ] ?? 0
    moveItem(bestI, b)
    moveItem(bestJ, a)
  }
  return { k, assign, violation, split }
}

const maxDeadStates = 200_000

/** @internal */
export type ExactResult =
  | { readonly _tag: "Found"; readonly assign: Int32Array }
  | { readonly _tag: "Infeasible" }
  | { readonly _tag: "Budget" }

/**
 * Exact bounded search for an assignment of every item to one of `k` bins with
 * every load in `[min, max]`. Items are taken largest first; each goes to the
 * least-loaded bins first (with `affinity`, to bins already holding its group
 * before any other); bins with equal loads are interchangeable, so only one of
 * them is tried. A branch is cut when the bins still below `min` need more than
 * the remaining items weigh, or more items than remain, or when the same state
 * (next item, multiset of loads) already failed (up to 200,000 remembered
 * states). Visits at most `budget` nodes; `Infeasible` is a proof for this `k`.
 *
 * @internal
 */
export const exact = (
  inst: Instance,
  k: number,
  budget: number,
  affinity: boolean
): { readonly result: ExactResult; readonly nodes: number } => {
  const { groupCount, groups, max, min, weights } = inst
  const n = weights.length
  const suffix = new Float64Array(n + 1)
  for (let i = n - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] ?? 0) + (weights[i] ?? 0)
  const loads = new Float64Array(k)
  const count = new Int32Array(Math.max(1, groupCount * k))
  const assign = new Int32Array(n)
  /** per depth: the bins in the order they are tried */
  const orders = new Int32Array(Math.max(1, n * k))
  const sortedLoads = new Array<number>(2 * k + 1)
  let need = k * min
  let under = min > 0 ? k : 0
  let nodes = 0
  let exhausted = false
  /** states (next item, sorted loads) already shown to have no completion */
  const dead = new Set<string>()

  const rank = (g: number, b: number): number => (affinity && g >= 0 && (count[g * k + b] ?? 0) > 0 ? 0 : 1)

  const rec = (i: number): boolean => {
    if (i === n) return need === 0
    if (nodes >= budget) {
      exhausted = true
      return false
    }
    nodes++
    const w = weights[i] ?? 0
    const g = groups[i] ?? -1
    // insertion sort of the bins by (affinity rank, load, index)
    const base = i * k
    for (let b = 0; b < k; b++) {
      let j = b
      const rb = rank(g, b)
      const lb = loads[b] ?? 0
      while (j > 0) {
        const prev = orders[base + j - 1] ?? 0
        const rp = rank(g, prev)
        if (rp < rb || (rp === rb && (loads[prev] ?? 0) <= lb)) break
        orders[base + j] = prev
        j--
      }
      orders[base + j] = b
    }
    // the state key: item index and the loads in ascending order
    sortedLoads[0] = i
    let m = 1
    for (let b = 0; b < k; b++) {
      const l = loads[b] ?? 0
      let j = m
      while (j > 1 && (sortedLoads[j - 1] ?? 0) > l) {
        sortedLoads[j] = sortedLoads[j - 1] ?? 0
        j--
      }
      sortedLoads[j] = l
      m++
    }
    const key = sortedLoads.slice(0, m).join(",")
    if (dead.has(key)) return false

    const rest = suffix[i + 1] ?? 0
    const restItems = n - i - 1
    for (let t = 0; t < k; t++) {
      const b = orders[base + t] ?? 0
      const lb = loads[b] ?? 0
      if (lb + w > max) continue
      let seen = false
      for (let u = 0; u < t && !seen; u++) seen = (loads[orders[base + u] ?? 0] ?? 0) === lb
      if (seen) continue
      const needBefore = lb < min ? min - lb : 0
      const needAfter = lb + w < min ? min - (lb + w) : 0
      const closes = lb < min && lb + w >= min ? 1 : 0
      const nextNeed = need - needBefore + needAfter
      const nextUnder = under - closes
      if (nextNeed > rest || nextUnder > restItems) continue
      loads[b] = lb + w
      need = nextNeed
      under = nextUnder
      if (g >= 0) count[g * k + b] = (count[g * k + b] ?? 0) + 1
      assign[i] = b
      if (rec(i + 1)) return true
      loads[b] = lb
      need = nextNeed - needAfter + needBefore
      under = nextUnder + closes
      if (g >= 0) count[g * k + b] = (count[g * k + b] ?? 0) - 1
      if (exhausted) return false
    }
    if (dead.size < maxDeadStates) dead.add(key)
    return false
  }

  const found = k > 0 && rec(0)
  const result: ExactResult = found
    ? { _tag: "Found", assign }
    : exhausted
      ? { _tag: "Budget" }
      : { _tag: "Infeasible" }
  return { result, nodes }
}

/**
 * Scores an assignment (violation, split) without changing it.
 *
 * @internal
 */
export const score = (inst: Instance, k: number, assign: Int32Array): Packing => improve(inst, k, assign, 0)
