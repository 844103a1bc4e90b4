/**
 * A generic, indexed, immutable rooted tree built from flat rows in O(n),
 * shared by the administrative hierarchy (`Hierarchy`) and the party
 * organisation tree (`PartyOrganization`).
 *
 * Layout (all typed arrays, nodes numbered by their pre-order position):
 * - `nodes[pos]`: the row at pre-order position `pos`;
 * - `index`: id → input row, `posOfRow[row]`: input row → position;
 * - `parent[pos]`: the parent's position (-1 for the root);
 * - `depth[pos]`: 0 at the root;
 * - `end[pos]`: one past the last position of the subtree (Euler interval), so
 *   `y` lies in `x`'s subtree iff `x <= y < end[x]`, in O(1);
 * - children in CSR form: `childPos[childStart[pos] .. childStart[pos + 1])`,
 *   ascending (children are visited in id order, so the tree does not depend
 *   on the order of the input rows).
 *
 * @since 0.1.0
 */

/**
 * The parent slot of a root row.
 *
 * @since 0.1.0
 * @category internal
 */
export const ROOT = -1
/**
 * The parent slot of a row whose parent id names no row.
 *
 * @since 0.1.0
 * @category internal
 */
export const MISSING = -2
/**
 * The parent slot of a row that repeats an earlier row's id (the row is ignored).
 *
 * @since 0.1.0
 * @category internal
 */
export const DUPLICATE = -3

/**
 * @since 0.1.0
 * @category internal
 */
export interface Tree<A> {
  readonly size: number
  /** The root row (position 0). */
  readonly root: A
  /** The rows in pre-order. */
  readonly nodes: ReadonlyArray<A>
  /** id → input row. */
  readonly index: ReadonlyMap<string, number>
  /** input row → pre-order position. */
  readonly posOfRow: Int32Array
  readonly parent: Int32Array
  readonly depth: Int32Array
  readonly end: Int32Array
  readonly childStart: Int32Array
  readonly childPos: Int32Array
}

/**
 * @since 0.1.0
 * @category internal
 */
export type Issue =
  | { readonly _tag: "DuplicateId"; readonly id: string; readonly rows: ReadonlyArray<number> }
  | { readonly _tag: "MissingParent"; readonly row: number }
  /** The rows of one cycle, each row's parent being the next one, starting at the smallest id. */
  | { readonly _tag: "Cycle"; readonly rows: ReadonlyArray<number> }
  /** All root rows, sorted by id, when there is more than one. */
  | { readonly _tag: "SeveralRoots"; readonly rows: ReadonlyArray<number> }
  | { readonly _tag: "NoRoot" }
  | { readonly _tag: "RankOrder"; readonly row: number; readonly parentRow: number }

/**
 * @since 0.1.0
 * @category internal
 */
export interface Ranks {
  /** The rank of each input row; negative when unknown (not checked here). */
  readonly of: Int32Array
  /** `allowed[parentRank * width + childRank]` is 1 when the child may hang under the parent. */
  readonly allowed: Uint8Array
  readonly width: number
}

/**
 * @since 0.1.0
 * @category internal
 */
export interface BuildInput<A> {
  readonly rows: ReadonlyArray<A>
  /** The id of each row (extracted by the caller in the same pass as its other fields). */
  readonly ids: ReadonlyArray<string>
  /** The parent id of each row, `null` for a root. */
  readonly parentIds: ReadonlyArray<string | null>
  readonly ranks?: Ranks
}

/**
 * @since 0.1.0
 * @category internal
 */
export interface Built<A> {
  /** id → first row carrying it. */
  readonly index: Map<string, number>
  /** Row → parent row, or ROOT / MISSING / DUPLICATE. */
  readonly parentRow: Int32Array
  readonly issues: ReadonlyArray<Issue>
  /** Present when the rows form one tree (rank issues do not prevent it). */
  readonly tree: Tree<A> | undefined
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Builds and checks a tree: unique ids, every parent present, no cycle, exactly
 * one root, and (when ranks are given) each child's rank allowed under its
 * parent's. Reports every issue found. O(n) apart from sorting unsorted sibling
 * lists.
 *
 * @since 0.1.0
 * @category internal
 */
export const build = <A>(input: BuildInput<A>): Built<A> => runSteps(buildSteps(input))

/**
 * Every `step + 1` iterations of a long loop, a step generator (`buildSteps`)
 * pauses: the caller may give the event loop back there.
 *
 * @since 0.1.0
 * @category internal
 */
export const step = 0x7ff

/**
 * Runs a step generator to its end at once.
 *
 * @since 0.1.0
 * @category internal
 */
export const runSteps = <A>(steps: Generator<void, A, void>): A => {
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
  }
}

