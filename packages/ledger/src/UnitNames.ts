/**
 * 单元名称 — units named the way staff write them in a ledger: by id
 * (`c-001-001`), by name (`金星社区`, when one unit of the hierarchy has it) or
 * by path (`金星街道/金星社区`: the last names of the unit's path from the
 * root, separated by `/`, `／`, `>` or `＞`). `resolver` builds the
 * `Ledger.UnitResolver` import and export use for unit columns
 * (`ColumnOptions.reference`); a name that fits several units is ambiguous
 * and reported with every candidate's id and path.
 *
 * @since 0.1.0
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as Option from "effect/Option"
import type * as Ledger from "./Ledger.js"

const pathSeparator = /\s*[/／>＞]\s*/u

/**
 * 单元路径 — the unit's names from the root down, joined by `/`
 * (`金星区/金星街道/金星社区`); undefined for an unknown id.
 *
 * @since 0.1.0
 * @category getters
 */
export const pathOf = (hierarchy: Hierarchy.Hierarchy, id: string): string | undefined =>
  Option.match(Hierarchy.path(hierarchy, id), {
    onNone: () => undefined,
    onSome: (units) => units.map((u) => u.name).join("/")
  })

/**
 * 单元解析 — the resolver of a hierarchy: a text that is a unit id is that
 * unit; otherwise the units whose path ends with the text's names (one name,
 * or a path) — one is found, several are ambiguous, none is not found (the
 * text is kept for the domain's validation to report).
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolver = (hierarchy: Hierarchy.Hierarchy): Ledger.UnitResolver => {
  const units = Hierarchy.units(hierarchy)
  const paths = new Map<string, ReadonlyArray<string>>()
  for (const u of units) {
    paths.set(
      u.id,
      Option.match(Hierarchy.path(hierarchy, u.id), {
        onNone: () => [u.name],
        onSome: (p) => p.map((x) => x.name)
      })
    )
  }
  return fromPaths(paths)
}

/**
 * 按路径解析 — the resolver of units known by their paths (id → the names
 * from the root down): a text that is an id is that unit; otherwise the units
 * whose path ends with the text's names — one is found, several are
 * ambiguous (each candidate with its id and path), none is not found. The
 * label of a unit is its path joined by `/`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPaths = (paths: ReadonlyMap<string, ReadonlyArray<string>>): Ledger.UnitResolver => {
  const ids = [...paths.keys()]
  return {
    resolve: (text) => {
      const trimmed = text.trim()
      if (paths.has(trimmed)) return { _tag: "Found", id: trimmed }
      const wanted = trimmed.split(pathSeparator).filter((s) => s !== "")
      if (wanted.length === 0) return { _tag: "NotFound" }
      const found = ids.filter((id) => {
        const names = paths.get(id) ?? []
        if (names.length < wanted.length) return false
        const tail = names.slice(names.length - wanted.length)
        return tail.every((name, i) => name === wanted[i])
      })
      const [first] = found
      if (first === undefined) return { _tag: "NotFound" }
      if (found.length === 1) return { _tag: "Found", id: first }
      return {
        _tag: "Ambiguous",
        candidates: found.map((id) => ({ id, path: (paths.get(id) ?? []).join("/") }))
      }
    },
    label: (id) => paths.get(id)?.join("/")
  }
}
