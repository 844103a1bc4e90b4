/**
 * 生成文件集 — a set of generated files: relative path (POSIX separators,
 * relative to the output directory) → file contents. Generators return one;
 * `diff` compares it with what is on disk without touching the disk.
 *
 * @since 0.1.0
 */
import { compareStrings } from "../internal/markdown.js"

/**
 * 生成文件集 — relative path → contents, in path order.
 *
 * @since 0.1.0
 * @category models
 */
export type Files = ReadonlyMap<string, string>

/**
 * Builds a file set from entries, sorted by path. A path given twice is a
 * programming error of a generator and throws (it would silently drop a file).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (entries: Iterable<readonly [string, string]>): Files => {
  const map = new Map<string, string>()
  for (const [path, contents] of entries) {
    if (map.has(path)) throw new Error(`two generators wrote ${path}`)
    map.set(path, contents)
  }
  return new Map([...map.entries()].sort(([a], [b]) => compareStrings(a, b)))
}

/**
 * Merges file sets (paths must not collide).
 *
 * @since 0.1.0
 * @category combinators
 */
export const merge = (...sets: ReadonlyArray<Files>): Files => make(sets.flatMap((set) => [...set.entries()]))

/**
 * 差异 — how the files on disk differ from the generated ones: `stale` (on
 * disk with other contents), `missing` (generated, not on disk), `extra` (on
 * disk, not generated). Each list is sorted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Diff {
  readonly stale: ReadonlyArray<string>
  readonly missing: ReadonlyArray<string>
  readonly extra: ReadonlyArray<string>
  readonly unchanged: ReadonlyArray<string>
}

/**
 * Compares the generated files with the files found on disk.
 *
 * @since 0.1.0
 * @category utils
 */
export const diff = (generated: Files, onDisk: Files): Diff => {
  const stale: Array<string> = []
  const missing: Array<string> = []
  const unchanged: Array<string> = []
  for (const [path, contents] of generated) {
    const current = onDisk.get(path)
    if (current === undefined) missing.push(path)
    else if (current === contents) unchanged.push(path)
    else stale.push(path)
  }
  const extra = [...onDisk.keys()].filter((path) => !generated.has(path))
  return {
    stale: stale.sort(compareStrings),
    missing: missing.sort(compareStrings),
    extra: extra.sort(compareStrings),
    unchanged: unchanged.sort(compareStrings)
  }
}

/**
 * Whether the disk matches the generated files exactly.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isClean = (self: Diff): boolean =>
  self.stale.length === 0 && self.missing.length === 0 && self.extra.length === 0