/**
 * `build` as a step generator: the same work and result, pausing (`yield`)
 * every `step + 1` rows of each long loop, so a caller can build a large tree
 * in slices (`runSteps` runs it at once).
 *
 * @since 0.1.0
 * @category internal
 */
export function* buildSteps<A>(input: BuildInput<A>): Generator<void, Built<A>, void> {
  const { ids, parentIds, rows } = input
  const n = rows.length
  const issues: Array<Issue> = []

  // id → first row. Filling backwards leaves the first occurrence in the map
  // with a single hash operation per row.
  const index = new Map<string, number>()
  for (let i = n - 1; i >= 0; i--) {
    index.set(ids[i] ?? "", i)
    if ((i & step) === 0) yield
  }
  const parentRow = new Int32Array(n)
  let duplicates = 0
  if (index.size < n) {
    const rowsOf = new Map<string, Array<number>>()
    for (let i = 0; i < n; i++) {
      const key = ids[i] ?? ""
      if (index.get(key) !== i) {
        parentRow[i] = DUPLICATE
        duplicates++
        const first = index.get(key) ?? i
        const list = rowsOf.get(key)
        if (list === undefined) rowsOf.set(key, [first, i])
        else list.push(i)
      }
    }
    for (const [key, list] of rowsOf) issues.push({ _tag: "DuplicateId", id: key, rows: list })
  }

  // Parents, child counts, roots.
  const childCount = new Int32Array(n + 1)
  const roots: Array<number> = []
  let missing = 0
  for (let i = 0; i < n; i++) {
    if ((i & step) === 0) yield
    if (parentRow[i] === DUPLICATE) continue
    const p = parentIds[i] ?? null
    if (p === null) {
      parentRow[i] = ROOT
      roots.push(i)
      continue
    }
    const r = index.get(p)
    if (r === undefined) {
      parentRow[i] = MISSING
      missing++
      issues.push({ _tag: "MissingParent", row: i })
    } else {
      parentRow[i] = r
      childCount[r] = (childCount[r] ?? 0) + 1
    }
  }
  const live = n - duplicates
  if (roots.length > 1) {
    roots.sort((a, b) => compareStrings(ids[a] ?? "", ids[b] ?? ""))
    issues.push({ _tag: "SeveralRoots", rows: roots })
  } else if (roots.length === 0) {
    issues.push({ _tag: "NoRoot" })
  }

  // Rank order.
  const ranks = input.ranks
  if (ranks !== undefined) {
    const { allowed, of, width } = ranks
    for (let i = 0; i < n; i++) {
      if ((i & step) === 0) yield
      const p = parentRow[i] ?? ROOT
      if (p < 0) continue
      const rc = of[i] ?? -1
      const rp = of[p] ?? -1
      if (rc >= 0 && rp >= 0 && allowed[rp * width + rc] !== 1) {
        issues.push({ _tag: "RankOrder", row: i, parentRow: p })
      }
    }
  }

  // Children in CSR form (row space), each sibling list sorted by id.
  const childStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) childStart[i + 1] = (childStart[i] ?? 0) + (childCount[i] ?? 0)
  const cursor = childStart.slice(0, n)
  const childRows = new Int32Array(childStart[n] ?? 0)
  for (let i = 0; i < n; i++) {
    if ((i & step) === 0) yield
    const p = parentRow[i] ?? ROOT
    if (p < 0) continue
    const at = cursor[p] ?? 0
    childRows[at] = i
    cursor[p] = at + 1
  }
  const byId = (a: number, b: number): number => compareStrings(ids[a] ?? "", ids[b] ?? "")
  for (let p = 0; p < n; p++) {
    if ((p & step) === 0) yield
    const s = childStart[p] ?? 0
    const e = childStart[p + 1] ?? 0
    for (let k = s + 1; k < e; k++) {
      if ((ids[childRows[k - 1] ?? 0] ?? "") > (ids[childRows[k] ?? 0] ?? "")) {
        childRows.subarray(s, e).sort(byId)
        break
      }
    }
  }

  // Pre-order walk from the single root (when there is one).
  let tree: Tree<A> | undefined
  let reached = 0
  const root = roots.length === 1 ? (roots[0] ?? -1) : -1
  const posOfRow = new Int32Array(n).fill(-1)
  const rowOfPos = new Int32Array(live)
  const parentPos = new Int32Array(live)
  const depth = new Int32Array(live)
  if (root >= 0) {
    const stack = new Int32Array(live)
    let sp = 0
    stack[sp++] = root
    while (sp > 0) {
      const r = stack[--sp] ?? 0
      const pos = reached++
      if ((pos & step) === 0) yield
      posOfRow[r] = pos
      rowOfPos[pos] = r
      const pr = parentRow[r] ?? ROOT
      if (pr < 0) {
        parentPos[pos] = -1
        depth[pos] = 0
      } else {
        const pp = posOfRow[pr] ?? 0
        parentPos[pos] = pp
        depth[pos] = (depth[pp] ?? 0) + 1
      }
      const s = childStart[r] ?? 0
      for (let k = (childStart[r + 1] ?? 0) - 1; k >= s; k--) stack[sp++] = childRows[k] ?? 0
    }
  }

  // Cycles: rows not reached from a root hang under a cycle or a missing parent.
  if (reached < live) {
    const cycles = findCycles(parentRow, ids)
    for (const cycle of cycles) issues.push({ _tag: "Cycle", rows: cycle })
  }

  if (reached === live && missing === 0 && duplicates === 0 && live > 0) {
    const size = live
    yield
    const end = new Int32Array(size).fill(1)
    for (let pos = size - 1; pos > 0; pos--) {
      const pp = parentPos[pos] ?? 0
      end[pp] = (end[pp] ?? 0) + (end[pos] ?? 0)
    }
    for (let pos = 0; pos < size; pos++) end[pos] = pos + (end[pos] ?? 0)
    yield
    const start = new Int32Array(size + 1)
    for (let pos = 0; pos < size; pos++) {
      const r = rowOfPos[pos] ?? 0
      start[pos + 1] = (start[pos] ?? 0) + (childCount[r] ?? 0)
    }
    yield
    const fill = start.slice(0, size)
    const childPos = new Int32Array(start[size] ?? 0)
    for (let pos = 1; pos < size; pos++) {
      const pp = parentPos[pos] ?? 0
      const at = fill[pp] ?? 0
      childPos[at] = pos
      fill[pp] = at + 1
    }
    const nodes: Array<A> = []
    for (let pos = 0; pos < size; pos++) {
      if ((pos & step) === 0) yield
      const row = rows[rowOfPos[pos] ?? 0]
      if (row !== undefined) nodes.push(row)
    }
    const rootNode = nodes[0]
    if (rootNode !== undefined) {
      tree = {
        size,
        root: rootNode,
        nodes,
        index,
        posOfRow,
        parent: parentPos,
        depth,
        end,
        childStart: start,
        childPos
      }
    }
  }
  return { index, parentRow, issues, tree }
}

/**
 * Finds every cycle of the parent relation in O(n): walks up from each
 * unvisited row, marking the path; meeting a row of the current path closes a
 * cycle. Each cycle is rotated to start at its smallest id.
 */
const findCycles = (parentRow: Int32Array, ids: ReadonlyArray<string>): Array<ReadonlyArray<number>> => {
  const n = parentRow.length
  const state = new Uint8Array(n) // 0 new, 1 on the current path, 2 done
  const path = new Int32Array(n)
  const pathIndex = new Int32Array(n)
  const cycles: Array<ReadonlyArray<number>> = []
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0 || (parentRow[s] ?? 0) === DUPLICATE) continue
    let len = 0
    let v = s
    while (v >= 0 && state[v] === 0) {
      state[v] = 1
      pathIndex[v] = len
      path[len++] = v
      v = parentRow[v] ?? ROOT
    }
    if (v >= 0 && state[v] === 1) {
      const cycle = Array.from(path.subarray(pathIndex[v] ?? 0, len))
      let min = 0
      for (let k = 1; k < cycle.length; k++) {
        if ((ids[cycle[k] ?? 0] ?? "") < (ids[cycle[min] ?? 0] ?? "")) min = k
      }
      cycles.push([...cycle.slice(min), ...cycle.slice(0, min)])
    }
    for (let k = 0; k < len; k++) state[path[k] ?? 0] = 2
  }
  return cycles
}

/**
 * The position of an id, or -1.
 *
 * @since 0.1.0
 * @category internal
 */
export const positionOf = <A>(tree: Tree<A>, id: string): number => {
  const row = tree.index.get(id)
  return row === undefined ? -1 : (tree.posOfRow[row] ?? -1)
}

/**
 * Whether position `x` lies in the subtree of position `y` (a node lies in its own subtree).
 *
 * @since 0.1.0
 * @category internal
 */
export const within = <A>(tree: Tree<A>, x: number, y: number): boolean => y <= x && x < (tree.end[y] ?? 0)

/**
 * The ancestors' positions of `pos`, nearest first.
 *
 * @since 0.1.0
 * @category internal
 */
export const ancestorPositions = <A>(tree: Tree<A>, pos: number): Array<number> => {
  const out: Array<number> = []
  let p = tree.parent[pos] ?? -1
  while (p >= 0) {
    out.push(p)
    p = tree.parent[p] ?? -1
  }
  return out
}

/**
 * The lowest common ancestor's position of two positions, O(depth).
 *
 * @since 0.1.0
 * @category internal
 */
export const lcaPosition = <A>(tree: Tree<A>, a: number, b: number): number => {
  let x = a
  while (x >= 0 && !within(tree, b, x)) x = tree.parent[x] ?? -1
  return x
}

/**
 * The nodes of the given positions.
 *
 * @since 0.1.0
 * @category internal
 */
export const nodesAt = <A>(tree: Tree<A>, positions: ReadonlyArray<number>): Array<A> => {
  const out: Array<A> = []
  for (const pos of positions) {
    const node = tree.nodes[pos]
    if (node !== undefined) out.push(node)
  }
  return out
}

/**
 * The children of a position, in id order.
 *
 * @since 0.1.0
 * @category internal
 */
export const childrenOf = <A>(tree: Tree<A>, pos: number): Array<A> => {
  const out: Array<A> = []
  const e = tree.childStart[pos + 1] ?? 0
  for (let k = tree.childStart[pos] ?? 0; k < e; k++) {
    const node = tree.nodes[tree.childPos[k] ?? 0]
    if (node !== undefined) out.push(node)
  }
  return out
}

/**
 * The subtree at `pos` as a tree of its own, with the root replaced by
 * `reroot(root)` (e.g. its parent link cleared). O(subtree size).
 *
 * @since 0.1.0
 * @category internal
 */
export const slice = <A>(tree: Tree<A>, pos: number, id: (a: A) => string, reroot: (a: A) => A): Tree<A> => {
  const end = tree.end[pos] ?? pos + 1
  const size = end - pos
  const top = tree.nodes[pos]
  const rootNode = top === undefined ? tree.root : reroot(top)
  const nodes: Array<A> = [rootNode]
  const index = new Map<string, number>([[id(rootNode), 0]])
  for (let p = pos + 1; p < end; p++) {
    const node = tree.nodes[p]
    if (node === undefined) continue
    index.set(id(node), p - pos)
    nodes.push(node)
  }
  const posOfRow = new Int32Array(size)
  const parent = new Int32Array(size)
  const depth = new Int32Array(size)
  const ends = new Int32Array(size)
  const d0 = tree.depth[pos] ?? 0
  for (let k = 0; k < size; k++) {
    posOfRow[k] = k
    parent[k] = k === 0 ? -1 : (tree.parent[pos + k] ?? 0) - pos
    depth[k] = (tree.depth[pos + k] ?? 0) - d0
    ends[k] = (tree.end[pos + k] ?? 0) - pos
  }
  const c0 = tree.childStart[pos] ?? 0
  const childStart = new Int32Array(size + 1)
  for (let k = 0; k <= size; k++) childStart[k] = (tree.childStart[pos + k] ?? 0) - c0
  const childPos = tree.childPos.slice(c0, tree.childStart[end] ?? c0)
  for (let k = 0; k < childPos.length; k++) childPos[k] = (childPos[k] ?? 0) - pos
  return { size, root: rootNode, nodes, index, posOfRow, parent, depth, end: ends, childStart, childPos }
}

// ---------------------------------------------------------------------------
// describing structural issues (shared by Hierarchy and PartyOrganization)
// ---------------------------------------------------------------------------

/** The structural rules every tree of rows shares. */
export type StructuralRule = "duplicate-id" | "missing-parent" | "cycle" | "several-roots" | "no-root"

/** A structural issue described for a reader: the row it concerns, related ids, the message. */
export interface Described {
  readonly rule: StructuralRule
  readonly id: string | null
  readonly related: ReadonlyArray<string>
  readonly message: string
}

/** How one kind of tree (units, party organisations) words its structural issues. */
export interface Wording {
  readonly duplicateId: (id: string, rows: ReadonlyArray<number>) => string
  readonly missingParent: (id: string, parentId: string) => string
  /** `members` in cycle order; the message usually closes the loop back to the first. */
  readonly cycle: (members: ReadonlyArray<string>) => string
  readonly severalRoots: (root: string, others: ReadonlyArray<string>, more: number) => string
  readonly noRoot: (rowCount: number) => string
}

/** How many other roots a several-roots message names, so thousands of roots do not give a quadratic report. */
const OTHER_ROOTS_NAMED = 10

/**
 * Describes the structural issues of a build (every kind but `RankOrder`,
 * whose wording needs the caller's levels or kinds).
 */
export const describeStructure = <A>(
  issues: ReadonlyArray<Issue>,
  rows: ReadonlyArray<A>,
  idOf: (row: A) => string,
  parentOf: (row: A) => string | null,
  wording: Wording
): Array<Described> => {
  const out: Array<Described> = []
  const idsOf = (list: ReadonlyArray<number>): Array<string> => {
    const ids: Array<string> = []
    for (const r of list) {
      const row = rows[r]
      if (row !== undefined) ids.push(idOf(row))
    }
    return ids
  }
  for (const issue of issues) {
    switch (issue._tag) {
      case "DuplicateId": {
        const first = rows[issue.rows[0] ?? -1]
        out.push({
          rule: "duplicate-id",
          id: first === undefined ? null : idOf(first),
          related: [],
          message: wording.duplicateId(issue.id, issue.rows)
        })
        break
      }
      case "MissingParent": {
        const row = rows[issue.row]
        const parentId = row === undefined ? null : parentOf(row)
        if (row === undefined || parentId === null) break
        out.push({
          rule: "missing-parent",
          id: idOf(row),
          related: [parentId],
          message: wording.missingParent(idOf(row), parentId)
        })
        break
      }
      case "Cycle": {
        const members = idsOf(issue.rows)
        out.push({ rule: "cycle", id: members[0] ?? null, related: members, message: wording.cycle(members) })
        break
      }
      case "SeveralRoots": {
        const roots = idsOf(issue.rows)
        for (const root of roots) {
          const others = roots.filter((r) => r !== root).slice(0, OTHER_ROOTS_NAMED)
          const more = roots.length - 1 - others.length
          out.push({
            rule: "several-roots",
            id: root,
            related: others,
            message: wording.severalRoots(root, others, more)
          })
        }
        break
      }
      case "NoRoot": {
        out.push({ rule: "no-root", id: null, related: [], message: wording.noRoot(rows.length) })
        break
      }
      case "RankOrder":
        break
    }
  }
  return out
}

/** Quotes ids for a message: `"a", "b"`. */
export const quoted = (ids: ReadonlyArray<string>): string => ids.map((id) => `"${id}"`).join(", ")

/** ` and N more` when a list was cut, else empty. */
export const andMore = (more: number): string => (more > 0 ? ` and ${more} more` : "")

/** A cycle for a message, closed back to its first member: `"a" → "b" → "a"`. */
export const chain = (members: ReadonlyArray<string>): string =>
  [...members, members[0] ?? ""].map((id) => `"${id}"`).join(" → ")
